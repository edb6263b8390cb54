/**
 * The typed records every reader produces, whatever the input format. Later
 * stages (graph build, text encoding, store) read only these. Reviews are a
 * column table (ReviewTable): a million reviews are a few typed arrays and
 * the strings the store and the text encoder need, not a million objects.
 */

import type { ColumnReport } from './columns.js';

export type InputFormat = 'amazon-json' | 'amazon-csv' | 'csv' | 'edgelist' | 'amazon-meta';

/** One review's values: what tests and small callers build a ReviewTable from (reviewTableOf), and what reviewAt reads back. */
export interface ReviewRecord {
  /** Stable id: the input's review_id, else derived from (user, product, time, text). */
  reviewId: string;
  userId: string;
  productId: string;
  /** Star rating within the valid range (default [1, 5] for Amazon inputs, [0, 5] for generic CSV; set by ratingRange), or null when absent. */
  rating: number | null;
  /** Review body; '' when the review has no text (kept as a review without text). */
  text: string;
  /** Review title (Amazon `summary`), '' when absent. */
  summary: string;
  /** Unix seconds; null when absent. */
  timestamp: number | null;
  /** Where it came from, for error messages downstream. */
  source: { file: string; line: number };
  /** Helpful votes (Amazon 2018 `vote`, 2014 `helpful[0]`); null when the input has none. */
  helpfulVotes?: number | null;
  /** Amazon 2018 `verified` purchase flag; null when the input has none. */
  verified?: boolean | null;
}

/**
 * Reviews as columns, row r = review r in reading order. Users and products
 * are indices into interned key lists (in order of first appearance in the
 * table the lists were made for: a table cut from another by takeRows shares
 * its lists, so some keys may have no row in it). Review ids are unique in a
 * table (the readers, reviewTableOf and the store guarantee it), so the graph
 * builder does not check them again. Build one with ReviewTableBuilder or
 * reviewTableOf (src/ingest/table.ts).
 */
export interface ReviewTable {
  /** Rows; every column below has exactly this length. */
  count: number;
  /** Stable id: the input's review_id, else derived from (user, product, time, text). */
  reviewId: string[];
  /** User of each row: an index into userKeys. */
  user: Uint32Array;
  userKeys: string[];
  /** Product of each row: an index into productKeys. */
  product: Uint32Array;
  productKeys: string[];
  /** Star rating within the valid range (see ReviewRecord.rating); NaN when absent. Float64 so stored ratings stay the values read. */
  rating: Float64Array;
  /** Unix seconds; NaN when absent. */
  timestamp: Float64Array;
  /** Helpful votes; NaN when the input has none. */
  helpfulVotes: Float64Array;
  /** Verified purchase: 1, 0, or -1 when the input has none. */
  verified: Int8Array;
  /** Review body ('' without text) and title ('' when absent). */
  text: string[];
  summary: string[];
  /** Where each row came from, for error messages downstream: files[file[r]], line[r]. */
  files: string[];
  file: Uint16Array;
  line: Uint32Array;
}

export interface ProductRecord {
  productId: string;
  title: string;
  categories: string[];
  brand: string;
  price: number | null;
}

export interface UserRecord {
  userId: string;
  /** Extra columns of users.csv, kept as strings (never names: personal fields are dropped). */
  attributes: Record<string, string>;
}

export interface EdgeRecord {
  src: string;
  dst: string;
  weight: number;
}

/**
 * An edge list as typed arrays (no per-edge objects): node indices in order of
 * first appearance, an edge's src before its dst; repeats kept as read.
 */
export interface EdgeTable {
  /** Node index -> id as written in the input. */
  keys: string[];
  src: Uint32Array;
  dst: Uint32Array;
  /** > 0; 1 where the input gave no weight. */
  weight: Float32Array;
  count: number;
}

/** Counts of what a reader dropped, by reason, for the ingest summary. */
export interface IngestCounts {
  /** Data records read from all files (reviews, metadata, users, products, edges), bad and duplicate ones included; headers, blank and comment lines not. */
  rowsRead: number;
  /** Rows skipped under --skip-invalid, keyed by reason (the RowErrorKind values: "broken JSON", "missing user id", ...). */
  skipped: Record<string, number>;
  /** Exact duplicate rows dropped: raw record byte-identical to an earlier one (see shop.ts). */
  duplicatesExact: number;
  /** Repeated (user, product, time, text) reviews dropped (not byte-identical rows). */
  duplicatesRepeated: number;
  /** Reviews kept with empty text. */
  emptyText: number;
}

/** Counts of a reader that has dropped nothing yet. */
export function emptyCounts(rowsRead = 0): IngestCounts {
  return { rowsRead, skipped: {}, duplicatesExact: 0, duplicatesRepeated: 0, emptyText: 0 };
}

/** Everything read from the inputs of one job. */
export interface ShopData {
  kind: 'shop';
  reviews: ReviewTable;
  products: Map<string, ProductRecord>;
  users: Map<string, UserRecord>;
  counts: IngestCounts;
  files: string[];
  /** Generic CSV inputs: where each canonical field came from, per file (absent for other formats). */
  columns?: ColumnReport[];
}

export interface EdgeListData {
  kind: 'edgelist';
  edges: EdgeRecord[];
  counts: IngestCounts;
  files: string[];
}

/** Edge list files read straight into an EdgeTable (`readEdgeTable`). */
export interface EdgeTableData {
  kind: 'edgetable';
  table: EdgeTable;
  counts: IngestCounts;
  files: string[];
}

export type IngestData = ShopData | EdgeListData;

/**
 * Serialises a sample shop to the generic CSV layout graphprof ingests
 * (reviews.csv, products.csv, users.csv) plus the planted truth
 * (ground_truth.csv, segments.csv). Quoting follows RFC 4180 via
 * csv-stringify; numbers are written as plain integers or toFixed, never
 * through locale formatting, so the bytes depend only on the shop. Files are
 * streamed in chunks of rows, so a SamplePlan of a million reviews is written
 * in flat memory; the bytes are those of sampleShopFiles.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { SampleProduct } from './catalog.js';
import { SamplePlan, type SampleReview, type SampleSegment, type SampleShop, type SampleUser } from './generate.js';
import type { Progress } from '../util/progress.js';

export const SAMPLE_FILES = ['reviews.csv', 'products.csv', 'users.csv', 'ground_truth.csv', 'segments.csv'] as const;
export type SampleFileName = (typeof SAMPLE_FILES)[number];

type Cell = string | number;

/** A file's header and how one record becomes its row. */
interface FileLayout<T> {
  columns: readonly string[];
  row: (x: T) => Cell[];
}

const reviewsLayout: FileLayout<SampleReview> = {
  columns: ['review_id', 'user_id', 'product_id', 'rating', 'text', 'timestamp'],
  row: (r) => [r.reviewId, r.userId, r.productId, r.rating, r.text, r.timestamp],
};
const productsLayout: FileLayout<SampleProduct> = {
  columns: ['product_id', 'title', 'category'],
  row: (p) => [p.productId, p.title, p.category],
};
const usersLayout: FileLayout<SampleUser> = {
  columns: ['user_id', 'signup_date'],
  row: (u) => [u.userId, u.signupDate],
};
const truthLayout: FileLayout<SampleUser> = {
  columns: ['user_id', 'segment'],
  row: (u) => [u.userId, u.segment],
};
const segmentsLayout: FileLayout<SampleSegment> = {
  columns: ['segment', 'name', 'preferred_categories', 'mean_rating'],
  row: (s) => [s.id, s.name, s.preferredCategories.join(';'), s.meanRating.toFixed(2)],
};

const ROWS_PER_CHUNK = 4096;

function csvRows(rows: readonly (readonly Cell[])[]): string {
  return stringify(
    rows.map((r) => r.map(String)),
    { record_delimiter: 'unix' },
  );
}

/** The file as chunks of text: the header, then ROWS_PER_CHUNK records at a time. */
function* csvChunks<T>(layout: FileLayout<T>, records: Iterable<T>, onRow?: () => void): Generator<string> {
  yield csvRows([layout.columns]);
  let rows: Cell[][] = [];
  for (const x of records) {
    rows.push(layout.row(x));
    onRow?.();
    if (rows.length === ROWS_PER_CHUNK) {
      yield csvRows(rows);
      rows = [];
    }
  }
  if (rows.length > 0) yield csvRows(rows);
}

function byProductId(products: readonly SampleProduct[]): SampleProduct[] {
  return [...products].sort((a, b) => (a.productId < b.productId ? -1 : 1));
}

type AnyShop = SampleShop | SamplePlan;

function reviewsOf(shop: AnyShop): { records: Iterable<SampleReview>; count: number } {
  return shop instanceof SamplePlan
    ? { records: shop.reviews(), count: shop.reviewCount }
    : { records: shop.reviews, count: shop.reviews.length };
}

function fileChunks(shop: AnyShop, name: SampleFileName, onReview?: () => void): Iterable<string> {
  switch (name) {
    case 'reviews.csv':
      return csvChunks(reviewsLayout, reviewsOf(shop).records, onReview);
    case 'products.csv':
      return csvChunks(productsLayout, byProductId(shop.products));
    case 'users.csv':
      return csvChunks(usersLayout, shop.users);
    case 'ground_truth.csv':
      return csvChunks(truthLayout, shop.users);
    case 'segments.csv':
      return csvChunks(segmentsLayout, shop.segments);
  }
}

/** The file contents, by file name (in memory: for small shops and tests). */
export function sampleShopFiles(shop: AnyShop): Record<SampleFileName, string> {
  const out = {} as Record<SampleFileName, string>;
  for (const name of SAMPLE_FILES) out[name] = [...fileChunks(shop, name)].join('');
  return out;
}

/**
 * Writes every sample file into `dir` (created if missing), streamed; returns
 * the paths written. `progress` counts reviews written.
 */
export async function writeSampleShop(shop: AnyShop, dir: string, progress?: Progress): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const total = reviewsOf(shop).count;
  const reportEvery = Math.max(1, Math.floor(total / 100));
  let done = 0;
  const onReview = progress
    ? () => {
        if (++done % reportEvery === 0 || done === total) progress(done, total, 'reviews');
      }
    : undefined;
  const written: string[] = [];
  for (const name of SAMPLE_FILES) {
    const file = path.join(dir, name);
    await pipeline(Readable.from(fileChunks(shop, name, onReview)), createWriteStream(file, { encoding: 'utf8' }));
    written.push(file);
  }
  return written;
}

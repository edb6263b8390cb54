/**
 * Tells an input's format from its first non-blank line (never from its name):
 * JSON objects are Amazon reviews or Amazon product metadata by their keys, a
 * CSV header is Amazon's or the generic layout's by its column names, and lines
 * of two or three tokens are an edge list.
 */
import { InputError } from '../util/errors.js';
import { splitHeader } from './csv.js';
import { readLines } from './lines.js';
import { columnsOfHeader } from './columns.js';
import { resolveReadOptions, type CanonicalColumn, type ResolvedReadOptions } from './options.js';
import type { InputFormat } from './records.js';
import { RowError } from './row-error.js';

/** What a generic CSV file holds, by its header. */
export type CsvRole = 'reviews' | 'users' | 'products';

/** Read size for detection: enough for a header or a first JSON line without decoding a large block. */
const detectBlockBytes = 64 << 10;

/** Columns that only a review file has: their presence makes a file a review file even when an id column is missing. */
const reviewOnlyColumns: readonly CanonicalColumn[] = ['text', 'timestamp', 'review_id'];

export function isCommentOrBlank(text: string): boolean {
  const t = text.trimStart();
  return t.length === 0 || t.charCodeAt(0) === 35 /* # */ || t.charCodeAt(0) === 37 /* % */;
}

/** The first line with content, or null for an empty file. */
export async function firstContentLine(file: string): Promise<{ text: string; line: number } | null> {
  let found: { text: string; line: number } | null = null;
  await readLines(
    file,
    (text, line) => {
      if (isCommentOrBlank(text)) return true;
      found = { text, line };
      return false;
    },
    { blockBytes: detectBlockBytes },
  );
  return found;
}

export async function detectFormat(file: string, opts: { map?: Record<string, string> } = {}): Promise<InputFormat> {
  const naming = resolveReadOptions({ map: opts.map });
  const first = await firstContentLine(file);
  if (first === null) throw new InputError(file, 1, '(file)', 'empty file: no line to tell its format from');
  return formatOfLine(file, first.text, first.line, naming);
}

export function formatOfLine(file: string, text: string, line: number, naming: Pick<ResolvedReadOptions, 'columns' | 'mapped'>): InputFormat {
  const columns = naming.columns;
  const t = text.trim();
  if (t.startsWith('{')) {
    // Key patterns rather than JSON.parse, so a broken first row still gets its proper per-line error from the reader.
    if (/"reviewerID"\s*:/.test(t)) return 'amazon-json';
    if (/["']asin["']\s*:/.test(t)) return 'amazon-meta';
    throw new InputError(file, line, '(json)', 'JSON lines without a "reviewerID" (Amazon reviews) or "asin" (Amazon metadata) key');
  }
  const header = splitHeader(t);
  if (!(header instanceof RowError)) {
    if (header.includes('reviewerID') && header.includes('asin')) return 'amazon-csv';
    if (csvRole(header, columnsOfHeader(header, naming).columns) !== null) return 'csv';
  }
  const tokens = t.split(/[\s,]+/);
  if (tokens.length === 2 || tokens.length === 3) return 'edgelist';
  throw new InputError(
    file,
    line,
    '(format)',
    `cannot tell the format: not JSON, no known CSV header (reviewerID/asin, or ${columns.user_id}/${columns.product_id}), not "src dst [weight]"`,
  );
}

export function csvRole(header: readonly string[], columns: Readonly<Record<CanonicalColumn, string>>): CsvRole | null {
  const has = (c: CanonicalColumn): boolean => header.includes(columns[c]);
  const reviewish = reviewOnlyColumns.some(has);
  if (has('user_id') && has('product_id')) return 'reviews';
  if ((has('user_id') || has('product_id')) && reviewish) return 'reviews';
  if (has('product_id')) return 'products';
  if (has('user_id')) return 'users';
  return null;
}

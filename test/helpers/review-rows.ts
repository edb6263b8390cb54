/** Cuts of a shop's review table for tests: rows by time, rows of some users, a shop of some rows. */
import type { ReviewRecord, ShopData } from '../../src/ingest/records.js';
import { reviewAt, takeRows, timestampAt } from '../../src/ingest/table.js';

/** The rows of the table ordered by time (no time: 0), ties in table order. */
export function rowsByTime(data: ShopData): Uint32Array {
  const t = data.reviews;
  const time = (r: number): number => timestampAt(t, r) ?? 0;
  return Uint32Array.from(Array.from({ length: t.count }, (_, r) => r).sort((a, b) => time(a) - time(b)));
}

/** The rows whose review passes `keep`, in table order. */
export function rowsWhere(data: ShopData, keep: (r: ReviewRecord) => boolean): Uint32Array {
  const out: number[] = [];
  for (let r = 0; r < data.reviews.count; r++) if (keep(reviewAt(data.reviews, r))) out.push(r);
  return Uint32Array.from(out);
}

/** The shop with only the reviews `rows`, in that order. */
export const withRows = (data: ShopData, rows: Uint32Array): ShopData => ({ ...data, reviews: takeRows(data.reviews, rows) });

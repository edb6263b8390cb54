/**
 * Serialises a SampleShop to the generic CSV layout graphprof ingests
 * (reviews.csv, products.csv, users.csv) plus the planted truth
 * (ground_truth.csv, segments.csv). Quoting follows RFC 4180 via
 * csv-stringify; numbers are written as plain integers or toFixed, never
 * through locale formatting, so the bytes depend only on the shop.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { SampleShop } from './generate.js';

export const SAMPLE_FILES = ['reviews.csv', 'products.csv', 'users.csv', 'ground_truth.csv', 'segments.csv'] as const;
export type SampleFileName = (typeof SAMPLE_FILES)[number];

function csv(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return stringify([columns, ...rows.map((r) => r.map(String))], { record_delimiter: 'unix' });
}

/** The file contents, by file name. */
export function sampleShopFiles(shop: SampleShop): Record<SampleFileName, string> {
  return {
    'reviews.csv': csv(
      ['review_id', 'user_id', 'product_id', 'rating', 'text', 'timestamp'],
      shop.reviews.map((r) => [r.reviewId, r.userId, r.productId, r.rating, r.text, r.timestamp]),
    ),
    'products.csv': csv(
      ['product_id', 'title', 'category'],
      [...shop.products]
        .sort((a, b) => (a.productId < b.productId ? -1 : 1))
        .map((p) => [p.productId, p.title, p.category]),
    ),
    'users.csv': csv(['user_id', 'signup_date'], shop.users.map((u) => [u.userId, u.signupDate])),
    'ground_truth.csv': csv(['user_id', 'segment'], shop.users.map((u) => [u.userId, u.segment])),
    'segments.csv': csv(
      ['segment', 'name', 'preferred_categories', 'mean_rating'],
      shop.segments.map((s) => [s.id, s.name, s.preferredCategories.join(';'), s.meanRating.toFixed(2)]),
    ),
  };
}

/** Writes every sample file into `dir` (created if missing); returns the paths written. */
export async function writeSampleShop(shop: SampleShop, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = sampleShopFiles(shop);
  const written: string[] = [];
  for (const name of SAMPLE_FILES) {
    const file = path.join(dir, name);
    await writeFile(file, files[name], 'utf8');
    written.push(file);
  }
  return written;
}

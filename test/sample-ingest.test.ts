/**
 * The committed sample shop (data/sample) goes through graphprof's own
 * ingest without errors, skips or duplicates, and the counts match the
 * ground truth.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../src/ingest/index.js';
import { reviewRecords } from '../src/ingest/table.js';

const sampleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'sample');

async function csvRows(name: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path.join(sampleDir, name), 'utf8'), { columns: true }) as Record<string, string>[];
}

describe('data/sample through readInputs', () => {
  it('reads reviews, products and users with the generator\'s counts', async () => {
    const files = ['reviews.csv', 'products.csv', 'users.csv'].map((f) => path.join(sampleDir, f));
    const data = await readInputs(files, {});
    expect(data.kind).toBe('shop');
    if (data.kind !== 'shop') return;
    const truth = await csvRows('ground_truth.csv');
    const products = await csvRows('products.csv');
    const reviews = await csvRows('reviews.csv');
    expect(data.users.size).toBe(truth.length);
    expect(data.products.size).toBe(products.length);
    expect(data.reviews.count).toBe(reviews.length);
    expect(data.counts.skipped).toEqual({});
    expect(data.counts.duplicatesExact + data.counts.duplicatesRepeated).toBe(0);
    expect(data.counts.emptyText).toBe(reviews.filter((r) => r.text === '').length);
    const byId = new Map(reviews.map((r) => [r.review_id, r]));
    for (const r of reviewRecords(data.reviews)) {
      const src = byId.get(r.reviewId);
      expect(src, r.reviewId).toBeDefined();
      expect(r.text).toBe(src!.text);
      expect(r.rating).toBe(Number(src!.rating));
      expect(r.timestamp).toBe(Number(src!.timestamp));
    }
    expect(data.products.get(products[0].product_id)?.categories).toEqual([products[0].category]);
  });
});

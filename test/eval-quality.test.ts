import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaveLastOut } from '../src/eval/split.js';
import { readInputs } from '../src/ingest/index.js';
import type { ShopData } from '../src/ingest/records.js';
import { runEval, type EvalJobOptions } from '../src/jobs/evaluate.js';
import { computeProfiles } from '../src/jobs/profiles.js';
import { repoRoot } from './helpers/paths.js';
import { sparseShop } from './helpers/sparse-shop.js';

const files = ['reviews.csv', 'products.csv'].map((f) => join(repoRoot, 'data', 'sample', f));
// Graph and walk parts only (no text model) and short walks: these tests are about tuning, not quality.
const quick = { textWeight: 0, threads: 1, walksPerNode: 2, walkLength: 20 } satisfies Partial<EvalJobOptions>;

describe('the learned fusion and the baselines see only training reviews', () => {
  it('poisoning every held-out review changes what is scored, but no tuned or learned parameter', async () => {
    const data = (await readInputs(files)) as ShopData;
    const held = new Set(leaveLastOut(data.reviews, 3).test);
    const products = Array.from(new Set(data.reviews.map((r) => r.productId))).sort();
    // Each held-out review now names another product, with other words and rating (same user, same time).
    const poisoned: ShopData = {
      ...data,
      reviews: data.reviews.map((r) => (held.has(r) ? { ...r, productId: products[(products.indexOf(r.productId) + 7) % products.length], text: 'poison', rating: 1 } : r)),
    };
    const clean = await runEval(null, { files, data, ...quick });
    const dirty = await runEval(null, { files, data: poisoned, ...quick });
    expect(dirty.recall).not.toEqual(clean.recall);
    expect(clean.fusion?.weights).toBeDefined();
    expect(dirty.fusion?.weights).toEqual(clean.fusion?.weights);
    expect(dirty.fusion?.walk).toEqual(clean.fusion?.walk);
    expect(dirty.fusion?.validation).toEqual(clean.fusion?.validation);
    expect(dirty.baselines).toEqual(clean.baselines);
    expect(clean.baselines.ease?.params?.lambda).toBeGreaterThan(0);
    expect(clean.baselines.rp3beta?.params).toEqual({ alpha: expect.any(Number), beta: expect.any(Number) });
  });
});

describe('learned fusion', () => {
  it('is bit-reproducible with one thread: same weights, same fused vectors', async () => {
    const data = (await readInputs(files)) as ShopData;
    const a = await computeProfiles(data, { ...quick, segments: false });
    const b = await computeProfiles(data, { ...quick, segments: false });
    expect(b.fusion?.weights).toEqual(a.fusion?.weights);
    expect(Buffer.from(b.users.fused.buffer).equals(Buffer.from(a.users.fused.buffer))).toBe(true);
    expect(Buffer.from(b.products.fused.buffer).equals(Buffer.from(a.products.fused.buffer))).toBe(true);
    // The stored fused vectors are scoring vectors: their layout names each part's slice.
    const layout = a.fusion?.layout ?? [];
    expect(layout.reduce((d, s) => d + s.dim, 0)).toBe(a.fusedDim);
  });

  it('on a sparse shop whose co-reviews carry no signal, leans on what does, says so, and is never worse than its parts', async () => {
    const data = sparseShop({ users: 700, products: 1200, seed: 7 });
    const r = await runEval(null, { files: data.files, data, ...quick });
    expect(r.fusion?.weights.graph ?? 0).toBe(0);
    expect(r.fusion?.weights.context ?? 0).toBe(0);
    expect(r.fusion?.notes.join(' ')).toMatch(/too sparse for its skip-gram vectors to help/);
    for (const m of ['graph', 'popularity', 'walk'] as const) {
      expect(r.recall.fused).toBeGreaterThanOrEqual(r.recall[m]);
      expect(r.ndcg.fused).toBeGreaterThanOrEqual(r.ndcg[m]);
    }
  });
});

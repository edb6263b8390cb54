import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaveLastOut } from '../src/eval/split.js';
import { reviewRecords, reviewTableOf } from '../src/ingest/table.js';
import { readInputs } from '../src/ingest/index.js';
import type { ShopData } from '../src/ingest/records.js';
import { runEval, type EvalJobOptions } from '../src/jobs/evaluate.js';
import { computeProfiles } from '../src/jobs/profiles.js';
import { command as evalCommand } from '../src/cli/eval.js';
import { repoRoot, sharedData } from './helpers/paths.js';
import { runCommand } from './helpers/run-command.js';
import { sparseShop } from './helpers/sparse-shop.js';

const files = ['reviews.csv', 'products.csv'].map((f) => join(repoRoot, 'data', 'sample', f));
// Graph and walk parts only (no text model) and short walks: these tests are about tuning, not quality.
const quick = { textWeight: 0, threads: 1, walksPerNode: 2, walkLength: 20 } satisfies Partial<EvalJobOptions>;

describe('the learned fusion and the baselines see only training reviews', () => {
  it('poisoning every held-out review changes what is scored, but no tuned or learned parameter', async () => {
    const data = (await readInputs(files)) as ShopData;
    const held = new Set(leaveLastOut(data.reviews, 3).test);
    const records = reviewRecords(data.reviews);
    const products = Array.from(new Set(records.map((r) => r.productId))).sort();
    // Each held-out review now names another product, with other words and rating (same user, same time).
    const poisoned: ShopData = {
      ...data,
      reviews: reviewTableOf(records.map((r, i) => (held.has(i) ? { ...r, productId: products[(products.indexOf(r.productId) + 7) % products.length]!, text: 'poison', rating: 1 } : r))),
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

describe('All Beauty, where the walk part takes next-item transitions', () => {
  const beauty = [sharedData('amazon-all-beauty', 'All_Beauty_5.json.gz')];
  // The walk part alone decides here (text and skip-gram get no weight), so no text model is needed.
  const opts = { files: beauty, textWeight: 0, threads: 1 } satisfies Partial<EvalJobOptions>;

  it('ranks at least as well as every baseline, and poisoning the held-out reviews moves no tuned parameter', async () => {
    const data = (await readInputs(beauty)) as ShopData;
    const clean = await runEval(null, { ...opts, data });
    expect(clean.fusion?.walk.sequence).toBeGreaterThan(0);
    for (const b of ['popularity', 'itemknn', 'ease', 'rp3beta'] as const) {
      expect(clean.recall.fused).toBeGreaterThanOrEqual(clean.recall[b]);
      expect(clean.ndcg.fused).toBeGreaterThanOrEqual(clean.ndcg[b]);
    }
    const held = new Set(leaveLastOut(data.reviews, 3).test);
    const records = reviewRecords(data.reviews);
    const products = Array.from(new Set(records.map((r) => r.productId))).sort();
    const poisoned: ShopData = {
      ...data,
      reviews: reviewTableOf(records.map((r, i) => (held.has(i) ? { ...r, productId: products[(products.indexOf(r.productId) + 7) % products.length]! } : r))),
    };
    const dirty = await runEval(null, { ...opts, data: poisoned });
    expect(dirty.recall).not.toEqual(clean.recall);
    expect(dirty.fusion?.walk).toEqual(clean.fusion?.walk);
    expect(dirty.fusion?.weights).toEqual(clean.fusion?.weights);
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

describe('graphprof eval on the command line', () => {
  it('prints every method and baseline with 4 decimals, and the same figures under recall@10 / ndcg@10 in --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'graphprof-eval-cli-'));
    try {
      const args = ['eval', '-i', ...files, '--db', join(dir, 'e.db'), '--text-weight', '0', '--walks', '2', '--walk-length', '20', '--threads', '1', '--quiet'];
      const table = await runCommand(evalCommand, args);
      const json = JSON.parse(await runCommand(evalCommand, [...args, '--json'])) as Record<string, Record<string, number>>;
      const methods = ['popularity', 'itemknn', 'ease', 'rp3beta', 'graph', 'context', 'walk', 'fused'];
      expect(Object.keys(json['recall@10'])).toEqual(expect.arrayContaining(methods));
      expect(Object.keys(json['ndcg@10'])).toEqual(expect.arrayContaining(methods));
      for (const m of methods) {
        const row = table.split('\n').find((l) => l.startsWith(`${m} `));
        expect(row, m).toMatch(new RegExp(`^${m}\\s+${json['recall@10'][m].toFixed(4)}\\s+${json['ndcg@10'][m].toFixed(4)}\\s+\\S`));
      }
      expect(table).toMatch(/rp3beta .*baseline: RP3β, α [\d.]+, β [\d.]+ \(validation\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

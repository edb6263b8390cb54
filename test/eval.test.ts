import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEval } from '../src/jobs/evaluate.js';
import { MemoryTextVectorCache } from '../src/text/cache.js';
import { repoRoot } from './helpers/paths.js';

const sample = (f: string): string => join(repoRoot, 'data', 'sample', f);

describe('graphprof eval on the sample shop', () => {
  it('scores the baselines, graph, text and fused rankings of held-out reviews, and the segment ARI', async () => {
    const r = await runEval(null, {
      files: [sample('reviews.csv'), sample('products.csv')],
      truth: sample('ground_truth.csv'),
      textWeights: [0, 1],
      clusters: 5,
      threads: 2,
      textCache: new MemoryTextVectorCache(),
    });
    expect(r.runId).toBeNull();
    expect(r.users).toBe(300); // every sample user has >= 3 reviews
    expect(r.methods).toEqual(['popularity', 'itemknn', 'ease', 'rp3beta', 'graph', 'context', 'walk', 'text', 'fused']);
    for (const m of r.methods) {
      expect(r.recall[m]).toBeGreaterThanOrEqual(0);
      expect(r.recall[m]).toBeLessThanOrEqual(1);
      expect(r.ndcg[m]).toBeLessThanOrEqual(r.recall[m]);
    }
    // Planted preferences make every learned signal beat popularity on this shop.
    expect(r.recall.graph).toBeGreaterThan(r.recall.popularity);
    expect(r.recall.text).toBeGreaterThan(r.recall.popularity);
    expect(r.recall.fused).toBeGreaterThan(r.recall.popularity);
    // The sweep's end points are the pure methods.
    expect(r.byTextWeight?.['0'].recall).toBeCloseTo(r.recall.graph, 6);
    expect(r.byTextWeight?.['1'].recall).toBeCloseTo(r.recall.text, 6);
    expect(r.ari).toBeGreaterThanOrEqual(0.9);
    // The learned fusion is never worse than its best single part on its own validation split
    // (the newest training review of each user), by Recall@10 + NDCG@10. Whether a blend passes
    // the out-of-fold check here is not asserted: on the sample shop it is a borderline test
    // (t 1.72 on the EPYC machine, where the text + walk blend was kept; on the Xeon machine
    // the text part's slightly different vectors — onnxruntime picks its kernels by CPU — fail
    // it with one thread too, and fused is the text part alone). test/rank.test.ts checks the
    // blend decision itself on constructed parts.
    const v = r.fusion?.validation ?? {};
    const parts = ['graph', 'context', 'text', 'walk', 'popularity'] as const;
    const both = (x: { recall: number; ndcg: number } | undefined): number => (x ? x.recall + x.ndcg : 0);
    expect(Object.keys(r.fusion?.weights ?? {}).length).toBeGreaterThanOrEqual(1);
    expect(both(v.fused)).toBeGreaterThanOrEqual(Math.max(...parts.map((p) => both(v[p]))));
    expect(r.ndcg.fused).toBeGreaterThan(r.ndcg.popularity);
    expect(Object.keys(r.timings)).toEqual(expect.arrayContaining(['read', 'walks', 'skip-gram', 'text', 'score']));
  });
});

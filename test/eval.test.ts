import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEval } from '../src/jobs/evaluate.js';
import { MemoryTextVectorCache } from '../src/text/cache.js';
import { repoRoot } from './helpers/paths.js';

const sample = (f: string): string => join(repoRoot, 'data', 'sample', f);

describe('graphprof eval on the sample shop', () => {
  it('scores popularity, graph, text and fused rankings of held-out reviews, and the segment ARI', async () => {
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
    for (const m of ['popularity', 'graph', 'text', 'fused'] as const) {
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
    expect(Object.keys(r.timings)).toEqual(expect.arrayContaining(['read', 'walks', 'skip-gram', 'text', 'score']));
  });
});

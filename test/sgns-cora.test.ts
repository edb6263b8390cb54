/**
 * Link prediction on Cora: skip-gram vectors trained on node2vec walks of the
 * training graph only (10% of the unique undirected edges held out, seeded;
 * no node loses its last edge) must rank the held-out edges above as many
 * seeded non-edges. Score of a pair: the cosine of the two nodes' vectors.
 */
import { describe, expect, it } from 'vitest';
import { trainSkipGram } from '../src/sgns/index.js';
import { generateWalks } from '../src/walk/index.js';
import { coraSplit, fixtureCsr, linkAuc } from './sgns-fixtures.js';

describe('trainSkipGram on Cora', () => {
  it('predicts held-out citations with ROC-AUC >= 0.85', async () => {
    const split = coraSplit(0.1, 7);
    expect(split.positives.length).toBe(528);
    const corpus = await generateWalks(fixtureCsr(split.train, split.ids), { walkLength: 80, walksPerNode: 5, seed: 11, threads: 2 });
    const { vectors, dim } = await trainSkipGram(corpus, { dim: 64, window: 10, threads: 2, seed: 3 });
    const auc = linkAuc(vectors, dim, split);
    expect(auc).toBeGreaterThanOrEqual(0.85);
  }, 120_000);
});

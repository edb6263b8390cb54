/**
 * Node classification (src/eval/node-classification.ts): F1 by hand, the
 * logistic regression against scikit-learn's optimum on a tiny problem,
 * seeded splits, perfect scores on separable blobs, and Cora's labels.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import {
  classificationSplits,
  f1Scores,
  nodeClassification,
  readContentLabels,
  trainLogisticRegression,
} from '../src/eval/node-classification.js';
import { OptionError } from '../src/util/errors.js';
import { coraSplit, repoRoot, rng } from './sgns-fixtures.js';

describe('nodeClassification', () => {
  it('computes Macro-F1 and Micro-F1 as defined', () => {
    // class 0: tp 1, fp 1, fn 1 -> 0.5; class 1: tp 2, fp 1 -> 0.8; class 2: fn 1 -> 0.
    const f = f1Scores(Int32Array.of(0, 0, 1, 1, 2), Int32Array.of(0, 1, 1, 1, 0), 3);
    expect(f.macroF1).toBeCloseTo((0.5 + 0.8 + 0) / 3, 12);
    expect(f.microF1).toBeCloseTo(0.6, 12);
    // A class absent from truth and prediction does not count.
    expect(f1Scores(Int32Array.of(0, 1), Int32Array.of(0, 1), 5).macroF1).toBe(1);
  });

  it('finds the regularised logistic-regression optimum scikit-learn finds', () => {
    const x = Float32Array.of(-2, 0.5, -1, -0.3, 0.5, 1, 1, 0.2, 2, -1, -0.5, 0.8);
    const rows = Uint32Array.of(0, 1, 2, 3, 4, 5);
    const y = Uint8Array.of(0, 0, 1, 1, 1, 0);
    // sklearn 1.2 LogisticRegression(C=1, solver="lbfgs", tol=1e-10): coef [1.17880985, 0.04322606], intercept -0.015642.
    const w = trainLogisticRegression(x, 2, rows, y, 1, 1e-10).weights;
    expect(w[0]).toBeCloseTo(1.17880985, 5);
    expect(w[1]).toBeCloseTo(0.04322606, 5);
    expect(w[2]).toBeCloseTo(-0.015642, 5);
  });

  it('scores separable classes perfectly and random labels near chance, over seeded splits', () => {
    const random = rng(3);
    const n = 300;
    const dim = 4;
    const vectors = new Float32Array(n * dim);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (let j = 0; j < dim; j++) vectors[i * dim + j] = (j === labels[i] ? 3 : 0) + random() - 0.5;
    }
    labels[7] = -1; // unlabelled rows are left out
    const named = { labels, classes: ['a', 'b', 'c'] };
    const r = nodeClassification(vectors, dim, named, { splits: 3 });
    expect(r.macroF1).toBe(1);
    expect(r.microF1).toBe(1);
    expect(r.labelled).toBe(299);
    expect(r.trained).toBe(150);
    const shuffled = { labels: Int32Array.from(labels, (l) => (l < 0 ? l : Math.floor(random() * 3))), classes: named.classes };
    expect(nodeClassification(vectors, dim, shuffled, { splits: 3 }).macroF1).toBeLessThan(0.5);
    // The same seed gives the same splits; another seed others.
    const a = classificationSplits(named, 0.5, 2, 9);
    expect(a).toEqual(classificationSplits(named, 0.5, 2, 9));
    expect(a[0]!.train).not.toEqual(classificationSplits(named, 0.5, 2, 10)[0]!.train);
    expect(() => nodeClassification(vectors, dim, named, { trainFraction: 1 })).toThrow(OptionError);
  });

  it("reads Cora's labels: 2,708 papers in 7 classes", () => {
    const { ids } = coraSplit(0.1, 7);
    const labels = readContentLabels(resolve(repoRoot, '../shared/data/cora/cora.content'), ids);
    expect(labels.classes).toHaveLength(7);
    expect(labels.labels.filter((l) => l >= 0)).toHaveLength(2708);
    expect(labels.classes).toContain('Neural_Networks');
  });
});

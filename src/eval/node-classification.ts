/**
 * Node classification, the node2vec paper's quality measure for graph
 * vectors: one-vs-rest L2-regularised logistic regression on the vectors of a
 * seeded `trainFraction` of the labelled nodes, Macro-F1 and Micro-F1 on the
 * rest, averaged over `splits` seeded splits. The model is sklearn's
 * `LogisticRegression(C=1, solver="lbfgs")` per class (bench/sgns.ts checks
 * the figures against sklearn once): minimise
 *   0.5 * |w|^2 + C * sum_i log(1 + exp(-y_i (w . x_i + b)))   (b unpenalised)
 * by L-BFGS, written here on typed arrays because it is small (a few hundred
 * lines of arithmetic, no dependency fits: ml-* packages hold rows as arrays
 * of objects and use plain gradient descent).
 *
 * Cora's labels come from `cora.content` (`paper_id <1433 word flags> class`).
 */
import { readFileSync } from 'node:fs';
import { OptionError } from '../util/errors.js';
import { Prng } from '../util/random.js';

export interface NodeLabels {
  /** Class index of each vector row; -1 = unlabelled (left out). */
  readonly labels: Int32Array;
  /** Class names, by index. */
  readonly classes: readonly string[];
}

export interface NodeClassificationOptions {
  /** Share of the labelled nodes used for training (default 0.5, as in node2vec). */
  trainFraction?: number;
  /** Seeded random splits to average over (default 5). */
  splits?: number;
  seed?: number;
  /** Inverse regularisation strength C (default 1, sklearn's). */
  c?: number;
}

export interface NodeClassificationResult {
  macroF1: number;
  microF1: number;
  macroF1PerSplit: number[];
  microF1PerSplit: number[];
  /** Labelled nodes, and those in each split's training part. */
  labelled: number;
  trained: number;
}

const FN = 'nodeClassification';

/**
 * Reads `paper_id ... class` lines (Cora's `cora.content`) and labels the rows
 * whose key (`keys[row]`, the node id as written in the edge list) has a line.
 */
export function readContentLabels(file: string, keys: readonly string[]): NodeLabels {
  const byId = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2) continue;
    byId.set(parts[0]!, parts[parts.length - 1]!);
  }
  const classes = [...new Set(byId.values())].sort();
  const index = new Map(classes.map((c, i) => [c, i] as [string, number]));
  const labels = new Int32Array(keys.length).fill(-1);
  keys.forEach((key, row) => {
    const c = byId.get(key);
    if (c !== undefined) labels[row] = index.get(c)!;
  });
  return { labels, classes };
}

export interface LogisticModel {
  /** dim weights followed by the intercept. */
  readonly weights: Float64Array;
}

/**
 * Binary L2-regularised logistic regression (labels y in {0, 1}) on rows
 * `rows` of `vectors` [n x dim], by L-BFGS to a gradient max-norm below
 * `tolerance` (sklearn's lbfgs default, 1e-4).
 */
export function trainLogisticRegression(
  vectors: Float32Array,
  dim: number,
  rows: Uint32Array,
  y: Uint8Array,
  c = 1,
  tolerance = 1e-4,
  maxIterations = 500,
): LogisticModel {
  const n = rows.length;
  const size = dim + 1;
  // The training rows, contiguous and in double precision.
  const x = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) x[i * dim + j] = vectors[rows[i]! * dim + j]!;
  const evaluate = (w: Float64Array, grad: Float64Array): number => {
    let f = 0;
    for (let j = 0; j < dim; j++) {
      f += 0.5 * w[j]! * w[j]!;
      grad[j] = w[j]!;
    }
    grad[dim] = 0;
    const b = w[dim]!;
    for (let i = 0; i < n; i++) {
      const base = i * dim;
      let z = b;
      for (let j = 0; j < dim; j++) z += w[j]! * x[base + j]!;
      const sign = y[i] ? 1 : -1;
      const m = sign * z;
      // log(1 + exp(-m)) and its derivative, stable for large |m|.
      f += c * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
      const p = m > 0 ? Math.exp(-m) / (1 + Math.exp(-m)) : 1 / (1 + Math.exp(m));
      const coef = -c * sign * p;
      for (let j = 0; j < dim; j++) grad[j]! += coef * x[base + j]!;
      grad[dim]! += coef;
    }
    return f;
  };
  const w = minimiseLbfgs(evaluate, new Float64Array(size), tolerance, maxIterations);
  return { weights: w };
}

function score(model: LogisticModel, x: Float32Array, dim: number, row: number): number {
  const w = model.weights;
  let z = w[dim]!;
  for (let j = 0; j < dim; j++) z += w[j]! * x[row * dim + j]!;
  return z;
}

/** L-BFGS (10 correction pairs) with a backtracking Armijo line search, for smooth convex f. */
function minimiseLbfgs(
  evaluate: (x: Float64Array, grad: Float64Array) => number,
  x0: Float64Array,
  tolerance: number,
  maxIterations: number,
): Float64Array {
  const size = x0.length;
  const memory = 10;
  const s: Float64Array[] = [];
  const yk: Float64Array[] = [];
  const rho: number[] = [];
  let x = x0.slice();
  let g = new Float64Array(size);
  let f = evaluate(x, g);
  const direction = new Float64Array(size);
  const alpha = new Float64Array(memory);
  const xNew = new Float64Array(size);
  let gNew = new Float64Array(size);
  for (let iter = 0; iter < maxIterations; iter++) {
    let gMax = 0;
    for (let j = 0; j < size; j++) gMax = Math.max(gMax, Math.abs(g[j]!));
    if (gMax < tolerance) break;
    // Two-loop recursion: direction = -H g.
    for (let j = 0; j < size; j++) direction[j] = -g[j]!;
    for (let k = s.length - 1; k >= 0; k--) {
      let dot = 0;
      for (let j = 0; j < size; j++) dot += s[k]![j]! * direction[j]!;
      alpha[k] = rho[k]! * dot;
      for (let j = 0; j < size; j++) direction[j]! -= alpha[k]! * yk[k]![j]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      let sy = 0;
      let yy = 0;
      for (let j = 0; j < size; j++) {
        sy += s[last]![j]! * yk[last]![j]!;
        yy += yk[last]![j]! * yk[last]![j]!;
      }
      const gamma = sy / yy;
      for (let j = 0; j < size; j++) direction[j]! *= gamma;
    }
    for (let k = 0; k < s.length; k++) {
      let dot = 0;
      for (let j = 0; j < size; j++) dot += yk[k]![j]! * direction[j]!;
      const beta = rho[k]! * dot;
      for (let j = 0; j < size; j++) direction[j]! += (alpha[k]! - beta) * s[k]![j]!;
    }
    let slope = 0;
    for (let j = 0; j < size; j++) slope += g[j]! * direction[j]!;
    if (slope >= 0) {
      // Not a descent direction (curvature information went stale): restart from -g.
      s.length = 0;
      yk.length = 0;
      rho.length = 0;
      for (let j = 0; j < size; j++) direction[j] = -g[j]!;
      slope = 0;
      for (let j = 0; j < size; j++) slope -= g[j]! * g[j]!;
    }
    let step = iter === 0 && s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let fNew = 0;
    for (let tries = 0; tries < 60; tries++) {
      for (let j = 0; j < size; j++) xNew[j] = x[j]! + step * direction[j]!;
      fNew = evaluate(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < f) && Math.abs(fNew - f) <= 1e-12 * Math.max(1, Math.abs(f))) break;
    const sk = new Float64Array(size);
    const ykNew = new Float64Array(size);
    let sy = 0;
    for (let j = 0; j < size; j++) {
      sk[j] = xNew[j]! - x[j]!;
      ykNew[j] = gNew[j]! - g[j]!;
      sy += sk[j]! * ykNew[j]!;
    }
    if (sy > 1e-12) {
      if (s.length === memory) {
        s.shift();
        yk.shift();
        rho.shift();
      }
      s.push(sk);
      yk.push(ykNew);
      rho.push(1 / sy);
    }
    x = xNew.slice();
    const swap = g;
    g = gNew;
    gNew = swap;
    f = fNew;
  }
  return x;
}

/** Macro-F1 (mean over classes present in truth or prediction) and Micro-F1 (= accuracy, single-label). */
export function f1Scores(truth: Int32Array, predicted: Int32Array, classes: number): { macroF1: number; microF1: number } {
  const tp = new Float64Array(classes);
  const fp = new Float64Array(classes);
  const fn = new Float64Array(classes);
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t === p) {
      tp[t]!++;
      correct++;
    } else {
      fp[p]!++;
      fn[t]!++;
    }
  }
  let sum = 0;
  let present = 0;
  for (let k = 0; k < classes; k++) {
    if (tp[k]! + fp[k]! + fn[k]! === 0) continue;
    present++;
    sum += (2 * tp[k]!) / (2 * tp[k]! + fp[k]! + fn[k]!);
  }
  return { macroF1: present > 0 ? sum / present : 0, microF1: truth.length > 0 ? correct / truth.length : 0 };
}

/** Rows with a label (>= 0). */
export function labelledRows(labels: NodeLabels): Uint32Array {
  return Uint32Array.from(Array.from(labels.labels.keys()).filter((row) => labels.labels[row]! >= 0));
}

/**
 * The seeded splits of the labelled rows: split s shuffles them with seed
 * `seed + 7919 s` and trains on the first `trainFraction` of the order.
 */
export function classificationSplits(
  labels: NodeLabels,
  trainFraction = 0.5,
  splits = 5,
  seed = 42,
): { train: Uint32Array; test: Uint32Array }[] {
  const labelled = labelledRows(labels);
  return Array.from({ length: splits }, (_, split) => {
    const order = labelled.slice();
    const rng = new Prng(seed, `node-classification-split-${split}`);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    const cut = Math.round(order.length * trainFraction);
    return { train: order.subarray(0, cut), test: order.subarray(cut) };
  });
}

/** One-vs-rest logistic regression on `vectors` [rows x dim], Macro/Micro-F1 over seeded splits. */
export function nodeClassification(
  vectors: Float32Array,
  dim: number,
  labels: NodeLabels,
  opts: NodeClassificationOptions = {},
): NodeClassificationResult {
  const trainFraction = opts.trainFraction ?? 0.5;
  const splits = opts.splits ?? 5;
  const seed = opts.seed ?? 42;
  const c = opts.c ?? 1;
  if (!(trainFraction > 0 && trainFraction < 1)) throw new OptionError(FN, 'trainFraction', trainFraction, 'a number in (0, 1)');
  if (!Number.isInteger(splits) || splits < 1) throw new OptionError(FN, 'splits', splits, 'an integer >= 1');
  if (!(c > 0)) throw new OptionError(FN, 'c', c, 'a number > 0');
  if (vectors.length !== labels.labels.length * dim) {
    throw new OptionError(FN, 'vectors', vectors.length, `rows x dim = ${labels.labels.length} x ${dim} floats`);
  }
  const labelled = labelledRows(labels);
  const classes = labels.classes.length;
  if (labelled.length < 2 || classes < 2) throw new OptionError(FN, 'labels', labelled.length, 'at least 2 labelled rows of 2 classes');
  const macro: number[] = [];
  const micro: number[] = [];
  let trained = 0;
  for (const { train, test } of classificationSplits(labels, trainFraction, splits, seed)) {
    trained = train.length;
    const models: LogisticModel[] = [];
    for (let k = 0; k < classes; k++) {
      const y = Uint8Array.from(train, (row) => (labels.labels[row] === k ? 1 : 0));
      models.push(trainLogisticRegression(vectors, dim, train, y, c));
    }
    const truth = Int32Array.from(test, (row) => labels.labels[row]!);
    const predicted = Int32Array.from(test, (row) => {
      let best = 0;
      let bestScore = -Infinity;
      models.forEach((m, k) => {
        const z = score(m, vectors, dim, row);
        if (z > bestScore) {
          bestScore = z;
          best = k;
        }
      });
      return best;
    });
    const f = f1Scores(truth, predicted, classes);
    macro.push(f.macroF1);
    micro.push(f.microF1);
  }
  const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  return { macroF1: mean(macro), microF1: mean(micro), macroF1PerSplit: macro, microF1PerSplit: micro, labelled: labelled.length, trained };
}

/**
 * The shop-trained text encoder: text vectors for any language, learned
 * offline from the shop's own reviews.
 *
 *   1. Words: words() (words.ts) of every text, at most TEXT_LIMITS.maxTokens
 *      words of its first TEXT_LIMITS.maxChars characters.
 *   2. Word vectors: graphprof's native skip-gram (SGNS) over the texts as
 *      sentences, words seen at least SHOP_ENCODER_DEFAULTS.minCount times.
 *   3. A text's vector (SIF, Arora, Liang & Ma, "A simple but tough-to-beat
 *      baseline for sentence embeddings", ICLR 2017): the mean over its known
 *      words of a / (a + p(w)) · v(w), p(w) the word's share of all training
 *      words, then the projection on the first principal component u of the
 *      training texts' vectors removed (v - u uᵀv; u is the first right
 *      singular vector, uncentred, as in the paper's code), then unit length.
 *      A text with no known word gets a zero row (no text).
 *
 * The model (its SIF-weighted word vectors and u) is identified by
 * `shop-sif-<dim>d@<16 hex of its sha256>` and kept in the text cache like
 * text vectors (model id `<id>#words`, key: the hash of the word, so the
 * vocabulary itself is never stored as text); a refresh loads it from there
 * and embeds new reviews in the same space. Words new since training are
 * skipped.
 */
import { createHash } from 'node:crypto';
import { trainSkipGram } from '../sgns/index.js';
import { AbortedError, ModelError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import type { TextVectorCache } from './cache.js';
import { cutText, TEXT_LIMITS } from './limits.js';
import { textHash } from './normalize.js';
import { words } from './words.js';

/**
 * Training parameters (word2vec's usual values where they exist): dim 128,
 * window 5, 5 negatives, sub-sampling 1e-3; words seen once are dropped; the
 * number of epochs makes skip-gram see at least 500k words (5 to 40 epochs),
 * so a small shop's few reviews still train its words (chosen on the sample
 * shops only: ARI of text-only segments 0.98 on the Chinese one with 150
 * users, as with 2M words at four times the cost); SIF's a = 1e-3 (the
 * paper's choice).
 */
export const SHOP_ENCODER_DEFAULTS = {
  dim: 128,
  window: 5,
  negative: 5,
  sample: 1e-3,
  minCount: 2,
  minTrainingWords: 500_000,
  minEpochs: 5,
  maxEpochs: 40,
  sifA: 1e-3,
} as const;

const PC_KEY = 'sif-first-principal-component';
const POWER_ITERATIONS = 100;

export interface ShopEncoderModel {
  /** `shop-sif-<dim>d@<16 hex>`. */
  readonly id: string;
  readonly dim: number;
  /** SIF-weighted word vectors, by word. */
  readonly words: ReadonlyMap<string, Float32Array>;
  /** First principal component of the training texts' vectors (unit length, or zero). */
  readonly pc: Float32Array;
}

export interface ShopTrainOptions {
  seed?: number;
  threads?: number;
  signal?: AbortSignal;
  onProgress?: Progress;
}

/** The words of one text the shop encoder reads, and whether TEXT_LIMITS cut it. */
function limitedWords(text: string): { words: string[]; cut: boolean } {
  const w = words(cutText(text, TEXT_LIMITS.maxChars));
  const cut = text.length > TEXT_LIMITS.maxChars || w.length > TEXT_LIMITS.maxTokens;
  if (w.length > TEXT_LIMITS.maxTokens) w.length = TEXT_LIMITS.maxTokens;
  return { words: w, cut };
}

const textWords = (text: string): string[] => limitedWords(text).words;

/** Model id over the word hashes, weighted vectors and u, in a fixed order. */
function modelId(dim: number, entries: [string, Float32Array][], pc: Float32Array): string {
  const h = createHash('sha256');
  for (const [hash, v] of entries) h.update(hash).update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  h.update(new Uint8Array(pc.buffer, pc.byteOffset, pc.byteLength));
  return `shop-sif-${dim}d@${h.digest('hex').slice(0, 16)}`;
}

/** Mean SIF-weighted word vector of each text (rows of zeros for texts with no known word). */
function meanVectors(texts: readonly string[][], lookup: (w: string) => Float32Array | undefined, dim: number): Float32Array {
  const out = new Float32Array(texts.length * dim);
  texts.forEach((ws, i) => {
    let n = 0;
    const row = out.subarray(i * dim, (i + 1) * dim);
    for (const w of ws) {
      const v = lookup(w);
      if (!v) continue;
      for (let d = 0; d < dim; d++) row[d]! += v[d]!;
      n++;
    }
    if (n > 0) for (let d = 0; d < dim; d++) row[d]! /= n;
  });
  return out;
}

/** First right singular vector of the rows (power iteration on XᵀX from a fixed start; deterministic). */
export function firstPrincipalComponent(x: Float32Array, dim: number): Float32Array {
  const n = x.length / dim;
  let u = new Float64Array(dim).fill(1 / Math.sqrt(dim));
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    const next = new Float64Array(dim);
    for (let r = 0; r < n; r++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += x[r * dim + d]! * u[d]!;
      if (dot === 0) continue;
      for (let d = 0; d < dim; d++) next[d]! += dot * x[r * dim + d]!;
    }
    const norm = Math.hypot(...next);
    if (norm === 0) return new Float32Array(dim);
    for (let d = 0; d < dim; d++) next[d]! /= norm;
    u = next;
  }
  return Float32Array.from(u);
}

/** Removes the component along `pc` from every row, then scales rows to unit length. */
function removeComponentAndNormalise(x: Float32Array, dim: number, pc: Float32Array): Float32Array {
  for (let r = 0; r < x.length / dim; r++) {
    const row = x.subarray(r * dim, (r + 1) * dim);
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += row[d]! * pc[d]!;
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      row[d] = row[d]! - dot * pc[d]!;
      norm += row[d]! * row[d]!;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let d = 0; d < dim; d++) row[d] = row[d]! * inv;
    }
  }
  return x;
}

export function epochsFor(trainingWords: number): number {
  const d = SHOP_ENCODER_DEFAULTS;
  return Math.min(d.maxEpochs, Math.max(d.minEpochs, Math.ceil(d.minTrainingWords / Math.max(1, trainingWords))));
}

/** Trains the encoder on `texts` (normalised, distinct). */
export async function trainShopEncoder(texts: readonly string[], opts: ShopTrainOptions = {}): Promise<ShopEncoderModel> {
  const d = SHOP_ENCODER_DEFAULTS;
  const tokenized = texts.map(textWords);
  const counts = new Map<string, number>();
  for (const ws of tokenized) for (const w of ws) counts.set(w, (counts.get(w) ?? 0) + 1);
  // Ids by frequency, ties by code-point order: the same texts always give the same ids.
  const vocab = [...counts].filter(([, c]) => c >= d.minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const idOf = new Map(vocab.map(([w], i) => [w, i]));
  const tokens: number[] = [];
  const lengths: number[] = [];
  for (const ws of tokenized) {
    const before = tokens.length;
    for (const w of ws) {
      const id = idOf.get(w);
      if (id !== undefined) tokens.push(id);
    }
    if (tokens.length > before) lengths.push(tokens.length - before);
  }
  if (opts.signal?.aborted) throw new AbortedError('shop text encoder');
  const empty = (): ShopEncoderModel => {
    const pc = new Float32Array(d.dim);
    return { id: modelId(d.dim, [], pc), dim: d.dim, words: new Map(), pc };
  };
  if (vocab.length === 0) return empty();
  const epochs = epochsFor(tokens.length);
  const sg = await trainSkipGram(
    { tokens: Uint32Array.from(tokens), lengths: Uint32Array.from(lengths), nodeCount: vocab.length },
    {
      dim: d.dim,
      window: d.window,
      negative: d.negative,
      sample: d.sample,
      epochs,
      seed: opts.seed,
      threads: opts.threads,
      signal: opts.signal,
      onProgress: opts.onProgress ? (p) => opts.onProgress!(p.words, p.totalWords, `shop words: ${vocab.length} words, ${epochs} epochs`) : undefined,
    },
  );
  const total = tokens.length;
  const weighted = new Map<string, Float32Array>();
  vocab.forEach(([w, c], i) => {
    const weight = d.sifA / (d.sifA + c / total);
    weighted.set(w, Float32Array.from(sg.vectors.subarray(i * d.dim, (i + 1) * d.dim), (x) => x * weight));
  });
  const pc = firstPrincipalComponent(meanVectors(tokenized, (w) => weighted.get(w), d.dim), d.dim);
  const entries = [...weighted].map(([w, v]): [string, Float32Array] => [textHash(w), v]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return { id: modelId(d.dim, entries, pc), dim: d.dim, words: weighted, pc };
}

/** Unit vectors of `texts` under `model` (n x dim; zero rows for texts with no known word), and how many texts TEXT_LIMITS cut. */
export function encodeWithShopModel(model: ShopEncoderModel, texts: readonly string[]): { vectors: Float32Array; truncated: number } {
  const read = texts.map(limitedWords);
  const x = meanVectors(read.map((r) => r.words), (w) => model.words.get(w), model.dim);
  return { vectors: removeComponentAndNormalise(x, model.dim, model.pc), truncated: read.filter((r) => r.cut).length };
}

/** Cache model id under which the model's word vectors are kept. */
export const wordsModelId = (id: string): string => `${id}#words`;

/** Puts the model into the text cache (its word vectors and u) so a later refresh can load it. */
export function storeShopModel(cache: TextVectorCache, model: ShopEncoderModel): void {
  const entries = [...model.words].map(([w, vector]) => ({ hash: textHash(w), vector }));
  entries.push({ hash: PC_KEY, vector: model.pc });
  cache.put(wordsModelId(model.id), entries);
}

/**
 * The part of a stored model that `texts` need (their words' vectors and u),
 * from the text cache. Throws a ModelError when the model is not there.
 */
export function loadShopModel(cache: TextVectorCache, id: string, texts: readonly string[]): ShopEncoderModel {
  const m = /^shop-sif-(\d+)d@[0-9a-f]{16}$/.exec(id);
  if (!m) throw new ModelError(`loadShopModel: "${id}" is not the id of a shop-trained text model`);
  const dim = Number(m[1]);
  const distinct = [...new Set(texts.flatMap(textWords))];
  const byHash = new Map(distinct.map((w) => [textHash(w), w]));
  const found = cache.get(wordsModelId(id), [PC_KEY, ...byHash.keys()]);
  const pc = found.get(PC_KEY);
  if (!pc || pc.length !== dim) {
    throw new ModelError(`loadShopModel: the shop-trained text model ${id} is not in this database's text cache; train again (graphprof train) to learn a new one`);
  }
  const weighted = new Map<string, Float32Array>();
  for (const [hash, v] of found) if (hash !== PC_KEY) weighted.set(byHash.get(hash)!, v);
  return { id, dim, words: weighted, pc };
}

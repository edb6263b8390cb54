/**
 * The text encoder: normalises and hashes texts, serves known vectors from the
 * cache, tokenizes the rest, cuts long texts into windows, runs length-sorted
 * batches through one reused ONNX session, pools (for token-state models),
 * merges each text's windows weighted by token count, L2-normalises, and puts
 * the new vectors in the cache.
 *
 * Empty texts (nothing left after normalisation) get a zero row and are never
 * sent to the model nor cached; callers that do not want them should skip
 * them. Every other row has unit length.
 */
import { AbortedError, ModelError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import type { TextVectorCache } from './cache.js';
import { normaliseText, textHash } from './normalize.js';
import { addWeighted, l2NormaliseAt, maskedMeanPool } from './pooling.js';
import type { ModelSession } from './session.js';
import type { TextTokenizer } from './tokenizer.js';
import { buildWindows, makeBatch, planBatches, windowCount, type WindowSet } from './windows.js';

export interface EncoderStats {
  /** session.run calls made by encode() (the open-time probe is not counted). */
  sessionRuns: number;
  /** Texts whose vector came from the cache. */
  cacheHits: number;
  /** Distinct texts sent through the model. */
  encoded: number;
  /** Windows sent through the model (more than `encoded` when texts were long). */
  windows: number;
}

export interface EncoderParts {
  modelId: string;
  dim: number;
  maxTokens: number;
  session: ModelSession;
  tokenizer: TextTokenizer;
  batchSize: number;
  cache?: TextVectorCache;
  onProgress?: Progress;
  signal?: AbortSignal;
  /** Length-sorted batches (default true); false only to measure what sorting gains. */
  sortByLength?: boolean;
}

export class TextEncoder {
  readonly modelId: string;
  readonly dim: number;
  readonly maxTokens: number;
  readonly stats: EncoderStats = { sessionRuns: 0, cacheHits: 0, encoded: 0, windows: 0 };

  constructor(private readonly parts: EncoderParts) {
    this.modelId = parts.modelId;
    this.dim = parts.dim;
    this.maxTokens = parts.maxTokens;
  }

  /** Vectors of `texts`, n x dim row-major. */
  async encode(texts: readonly string[]): Promise<Float32Array> {
    const dim = this.dim;
    const out = new Float32Array(texts.length * dim);
    const hashes: (string | undefined)[] = texts.map((t) => {
      const norm = normaliseText(t);
      return norm.length === 0 ? undefined : textHash(norm);
    });
    const firstRowOf = new Map<string, number>();
    hashes.forEach((h, i) => {
      if (h !== undefined && !firstRowOf.has(h)) firstRowOf.set(h, i);
    });
    const known = this.parts.cache?.get(this.modelId, [...firstRowOf.keys()]) ?? new Map<string, Float32Array>();
    const missing = [...firstRowOf.entries()].filter(([h]) => !known.has(h));
    const fresh = await this.encodeMissing(missing.map(([, row]) => normaliseText(texts[row]!)));
    const freshByHash = new Map<string, Float32Array>();
    missing.forEach(([h], k) => freshByHash.set(h, fresh.subarray(k * dim, (k + 1) * dim)));
    if (this.parts.cache && missing.length > 0) this.parts.cache.put(this.modelId, missing.map(([hash]) => ({ hash, vector: freshByHash.get(hash)! })));
    hashes.forEach((h, i) => {
      if (h === undefined) return;
      const v = known.get(h) ?? freshByHash.get(h)!;
      if (v.length !== dim) throw new ModelError(`TextEncoder.encode: cached vector for model ${this.modelId} has ${v.length} values, expected ${dim}; clear the text cache`);
      if (known.has(h)) this.stats.cacheHits++;
      out.set(v, i * dim);
    });
    return out;
  }

  /** Vectors of distinct, normalised, non-empty texts. */
  private async encodeMissing(texts: string[]): Promise<Float32Array> {
    const dim = this.dim;
    const acc = new Float32Array(texts.length * dim);
    if (texts.length === 0) return acc;
    const { tokenizer } = this.parts;
    const windows = buildWindows(texts.map((t) => tokenizer.encodeContent(t)), { maxTokens: this.maxTokens, prefix: tokenizer.prefix, suffix: tokenizer.suffix });
    await this.runWindows(windows, acc, texts.length);
    for (let t = 0; t < texts.length; t++) l2NormaliseAt(acc, t * dim, dim);
    this.stats.encoded += texts.length;
    this.stats.windows += windowCount(windows);
    return acc;
  }

  private async runWindows(w: WindowSet, acc: Float32Array, textCount: number): Promise<void> {
    const { session, batchSize, onProgress, signal } = this.parts;
    const dim = this.dim;
    const remaining = new Int32Array(textCount);
    for (let k = 0; k < w.textOf.length; k++) remaining[w.textOf[k]!]!++;
    let textsDone = 0;
    const started = performance.now();
    const lengths = new Int32Array(batchSize);
    const pooled = new Float32Array(batchSize * dim);
    for (const members of planBatches(w, batchSize, this.parts.sortByLength ?? true)) {
      if (signal?.aborted) throw new AbortedError('text encoding');
      const batch = makeBatch(w, members, lengths);
      const res = await session.run(batch);
      this.stats.sessionRuns++;
      if (res.dims[res.dims.length - 1] !== dim) throw new ModelError(`TextEncoder.encode: ${session.file} returned vectors of size ${res.dims[res.dims.length - 1]}, expected ${dim}`);
      const rowsData = res.kind === 'tokens' ? pooled : res.data;
      if (res.kind === 'tokens') maskedMeanPool(res.data, batch.rows, batch.cols, dim, lengths, pooled);
      for (let r = 0; r < batch.rows; r++) {
        const m = members[r]!;
        const text = w.textOf[m]!;
        l2NormaliseAt(rowsData, r * dim, dim);
        addWeighted(acc, text * dim, rowsData, r * dim, dim, w.weight[m]!);
        if (--remaining[text]! === 0) textsDone++;
      }
      if (onProgress) {
        const secs = (performance.now() - started) / 1000;
        onProgress(textsDone, textCount, `${secs > 0 ? Math.round(textsDone / secs) : 0} texts/s`);
      }
    }
  }

  async close(): Promise<void> {
    await this.parts.session.close();
  }
}

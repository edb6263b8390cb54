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
 *
 * Bounded work per text (TEXT_LIMITS): a text is tokenized from its first
 * 32,768 characters only, and only its first 4,096 content tokens are
 * encoded (32 windows of USE-lite); longer texts are counted in
 * stats.truncated. The cache key is the hash of the normalised text as read
 * (its first 131,072 characters; all of any ordinary review).
 * Texts go through the model in chunks of 4,096 (tokenized, windowed and
 * length-sorted per chunk), so memory does not grow with the number of texts.
 *
 * Progress: the bar advances per batch by the share of each text's tokens its
 * windows covered, so long texts move it as their windows finish (in units of
 * texts; the status says how many texts are complete).
 */
import { AbortedError, ModelError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import type { TextVectorCache } from './cache.js';
import { cutText, readablePart, TEXT_LIMITS } from './limits.js';
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
  /** Texts cut to TEXT_LIMITS before encoding. */
  truncated: number;
}

/** Texts tokenized and batched together. */
const CHUNK_TEXTS = 4_096;

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
  readonly stats: EncoderStats = { sessionRuns: 0, cacheHits: 0, encoded: 0, windows: 0, truncated: 0 };
  /** Progress of encode() calls; may be set after opening (e.g. one bar for loading, another for encoding). */
  onProgress: Progress | undefined;

  constructor(private readonly parts: EncoderParts) {
    this.modelId = parts.modelId;
    this.dim = parts.dim;
    this.maxTokens = parts.maxTokens;
    this.onProgress = parts.onProgress;
  }

  /** Vectors of `texts`, n x dim row-major. */
  async encode(texts: readonly string[]): Promise<Float32Array> {
    const dim = this.dim;
    const out = new Float32Array(texts.length * dim);
    const hashes: (string | undefined)[] = texts.map((t) => {
      const norm = normaliseText(readablePart(t));
      return norm.length === 0 ? undefined : textHash(norm);
    });
    const firstRowOf = new Map<string, number>();
    hashes.forEach((h, i) => {
      if (h !== undefined && !firstRowOf.has(h)) firstRowOf.set(h, i);
    });
    const known = this.parts.cache?.get(this.modelId, [...firstRowOf.keys()]) ?? new Map<string, Float32Array>();
    const missing = [...firstRowOf.entries()].filter(([h]) => !known.has(h));
    const fresh = await this.encodeMissing(missing.map(([, row]) => normaliseText(readablePart(texts[row]!))));
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

  /** Content ids of one text within TEXT_LIMITS. */
  private contentIds(text: string): number[] {
    const cut = cutText(text, TEXT_LIMITS.maxChars);
    const ids = this.parts.tokenizer.encodeContent(cut);
    if (cut.length < text.length || ids.length > TEXT_LIMITS.maxTokens) {
      this.stats.truncated++;
      if (ids.length > TEXT_LIMITS.maxTokens) ids.length = TEXT_LIMITS.maxTokens;
    }
    return ids;
  }

  /** Vectors of distinct, normalised, non-empty texts. */
  private async encodeMissing(texts: string[]): Promise<Float32Array> {
    const dim = this.dim;
    const acc = new Float32Array(texts.length * dim);
    if (texts.length === 0) return acc;
    const { tokenizer } = this.parts;
    const progress = new TextProgress(texts.length, this.onProgress);
    for (let first = 0; first < texts.length; first += CHUNK_TEXTS) {
      if (this.parts.signal?.aborted) throw new AbortedError('text encoding');
      const content = texts.slice(first, first + CHUNK_TEXTS).map((t) => this.contentIds(t));
      const windows = buildWindows(content, { maxTokens: this.maxTokens, prefix: tokenizer.prefix, suffix: tokenizer.suffix });
      await this.runWindows(windows, content, acc, first, progress);
      this.stats.windows += windowCount(windows);
    }
    for (let t = 0; t < texts.length; t++) l2NormaliseAt(acc, t * dim, dim);
    this.stats.encoded += texts.length;
    return acc;
  }

  /** Runs one chunk's windows; text k of the chunk is row `first + k` of acc. */
  private async runWindows(w: WindowSet, content: readonly (readonly number[])[], acc: Float32Array, first: number, progress: TextProgress): Promise<void> {
    const { session, batchSize, signal } = this.parts;
    const dim = this.dim;
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
        addWeighted(acc, (first + text) * dim, rowsData, r * dim, dim, w.weight[m]!);
        progress.window(first + text, w.weight[m]! / Math.max(1, content[text]!.length));
      }
      progress.report();
    }
  }

  async close(): Promise<void> {
    await this.parts.session.close();
  }
}

/** Progress in texts, advanced by the token share of every finished window. */
class TextProgress {
  private done = 0;
  private complete = 0;
  private readonly remaining = new Map<number, number>();
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly onProgress: Progress | undefined,
  ) {}

  window(text: number, share: number): void {
    this.done += share;
    const left = (this.remaining.get(text) ?? 1) - share;
    if (left <= 1e-9) {
      this.remaining.delete(text);
      this.complete++;
    } else this.remaining.set(text, left);
  }

  report(): void {
    if (!this.onProgress) return;
    const secs = (performance.now() - this.started) / 1000;
    this.onProgress(Math.min(this.done, this.total), this.total, `${this.complete}/${this.total} texts, ${secs > 0 ? Math.round(this.complete / secs) : 0} texts/s`);
  }
}

/**
 * Public API of the text module: openTextEncoder() resolves the model (see
 * resolve.ts), loads its tokenizer and one ONNX session, checks that they fit
 * together, and returns a TextEncoder (see encoder.ts for what encode() does
 * with empty texts, long texts and the cache). Defaults: batch size 32,
 * onnxruntime's own choice of intra-op threads, the built-in model in int8.
 */
import { params } from '../params/index.js';
import path from 'node:path';
import { ModelError, OptionError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import type { TextVectorCache } from './cache.js';
import { TextEncoder } from './encoder.js';
import { modelIdOf, readModelDir } from './model-dir.js';
import { resolveTextModel, type ModelSource } from './resolve.js';
import type { TextPrecision } from './params.js';
import { ModelSession, type SessionTuning } from './session.js';
import { loadTokenizer, type TextTokenizer } from './tokenizer.js';
import { buildWindows, makeBatch } from './windows.js';

export { TextEncoder, type EncoderStats } from './encoder.js';
export { TEXT_LIMITS } from './limits.js';
export { SESSION_DEFAULTS, type SessionTuning } from './session.js';
export { TEXT_MODEL_AUTO, TEXT_MODEL_SHOP, TEXT_PRECISIONS, type TextPrecision } from './params.js';
export { MemoryTextVectorCache, type TextVectorCache, type TextVectorEntry } from './cache.js';
export { normaliseText, textHash } from './normalize.js';
export { resolveTextModel, cacheRoot, modelsRoot, cachedModelDir, type ResolvedModel } from './resolve.js';

/**
 * Windows per onnxruntime run. Measured with `npm run bench:text -- --sweep`
 * (int8, 2 threads, length-sorted): batches of 16 or 32 run 1.2x faster than
 * 64 and 128 is slower still (the activations of a 64 x 128-token batch, 50 MB
 * in the feed-forward layers, no longer fit the caches).
 */
export const DEFAULT_BATCH_SIZE = params.batchSize.default;

export interface TextEncoderOptions {
  /** Model directory or cached model name (CLI --text-model); falls back to GRAPHPROF_TEXT_MODEL, the cache, the default. */
  modelDir?: string;
  /** Variant of the built-in model when no directory is given (default int8). */
  precision?: TextPrecision;
  batchSize?: number;
  /** onnxruntime intraOpNumThreads; 0 or absent lets onnxruntime choose. */
  threads?: number;
  /** onnxruntime settings other than threads (default: SESSION_DEFAULTS). */
  session?: SessionTuning;
  cache?: TextVectorCache;
  onProgress?: Progress;
  /** Loading the model: converting it on first use, the tokenizer, the onnxruntime session (3 steps). */
  onLoadProgress?: Progress;
  signal?: AbortSignal;
  /** Length-sorted batching (default true). */
  sortByLength?: boolean;
}

export interface OpenedTextEncoder extends TextEncoder {
  readonly source: ModelSource;
  readonly dir: string;
}

function checkOptions(opts: TextEncoderOptions): { batchSize: number; threads: number } {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new OptionError('openTextEncoder', 'batchSize', opts.batchSize, 'an integer >= 1');
  const threads = opts.threads ?? 0;
  if (!Number.isInteger(threads) || threads < 0) throw new OptionError('openTextEncoder', 'threads', opts.threads, 'an integer >= 0');
  return { batchSize, threads };
}

/** Embedding size: from the output metadata when static, else from one probe run. */
async function probeDim(session: ModelSession, tokenizer: TextTokenizer, maxTokens: number): Promise<number> {
  if (session.dim !== undefined) return session.dim;
  const w = buildWindows([tokenizer.encodeContent('graphprof')], { maxTokens, prefix: tokenizer.prefix, suffix: tokenizer.suffix });
  const res = await session.run(makeBatch(w, Int32Array.of(0), new Int32Array(1)));
  return res.dims[res.dims.length - 1]!;
}

const LOAD_STEPS = 3;

export async function openTextEncoder(opts: TextEncoderOptions = {}): Promise<OpenedTextEncoder> {
  const { batchSize, threads } = checkOptions(opts);
  const load = opts.onLoadProgress;
  load?.(0, LOAD_STEPS, 'finding the text model');
  const resolved = await resolveTextModel({
    modelDir: opts.modelDir,
    precision: opts.precision,
    onConvert: load ? (done, total, status) => load(done / total, LOAD_STEPS, status) : undefined,
  });
  const info = await readModelDir(resolved.dir, resolved.name);
  load?.(1, LOAD_STEPS, `loading the tokenizer of ${info.name}`);
  const tokenizer = await loadTokenizer(info.dir);
  if (info.vocabRows !== undefined && tokenizer.vocabSize > info.vocabRows) {
    throw new ModelError(
      `openTextEncoder: the tokenizer in ${info.dir} has ${tokenizer.vocabSize} ids but the model's embedding table has ${info.vocabRows} rows (config.json vocab_size); use the tokenizer.json exported with this model`,
    );
  }
  load?.(2, LOAD_STEPS, `starting onnxruntime on ${path.basename(info.onnxPath)}`);
  const session = await ModelSession.open(info.onnxPath, { ...opts.session, threads });
  try {
    const dim = await probeDim(session, tokenizer, info.maxTokens);
    load?.(LOAD_STEPS, LOAD_STEPS, `${info.name} ready`);
    const encoder = new TextEncoder({
      modelId: await modelIdOf(info),
      dim,
      maxTokens: info.maxTokens,
      session,
      tokenizer,
      batchSize,
      cache: opts.cache,
      onProgress: opts.onProgress,
      signal: opts.signal,
      sortByLength: opts.sortByLength,
    });
    return Object.assign(encoder, { source: resolved.source, dir: info.dir });
  } catch (e) {
    await session.close();
    throw e;
  }
}

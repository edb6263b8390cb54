/**
 * Skip-gram with negative sampling over a walk corpus: the TypeScript face of
 * the native trainer. It checks the corpus and options, hands the typed arrays
 * to the addon without copying, and turns the worker's promise, progress
 * reports and cancellation into plain async JS.
 */
import { loadNative } from '../native.js';
import { AbortedError, GraphprofError, OptionError } from '../util/errors.js';
import type { WalkCorpus } from '../walk/corpus.js';
import { resolveSgnsOptions, type ResolvedSgnsOptions, type SgnsOptions } from './options.js';

export { SGNS_DEFAULTS, defaultThreads, resolveSgnsOptions, type ResolvedSgnsOptions, type SgnsOptions } from './options.js';

/** A progress report, about four per second while training runs. */
export interface SgnsProgress {
  /** Corpus tokens consumed so far (before sub-sampling), over all epochs. */
  words: number;
  /** epochs x corpus tokens. */
  totalWords: number;
  seconds: number;
  wordsPerSec: number;
  /** Mean SGNS loss per (center, context) pair since the previous report. */
  loss: number;
}

export interface SgnsStats {
  /** Corpus tokens consumed (before sub-sampling), over all epochs. */
  words: number;
  /** (center, context) pairs trained. */
  pairs: number;
  /** Wall time in the native worker: counting, noise table, initialisation and training. */
  seconds: number;
  /** words / seconds. */
  wordsPerSec: number;
  /** Mean SGNS loss per pair over the whole run. */
  loss: number;
  /** Nodes that occur in the corpus. */
  vocabulary: number;
}

export interface SkipGramInit {
  /** nodeCount x dim input vectors to start from (copied, not modified). */
  input: Float32Array;
  /** nodeCount x dim output (context) vectors to start from (copied, not modified). */
  output: Float32Array;
}

export interface TrainSkipGramOptions extends SgnsOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SgnsProgress) => void;
  /** Warm start: continue from these vectors instead of a random start. */
  init?: SkipGramInit;
}

export interface SkipGramResult {
  /** nodeCount x dim input vectors, row i for node index i: the embedding. */
  vectors: Float32Array;
  /** nodeCount x dim output vectors, kept for a later warm start. */
  output: Float32Array;
  dim: number;
  stats: SgnsStats;
}

interface NativeProgress {
  words: number;
  totalWords: number;
  seconds: number;
  loss: number;
}

interface NativeStats {
  words: number;
  pairs: number;
  seconds: number;
  loss: number;
  vocabulary: number;
}

interface NativeParams extends ResolvedSgnsOptions {
  tokens: Uint32Array;
  lengths: Uint32Array;
  nodeCount: number;
  input: Float32Array;
  output: Float32Array;
  randomInit: boolean;
}

interface SgnsNative {
  sgnsTrain(
    params: NativeParams,
    onProgress?: (p: NativeProgress) => void,
  ): { promise: Promise<NativeStats>; cancel: () => void };
}

function checkCorpus(corpus: WalkCorpus): void {
  if (!(corpus.tokens instanceof Uint32Array)) {
    throw new OptionError('trainSkipGram', 'corpus.tokens', typeof corpus.tokens, 'a Uint32Array');
  }
  if (!(corpus.lengths instanceof Uint32Array)) {
    throw new OptionError('trainSkipGram', 'corpus.lengths', typeof corpus.lengths, 'a Uint32Array');
  }
  if (!Number.isInteger(corpus.nodeCount) || corpus.nodeCount < 0) {
    throw new OptionError('trainSkipGram', 'corpus.nodeCount', corpus.nodeCount, 'an integer >= 0');
  }
}

function startVectors(corpus: WalkCorpus, dim: number, init?: SkipGramInit): { input: Float32Array; output: Float32Array } {
  const size = corpus.nodeCount * dim;
  if (!init) return { input: new Float32Array(size), output: new Float32Array(size) };
  for (const key of ['input', 'output'] as const) {
    const arr = init[key];
    if (!(arr instanceof Float32Array) || arr.length !== size) {
      throw new OptionError('trainSkipGram', `init.${key}`, arr?.length, `a Float32Array of nodeCount x dim = ${size} floats`);
    }
  }
  return { input: init.input.slice(), output: init.output.slice() };
}

/**
 * Trains skip-gram vectors on `corpus`. Nodes absent from the corpus keep their
 * initial vector (random, or the warm-start one). Rejects with AbortedError when
 * `signal` aborts.
 */
export async function trainSkipGram(corpus: WalkCorpus, opts: TrainSkipGramOptions = {}): Promise<SkipGramResult> {
  const o = resolveSgnsOptions(opts);
  checkCorpus(corpus);
  const { input, output } = startVectors(corpus, o.dim, opts.init);
  if (opts.signal?.aborted) throw new AbortedError('trainSkipGram');
  const native = loadNative<SgnsNative>();
  const onProgress = opts.onProgress;
  // A throwing progress callback stops training and its error is what the caller sees.
  let progressError: unknown;
  let cancel: (() => void) | undefined;
  const report = onProgress
    ? (p: NativeProgress) => {
        try {
          onProgress({ ...p, wordsPerSec: p.seconds > 0 ? p.words / p.seconds : 0 });
        } catch (err) {
          progressError ??= err;
          cancel?.();
        }
      }
    : undefined;
  const handle = native.sgnsTrain(
    {
      ...o,
      tokens: corpus.tokens,
      lengths: corpus.lengths,
      nodeCount: corpus.nodeCount,
      input,
      output,
      randomInit: opts.init === undefined,
    },
    report,
  );
  cancel = handle.cancel;
  const abort = () => handle.cancel();
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    const s = await handle.promise.catch((err: unknown) => {
      throw progressError ?? err;
    });
    if (progressError !== undefined) throw progressError;
    if (opts.signal?.aborted) throw new AbortedError('trainSkipGram');
    return {
      vectors: input,
      output,
      dim: o.dim,
      stats: { ...s, wordsPerSec: s.seconds > 0 ? s.words / s.seconds : 0 },
    };
  } catch (err) {
    if (err === progressError) throw err;
    if (opts.signal?.aborted) throw new AbortedError('trainSkipGram');
    if (err instanceof GraphprofError) throw err;
    throw new GraphprofError(err instanceof Error ? err.message : String(err));
  } finally {
    opts.signal?.removeEventListener('abort', abort);
  }
}

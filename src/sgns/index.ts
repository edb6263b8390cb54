/**
 * Skip-gram with negative sampling: the TypeScript face of the native trainer.
 * `trainSkipGram` trains on a corpus in memory (walks, or any token
 * sequences such as review words); `trainOnWalks` (./walks.ts) streams node2vec
 * walks into the trainer without ever holding the corpus. Both check their
 * inputs and options, hand the typed arrays to the addon without copying and
 * run through runNativeJob (progress, AbortSignal, errors).
 */
import { runNativeJob } from '../native.js';
import { OptionError } from '../util/errors.js';
import type { WalkCorpus } from '../walk/corpus.js';
import { nativeTrainer } from './binding.js';
import { sgnsProgress, sgnsStats, trainerMatrices, type SgnsProgress, type SgnsStats, type SkipGramInit } from './job.js';
import { resolveSgnsOptions, trainerOptions, type SgnsOptions } from './options.js';

export { SGNS_DEFAULTS, autoEpochs, defaultThreads, resolveSgnsOptions, trainerOptions, type ResolvedSgnsOptions, type SgnsOptions, type TrainerOptions } from './options.js';
export { trainOnWalks, type TrainOnWalksOptions, type WalkTrainingResult, type WalkTrainingStats } from './walks.js';
export type { SgnsProgress, SgnsStats, SkipGramInit } from './job.js';

export interface SkipGramRunOptions extends SgnsOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SgnsProgress) => void;
  /** Warm start: continue from these vectors instead of a random start. */
  init?: SkipGramInit;
  /** nodeCount bytes; nodes with a non-zero byte are dropped from the corpus (they keep their initial vector). */
  exclude?: Uint8Array;
}

export type TrainSkipGramOptions = SkipGramRunOptions;

export interface SkipGramResult {
  /** nodeCount x dim input vectors, row i for node index i: the embedding. */
  vectors: Float32Array;
  /** nodeCount x dim output vectors, kept for a later warm start. */
  output: Float32Array;
  dim: number;
  stats: SgnsStats;
}

function checkCorpus(corpus: WalkCorpus): void {
  if (!(corpus.tokens instanceof Uint32Array)) {
    throw new OptionError('trainSkipGram', 'corpus.tokens', typeof corpus.tokens, 'a Uint32Array');
  }
  if (!(corpus.lengths instanceof Uint32Array)) {
    throw new OptionError('trainSkipGram', 'corpus.lengths', typeof corpus.lengths, 'a Uint32Array');
  }
  if (!Number.isInteger(corpus.nodeCount) || corpus.nodeCount < 0 || corpus.nodeCount > 0xffffffff) {
    throw new OptionError('trainSkipGram', 'corpus.nodeCount', corpus.nodeCount, 'an integer in [0, 4294967295]');
  }
}

const WHAT = 'trainSkipGram';

/**
 * Trains skip-gram vectors on `corpus`. Nodes absent from the corpus keep their
 * initial vector (random, or the warm-start one). Rejects with AbortedError when
 * `signal` aborts.
 */
export async function trainSkipGram(corpus: WalkCorpus, opts: TrainSkipGramOptions = {}): Promise<SkipGramResult> {
  checkCorpus(corpus);
  const o = trainerOptions(resolveSgnsOptions(opts), corpus.tokens.length);
  const matrices = trainerMatrices(WHAT, corpus.nodeCount, o.dim, opts);
  const { onProgress } = opts;
  const stats = await runNativeJob(
    WHAT,
    (report) =>
      nativeTrainer().sgnsTrain({ ...o, ...matrices, tokens: corpus.tokens, lengths: corpus.lengths, nodeCount: corpus.nodeCount }, report),
    { signal: opts.signal, onProgress: onProgress ? (p) => onProgress(sgnsProgress(p)) : undefined },
  );
  return { vectors: matrices.input, output: matrices.output, dim: o.dim, stats: sgnsStats(stats) };
}

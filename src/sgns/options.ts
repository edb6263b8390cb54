/**
 * Skip-gram options: the one place their defaults live (gensim's Word2Vec
 * defaults where they overlap, node2vec's dim 128 / window 10) and where
 * values are checked before they reach the native trainer.
 */
import { availableParallelism } from 'node:os';
import { integerIn, OptionError } from '../util/errors.js';

export interface SgnsOptions {
  /** Vector size. */
  dim?: number;
  /** Maximum context distance; each center uses a random window in [1, window]. */
  window?: number;
  /** Noise samples per (center, context) pair. */
  negative?: number;
  /**
   * Passes over the corpus, or "auto" (the default): small corpora get more
   * passes, large ones one (autoEpochs).
   */
  epochs?: number | 'auto';
  /** Learning rate at the start; decays linearly to minAlpha over all epochs. */
  alpha?: number;
  minAlpha?: number;
  /** Sub-sampling threshold of frequent nodes (word2vec's `sample`); 0 disables it. */
  sample?: number;
  /** Seed of every random draw; with threads = 1 a run is bit-reproducible. */
  seed?: number;
  /** Hogwild training threads. */
  threads?: number;
  /** Nodes seen fewer times than this are dropped from the corpus (and keep their initial vector). */
  minCount?: number;
}

export type ResolvedSgnsOptions = Required<SgnsOptions>;

/** Options as the native trainer takes them: epochs resolved to a count. */
export type TrainerOptions = Omit<ResolvedSgnsOptions, 'epochs'> & { epochs: number };

/**
 * Tokens a corpus of the "auto" schedule is trained on, at least: a corpus of
 * T tokens gets round(AUTO_EPOCH_TOKENS / T) passes, between 1 and
 * AUTO_MAX_EPOCHS. Chosen on node classification, link prediction and the eval
 * of both Amazon sets (README "Figures": trained enough, best per second):
 * Cora (2.2M tokens) and Musical Instruments (1.9M) gain nothing from a second
 * epoch, All Beauty (0.9M) gains 0.13 graph NDCG@10 from three.
 */
export const AUTO_EPOCH_TOKENS = 2_500_000;
export const AUTO_MAX_EPOCHS = 5;

/** The passes of the "auto" schedule for a corpus of `tokens` tokens (walked, before sub-sampling). */
export function autoEpochs(tokens: number): number {
  if (!(tokens > 0)) return 1;
  return Math.min(AUTO_MAX_EPOCHS, Math.max(1, Math.round(AUTO_EPOCH_TOKENS / tokens)));
}

/** Resolves "auto" epochs for a corpus of (about) `tokens` tokens. */
export function trainerOptions(o: ResolvedSgnsOptions, tokens: number): TrainerOptions {
  return { ...o, epochs: o.epochs === 'auto' ? autoEpochs(tokens) : o.epochs };
}

export const SGNS_DEFAULTS: Readonly<Omit<ResolvedSgnsOptions, 'threads'>> = Object.freeze({
  dim: 128,
  window: 10,
  negative: 5,
  epochs: 'auto',
  alpha: 0.025,
  minAlpha: 0.0001,
  sample: 1e-3,
  seed: 42,
  minCount: 0,
});

/** Threads default to every core the process may use. */
export function defaultThreads(): number {
  return availableParallelism();
}

const checkInt = (fn: string, name: string, value: number, min: number, max = 0xffffffff): number => integerIn(fn, name, value, min, max);

/** Fills in defaults and rejects values the trainer cannot use, naming `fn` in the error. */
export function resolveSgnsOptions(opts: SgnsOptions = {}, fn = 'trainSkipGram'): ResolvedSgnsOptions {
  const r: ResolvedSgnsOptions = {
    dim: opts.dim ?? SGNS_DEFAULTS.dim,
    window: opts.window ?? SGNS_DEFAULTS.window,
    negative: opts.negative ?? SGNS_DEFAULTS.negative,
    epochs: opts.epochs ?? SGNS_DEFAULTS.epochs,
    alpha: opts.alpha ?? SGNS_DEFAULTS.alpha,
    minAlpha: opts.minAlpha ?? SGNS_DEFAULTS.minAlpha,
    sample: opts.sample ?? SGNS_DEFAULTS.sample,
    seed: opts.seed ?? SGNS_DEFAULTS.seed,
    threads: opts.threads ?? defaultThreads(),
    minCount: opts.minCount ?? SGNS_DEFAULTS.minCount,
  };
  checkInt(fn, 'dim', r.dim, 1, 65536);
  checkInt(fn, 'window', r.window, 1, 65536);
  checkInt(fn, 'negative', r.negative, 1, 1000);
  if (r.epochs !== 'auto') checkInt(fn, 'epochs', r.epochs, 1, 100000);
  checkInt(fn, 'threads', r.threads, 1, 1024);
  checkInt(fn, 'minCount', r.minCount, 0);
  checkInt(fn, 'seed', r.seed, 0, Number.MAX_SAFE_INTEGER);
  if (!Number.isFinite(r.alpha) || r.alpha <= 0) throw new OptionError(fn, 'alpha', r.alpha, 'a number > 0');
  if (!Number.isFinite(r.minAlpha) || r.minAlpha < 0 || r.minAlpha > r.alpha) {
    throw new OptionError(fn, 'minAlpha', r.minAlpha, `a number in [0, alpha = ${r.alpha}]`);
  }
  if (!Number.isFinite(r.sample) || r.sample < 0 || r.sample >= 1) {
    throw new OptionError(fn, 'sample', r.sample, 'a number in [0, 1)');
  }
  return r;
}

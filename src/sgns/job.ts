/**
 * What the two native training jobs share (corpus in memory, streamed walks):
 * their progress and stats in trainer units and the matrices they train.
 */
import type { NativeProgress } from '../native.js';
import { OptionError } from '../util/errors.js';
import type { NativeMatrices, NativeSgnsStats } from './binding.js';

/** A progress report, about five per second while training runs. */
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
  /** Wall time in the native job: counting, noise table, initialisation and training. */
  seconds: number;
  /** words / seconds. */
  wordsPerSec: number;
  /** Mean SGNS loss per pair over the whole run. */
  loss: number;
  /** Nodes that take part in training (present, not excluded, at least minCount times). */
  vocabulary: number;
}

export interface SkipGramInit {
  /** nodeCount x dim input vectors to start from (copied, not modified). */
  input: Float32Array;
  /** nodeCount x dim output (context) vectors to start from (copied, not modified). */
  output: Float32Array;
  /** The caller hands both arrays over (a warm-start plan made for this run): trained in place, not copied (1.1 GB less at 1M nodes). */
  handOver?: boolean;
}

/** The trainer's matrices for `nodeCount` nodes: fresh ones, or copies of a warm start. Checks `exclude` too. */
export function trainerMatrices(fn: string, nodeCount: number, dim: number, opts: { init?: SkipGramInit; exclude?: Uint8Array }): NativeMatrices {
  const size = nodeCount * dim;
  const { init, exclude } = opts;
  if (exclude !== undefined && (!(exclude instanceof Uint8Array) || exclude.length !== nodeCount)) {
    throw new OptionError(fn, 'exclude', exclude?.length, `a Uint8Array of nodeCount = ${nodeCount} bytes`);
  }
  if (!init) return { input: new Float32Array(size), output: new Float32Array(size), exclude, randomInit: true };
  for (const key of ['input', 'output'] as const) {
    const arr = init[key];
    if (!(arr instanceof Float32Array) || arr.length !== size) {
      throw new OptionError(fn, `init.${key}`, arr?.length, `a Float32Array of nodeCount x dim = ${size} floats`);
    }
  }
  if (init.handOver) return { input: init.input, output: init.output, exclude, randomInit: false };
  return { input: init.input.slice(), output: init.output.slice(), exclude, randomInit: false };
}

/** Native training progress in trainer units. */
export function sgnsProgress(p: NativeProgress): SgnsProgress {
  return { words: p.done, totalWords: p.total, seconds: p.seconds, wordsPerSec: p.seconds > 0 ? p.done / p.seconds : 0, loss: p.loss };
}

export function sgnsStats(s: NativeSgnsStats): SgnsStats {
  return {
    words: s.words,
    pairs: s.pairs,
    seconds: s.seconds,
    wordsPerSec: s.seconds > 0 ? s.words / s.seconds : 0,
    loss: s.loss,
    vocabulary: s.vocabulary,
  };
}


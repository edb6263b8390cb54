/**
 * Typed shape of the native skip-gram entry points (native/src/sgns_binding.cc,
 * native/src/node2vec_binding.cc). Only src/sgns uses it.
 */
import { loadNative, type NativeHandle, type NativeProgress } from '../native.js';
import type { NativeWalkArgs } from '../walk/binding.js';
import type { TrainerOptions } from './options.js';

/** The trainer's matrices: nodeCount x dim each, trained in place. */
export interface NativeMatrices {
  input: Float32Array;
  output: Float32Array;
  /** Nodes with a non-zero byte are walked through but not trained (no vector, never a noise sample). */
  exclude?: Uint8Array;
  /** Fill input with word2vec's random start (and zero output) before training. */
  randomInit: boolean;
}

export interface NativeSgnsStats {
  words: number;
  pairs: number;
  loss: number;
  vocabulary: number;
  seconds: number;
}

export interface NativeSgnsArgs extends TrainerOptions, NativeMatrices {
  tokens: Uint32Array;
  lengths: Uint32Array;
  nodeCount: number;
}

/** The walker's arguments with its seed and threads renamed, beside the trainer's. */
export type NativeNode2VecArgs = Omit<NativeWalkArgs, 'seed' | 'threads'> & { walkSeed: number; walkThreads: number } & TrainerOptions & NativeMatrices;

export interface NativeNode2VecStats extends NativeSgnsStats {
  walks: number;
  /** Tokens of one epoch's walks. */
  tokens: number;
  /** Seconds of the counting pass (walker preparation included); `seconds` covers the whole job. */
  walkSeconds: number;
}

interface SgnsAddon {
  sgnsTrain(args: NativeSgnsArgs, onProgress?: (p: NativeProgress) => void): NativeHandle<NativeSgnsStats>;
  node2vecTrain(args: NativeNode2VecArgs, onProgress?: (p: NativeProgress) => void): NativeHandle<NativeNode2VecStats>;
}

export function nativeTrainer(): SgnsAddon {
  return loadNative<SgnsAddon>();
}

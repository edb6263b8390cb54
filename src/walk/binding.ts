/**
 * Typed shape of the native walker (native/src/walk_binding.cc). Only src/walk
 * and src/sgns use it; callers go through generateWalks or trainOnWalks.
 */
import { loadNative, type NativeHandle, type NativeProgress } from '../native.js';

/** The CSR, start list and settings every native walk job reads (native/src/bindings.h ReadWalkArgs). */
export interface NativeWalkArgs {
  offsets: Uint32Array | BigUint64Array;
  targets: Uint32Array;
  weights: Float32Array;
  nodeCount: number;
  /** False: every arc has a mirror arc of the same weight (undirected CSR). */
  directed: boolean;
  starts: Uint32Array;
  p: number;
  q: number;
  walkLength: number;
  walksPerNode: number;
  seed: number;
  threads: number;
}

export interface NativeWalkResult {
  tokens: Uint32Array;
  lengths: Uint32Array;
}

interface WalkAddon {
  startWalks(args: NativeWalkArgs, onProgress?: (p: NativeProgress) => void): NativeHandle<NativeWalkResult>;
}

export function nativeWalker(): WalkAddon {
  return loadNative<WalkAddon>();
}

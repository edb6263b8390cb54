/**
 * Typed shape of the native walker (native/src/walk.cc). Only src/walk uses it;
 * callers go through generateWalks.
 */
import { loadNative } from '../native.js';

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
  /** Called on the JS thread with walks finished so far; must not throw. */
  onProgress?: (done: number, total: number) => void;
}

export type NativeWalkResult =
  | { cancelled: true }
  | { cancelled: false; tokens: Uint32Array; lengths: Uint32Array };

export interface NativeWalkHandle {
  promise: Promise<NativeWalkResult>;
  /** Asks the walk threads to stop; the promise then resolves with cancelled: true. */
  cancel(): void;
}

interface WalkAddon {
  startWalks(args: NativeWalkArgs): NativeWalkHandle;
}

export function nativeWalker(): WalkAddon {
  return loadNative<WalkAddon>();
}

/**
 * Node2vec random walks over a CSR graph. The walks run in the native addon
 * (exact second-order sampling, threads, off the JS thread); this facade
 * resolves options and maps the result to a WalkCorpus (runNativeJob does
 * progress, AbortSignal and errors).
 */
import type { Csr } from '../graph/csr.js';
import { runNativeJob } from '../native.js';
import { GraphprofError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { nativeWalker, type NativeWalkArgs } from './binding.js';
import type { WalkCorpus } from './corpus.js';
import { resolveWalkOptions, type ResolvedWalkOptions, type WalkOptions } from './options.js';

export type { WalkCorpus } from './corpus.js';
export { resolveWalkOptions, walkDefaults, type ResolvedWalkOptions, type WalkOptions } from './options.js';

export interface WalkRunOptions extends WalkOptions {
  signal?: AbortSignal;
  onProgress?: Progress;
}

/** Checks that the CSR's arrays agree with each other, naming `fn`. */
export function checkCsr(csr: Csr, fn: string): void {
  if (csr.offsets.length !== csr.nodeCount + 1) {
    throw new GraphprofError(`${fn}: csr.offsets has ${csr.offsets.length} entries, expected nodeCount + 1 = ${csr.nodeCount + 1}`);
  }
  const arcs = Number(csr.offsets[csr.nodeCount]);
  if (csr.targets.length !== arcs || csr.weights.length !== arcs) {
    throw new GraphprofError(
      `${fn}: csr has ${arcs} arcs by offsets but ${csr.targets.length} targets and ${csr.weights.length} weights`,
    );
  }
}

/** The arguments of every native walk job: the CSR's arrays and the resolved options. */
export function nativeWalkArgs(csr: Csr, o: ResolvedWalkOptions): NativeWalkArgs {
  return {
    offsets: csr.offsets,
    targets: csr.targets,
    weights: csr.weights,
    nodeCount: csr.nodeCount,
    directed: csr.directed,
    starts: o.starts,
    p: o.p,
    q: o.q,
    walkLength: o.walkLength,
    walksPerNode: o.walksPerNode,
    seed: o.seed,
    threads: o.threads,
  };
}

const WHAT = 'generateWalks';

/**
 * Generates walksPerNode walks from every start node. Walk order: round r in
 * 0..walksPerNode-1, then the start nodes in round r's seeded shuffle; the
 * corpus is bit-identical for a given seed whatever the thread count.
 */
export async function generateWalks(csr: Csr, opts: WalkRunOptions = {}): Promise<WalkCorpus> {
  const resolved = resolveWalkOptions(csr, opts);
  checkCsr(csr, WHAT);
  const { onProgress } = opts;
  const result = await runNativeJob(WHAT, (report) => nativeWalker().startWalks(nativeWalkArgs(csr, resolved), report), {
    signal: opts.signal,
    onProgress: onProgress ? (p) => onProgress(p.done, p.total, 'walks') : undefined,
  });
  return { tokens: result.tokens, lengths: result.lengths, nodeCount: csr.nodeCount };
}

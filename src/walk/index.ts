/**
 * Node2vec random walks over a CSR graph. The walks run in the native addon
 * (exact second-order sampling, threads, off the JS thread); this facade
 * resolves options, wires progress and AbortSignal, and maps results to
 * WalkCorpus and errors to graphprof's error types.
 */
import type { Csr } from '../graph/csr.js';
import { AbortedError, GraphprofError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { nativeWalker } from './binding.js';
import type { WalkCorpus } from './corpus.js';
import { resolveWalkOptions, type WalkOptions } from './options.js';

export type { WalkCorpus } from './corpus.js';
export { resolveWalkOptions, walkDefaults, type ResolvedWalkOptions, type WalkOptions } from './options.js';

export interface WalkRunOptions extends WalkOptions {
  signal?: AbortSignal;
  onProgress?: Progress;
}

const WHAT = 'generateWalks';

function checkCsr(csr: Csr): void {
  if (csr.offsets.length !== csr.nodeCount + 1) {
    throw new GraphprofError(`${WHAT}: csr.offsets has ${csr.offsets.length} entries, expected nodeCount + 1 = ${csr.nodeCount + 1}`);
  }
  const arcs = Number(csr.offsets[csr.nodeCount]);
  if (csr.targets.length !== arcs || csr.weights.length !== arcs) {
    throw new GraphprofError(
      `${WHAT}: csr has ${arcs} arcs by offsets but ${csr.targets.length} targets and ${csr.weights.length} weights`,
    );
  }
}

/**
 * Generates walksPerNode walks from every start node. Walk order: round r in
 * 0..walksPerNode-1, then the start nodes in round r's seeded shuffle; the
 * corpus is bit-identical for a given seed whatever the thread count.
 */
export async function generateWalks(csr: Csr, opts: WalkRunOptions = {}): Promise<WalkCorpus> {
  const resolved = resolveWalkOptions(csr, opts);
  checkCsr(csr);
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw new AbortedError(WHAT);
  let progressError: unknown;
  let handle: ReturnType<ReturnType<typeof nativeWalker>['startWalks']> | undefined;
  const progress = onProgress
    ? (done: number, total: number): void => {
        try {
          onProgress(done, total, 'walks');
        } catch (err) {
          progressError ??= err;
          handle?.cancel();
        }
      }
    : undefined;
  try {
    handle = nativeWalker().startWalks({
      offsets: csr.offsets,
      targets: csr.targets,
      weights: csr.weights,
      nodeCount: csr.nodeCount,
      directed: csr.directed,
      starts: resolved.starts,
      p: resolved.p,
      q: resolved.q,
      walkLength: resolved.walkLength,
      walksPerNode: resolved.walksPerNode,
      seed: resolved.seed,
      threads: resolved.threads,
      onProgress: progress,
    });
  } catch (err) {
    throw err instanceof TypeError ? new GraphprofError(`${WHAT}: ${err.message}`) : err;
  }
  const started = handle;
  const abort = (): void => started.cancel();
  signal?.addEventListener('abort', abort, { once: true });
  let result;
  try {
    result = await started.promise;
  } catch (err) {
    throw err instanceof Error && !(err instanceof GraphprofError) ? new GraphprofError(`${WHAT}: ${err.message}`) : err;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  if (progressError !== undefined) throw progressError;
  if (result.cancelled) throw new AbortedError(WHAT);
  return { tokens: result.tokens, lengths: result.lengths, nodeCount: csr.nodeCount };
}

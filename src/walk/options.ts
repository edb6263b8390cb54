/**
 * Node2vec walk options: the one place where their defaults live and where bad
 * values are turned into OptionError before anything reaches the native walker.
 */
import { availableParallelism } from 'node:os';
import type { Csr, NodeTypeCode } from '../graph/csr.js';
import { integerIn, OptionError } from '../util/errors.js';

export interface WalkOptions {
  /** Return parameter: 1/p weights stepping back to the previous node. */
  p?: number;
  /** In-out parameter: 1/q weights moving away from the previous node's neighbourhood. */
  q?: number;
  /** Nodes per walk, start included (walks stop early at nodes without arcs). */
  walkLength?: number;
  /** Walks started from each start node. */
  walksPerNode?: number;
  /** Seed of every random choice; same seed, same corpus, for any thread count. */
  seed?: number;
  /** Walker threads; defaults to all cores. */
  threads?: number;
  /** Start only from nodes of these types (e.g. users and products). */
  startTypes?: readonly NodeTypeCode[];
  /** Start only from these nodes (filtered by startTypes when both are given). */
  startNodes?: Uint32Array;
}

export interface ResolvedWalkOptions {
  readonly p: number;
  readonly q: number;
  readonly walkLength: number;
  readonly walksPerNode: number;
  readonly seed: number;
  readonly threads: number;
  /** Start nodes in the caller's order (the walker shuffles them per round). */
  readonly starts: Uint32Array;
}

export const walkDefaults = {
  p: 1,
  q: 1,
  walkLength: 80,
  walksPerNode: 10,
  seed: 42,
} as const;

const FN = 'generateWalks';
const MAX_TOKENS = 2 ** 32 - 1;

function positive(fn: string, option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new OptionError(fn, option, value, 'a finite number > 0');
  return value;
}

function resolveStarts(csr: Csr, opts: WalkOptions, fn: string): Uint32Array {
  const types = opts.startTypes === undefined ? undefined : new Set<number>(opts.startTypes);
  if (types !== undefined && types.size === 0) throw new OptionError(fn, 'startTypes', [], 'at least one node type');
  const keep = (node: number): boolean => types === undefined || types.has(csr.nodeType[node]!);
  if (opts.startNodes !== undefined) {
    for (const node of opts.startNodes) {
      if (node >= csr.nodeCount) {
        throw new OptionError(fn, 'startNodes', node, `node indices < ${csr.nodeCount}`);
      }
    }
    return types === undefined ? opts.startNodes : opts.startNodes.filter(keep);
  }
  if (types === undefined) {
    const all = new Uint32Array(csr.nodeCount);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return all;
  }
  let count = 0;
  for (let i = 0; i < csr.nodeCount; i++) if (keep(i)) count++;
  const starts = new Uint32Array(count);
  for (let i = 0, j = 0; i < csr.nodeCount; i++) if (keep(i)) starts[j++] = i;
  return starts;
}

/**
 * Fills in defaults and checks every option against the graph it will walk.
 * `maxTokens` bounds walks x walkLength: a materialised corpus is one
 * Uint32Array (2^32-1 tokens); streamed walks (trainOnWalks) are never stored.
 */
export function resolveWalkOptions(csr: Csr, opts: WalkOptions = {}, fn = FN, maxTokens = MAX_TOKENS): ResolvedWalkOptions {
  const p = positive(fn, 'p', opts.p ?? walkDefaults.p);
  const q = positive(fn, 'q', opts.q ?? walkDefaults.q);
  const walkLength = integerIn(fn, 'walkLength', opts.walkLength ?? walkDefaults.walkLength, 1, MAX_TOKENS);
  const walksPerNode = integerIn(fn, 'walksPerNode', opts.walksPerNode ?? walkDefaults.walksPerNode, 1, MAX_TOKENS);
  const seed = integerIn(fn, 'seed', opts.seed ?? walkDefaults.seed, 0, Number.MAX_SAFE_INTEGER);
  const threads = integerIn(fn, 'threads', opts.threads ?? availableParallelism(), 1, 4096);
  const starts = resolveStarts(csr, opts, fn);
  if (starts.length === 0) {
    throw new OptionError(fn, opts.startNodes ? 'startNodes' : 'startTypes', opts.startTypes ?? [], 'at least one start node');
  }
  const slots = starts.length * walksPerNode * walkLength;
  if (slots > maxTokens) {
    throw new OptionError(fn, 'walksPerNode', walksPerNode, `a corpus of at most ${maxTokens} tokens (got ${slots})`);
  }
  return { p, q, walkLength, walksPerNode, seed, threads, starts };
}

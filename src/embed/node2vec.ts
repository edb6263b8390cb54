/**
 * node2vec on a plain graph, end to end: edge list -> CSR -> biased walks
 * streamed into skip-gram -> vectors keyed by the input's node ids, optionally
 * written in a word2vec format. What `graphprof embed-graph` runs; every phase
 * is timed.
 */
import type { Csr } from '../graph/csr.js';
import { arcCount } from '../graph/csr.js';
import { buildEdgeListCsr, buildEdgeTableCsr } from '../graph/build.js';
import { readEdgeTable } from '../ingest/index.js';
import type { EdgeListData } from '../ingest/records.js';
import { writeWord2Vec, type Word2VecFormat } from '../export/word2vec.js';
import { resolveSgnsOptions, trainOnWalks, type ResolvedSgnsOptions, type SgnsOptions, type SgnsStats } from '../sgns/index.js';
import { GraphprofError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { PhaseTimer } from '../util/timing.js';
import type { WalkOptions } from '../walk/index.js';

export type EmbedPhase = 'read' | 'graph' | 'walk' | 'train' | 'write';

export interface EmbedOptions {
  /** Keep edges one way (default: undirected). */
  directed?: boolean;
  /** Walk options; seed and threads default to the skip-gram's. */
  walk?: Pick<WalkOptions, 'p' | 'q' | 'walkLength' | 'walksPerNode' | 'seed' | 'threads'>;
  sgns?: SgnsOptions;
  signal?: AbortSignal;
  onProgress?: (phase: EmbedPhase, done: number, total: number, status?: string) => void;
  /** Phase timings are added here (a new timer by default). */
  timer?: PhaseTimer;
}

export interface NodeEmbedding {
  csr: Csr;
  /** Row i belongs to csr.keys[i], the node id as written in the input. */
  vectors: Float32Array;
  dim: number;
  walks: number;
  tokens: number;
  /** Skip-gram passes ("auto" resolved). */
  epochs: number;
  sgns: SgnsStats;
  timer: PhaseTimer;
}

function phaseProgress(opts: EmbedOptions, phase: EmbedPhase): Progress | undefined {
  const report = opts.onProgress;
  return report ? (done, total, status) => report(phase, done, total, status) : undefined;
}

/** Embeds the nodes of an edge list already read into memory. */
export async function embedEdgeList(data: EdgeListData, opts: EmbedOptions = {}): Promise<NodeEmbedding> {
  const timer = opts.timer ?? new PhaseTimer();
  // Checked before any work, so a bad option fails in milliseconds, not after the walks.
  const sgns = resolveSgnsOptions(opts.sgns, 'embedEdgeList');
  const csr = timer.timeSync('graph', () => buildEdgeListCsr(data, { directed: opts.directed ?? false }));
  return embedCsr(csr, sgns, { ...opts, timer });
}

/** Walks and skip-gram on a built CSR: the part of embed-graph after the graph. */
async function embedCsr(csr: Csr, sgns: ResolvedSgnsOptions, opts: EmbedOptions & { timer: PhaseTimer }): Promise<NodeEmbedding> {
  const { timer } = opts;
  if (csr.nodeCount === 0) throw new GraphprofError('embedEdgeList: the edge list has no edges');
  // Walks stream into skip-gram (no corpus in memory): one progress bar
  // ("train"); the counting pass is timed as "walk".
  const trainProgress = phaseProgress(opts, 'train');
  const start = process.hrtime.bigint();
  const trained = await trainOnWalks(csr, {
    ...sgns,
    walk: { seed: sgns.seed, threads: sgns.threads, ...opts.walk },
    signal: opts.signal,
    onProgress: trainProgress,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  timer.add('walk', trained.stats.walkSeconds);
  timer.add('train', Math.max(0, seconds - trained.stats.walkSeconds));
  return {
    csr,
    vectors: trained.vectors,
    dim: trained.dim,
    walks: trained.stats.walks,
    tokens: trained.stats.tokens,
    epochs: trained.stats.epochs,
    sgns: trained.stats,
    timer,
  };
}

export interface EmbedFilesOptions extends EmbedOptions {
  /** Edge list files (`src dst [weight]` per line; .gz read transparently). */
  files: string[];
  skipInvalid?: boolean;
  /** Where to write the vectors; nothing is written without it. */
  out?: string;
  format?: Word2VecFormat;
}

export interface EmbedSummary {
  nodes: number;
  arcs: number;
  directed: boolean;
  walks: number;
  tokens: number;
  epochs: number;
  dim: number;
  out: string | null;
  format: Word2VecFormat;
  sgns: SgnsStats;
  /** Seconds per phase, in the order they ran. */
  timings: Record<string, number>;
  totalSeconds: number;
}

/** Reads edge list files, embeds their nodes and writes the vectors: the whole embed-graph job. */
export async function embedEdgeListFiles(opts: EmbedFilesOptions): Promise<{ summary: EmbedSummary; embedding: NodeEmbedding }> {
  const timer = opts.timer ?? new PhaseTimer();
  const format = opts.format ?? 'word2vec';
  const sgns = resolveSgnsOptions(opts.sgns, 'embedEdgeListFiles');
  // The edge table lives only inside this call: it is garbage before the
  // vector matrices are allocated (peak = CSR + matrices + little).
  const csr = await (async () => {
    const data = await timer.time('read', () =>
      readEdgeTable(opts.files, { format: 'edgelist', skipInvalid: opts.skipInvalid, onProgress: phaseProgress(opts, 'read') }),
    );
    return timer.timeSync('graph', () => buildEdgeTableCsr(data.table, { directed: opts.directed ?? false }));
  })();
  const embedding = await embedCsr(csr, sgns, { ...opts, timer });
  if (opts.out !== undefined) {
    const out = opts.out;
    await timer.time('write', () =>
      writeWord2Vec(out, { keys: embedding.csr.keys, vectors: embedding.vectors, dim: embedding.dim }, { binary: format === 'word2vec-bin' }),
    );
  }
  const summary: EmbedSummary = {
    nodes: embedding.csr.nodeCount,
    arcs: arcCount(embedding.csr),
    directed: embedding.csr.directed,
    walks: embedding.walks,
    tokens: embedding.tokens,
    epochs: embedding.epochs,
    dim: embedding.dim,
    out: opts.out ?? null,
    format,
    sgns: embedding.sgns,
    timings: timer.toJSON(),
    totalSeconds: Math.round(timer.total() * 1000) / 1000,
  };
  return { summary, embedding };
}

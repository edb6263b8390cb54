/**
 * The ingest job: read input files, build the graph (heterogeneous shop graph,
 * or a plain graph for edge lists) and its CSR, and store them as one run.
 */
import type { Database as DB } from 'better-sqlite3';
import { readInputs, type ReadOptions } from '../ingest/index.js';
import type { ColumnReport } from '../ingest/columns.js';
import type { IngestCounts, IngestData } from '../ingest/records.js';
import { buildEdgeListCsr, buildShopCsr, type EdgeTypeName } from '../graph/build.js';
import type { Csr, NodeTypeName } from '../graph/csr.js';
import { countNodeTypes } from '../graph/counts.js';
import { writeRun } from '../store/runs.js';
import { withWriteLock } from '../store/write-lock.js';
import { PhaseTimer } from '../util/timing.js';
import type { Progress } from '../util/progress.js';

export interface IngestJobOptions extends Omit<ReadOptions, 'onProgress'> {
  files: string[];
  /** Edge lists only: keep arcs one way. */
  directed?: boolean;
  onProgress?: Progress;
  signal?: AbortSignal;
}

export interface IngestSummary {
  runId: number;
  kind: IngestData['kind'];
  nodes: Partial<Record<NodeTypeName, number>>;
  edges: Partial<Record<EdgeTypeName | 'plain', number>>;
  reviews: number;
  counts: IngestCounts;
  /** The files read (a folder input stands for the layout files inside it). */
  files: string[];
  /** Generic CSV inputs: where each canonical field came from. */
  columns: ColumnReport[];
  timings: Record<string, number>;
}

export interface IngestedGraph {
  data: IngestData;
  csr: Csr;
  /** Edges per type: the shop graph's, or the plain graph's undirected count. */
  edges: IngestSummary['edges'];
}

/**
 * Reads the inputs and builds the CSR (shared by ingest, train and eval): a
 * shop's straight from its review table (buildShopCsr, the same CSR as
 * graphology's buildShopGraph + toCsr, without a graphology graph of every
 * review).
 */
export async function loadGraph(opts: IngestJobOptions, timer: PhaseTimer): Promise<IngestedGraph> {
  const data = await timer.time('read', () => readInputs(opts.files, { ...opts, onProgress: opts.onProgress }));
  return timer.timeSync('graph', () => {
    if (data.kind === 'edgelist') {
      const csr = buildEdgeListCsr(data, { directed: opts.directed });
      return { data, csr, edges: { plain: Number(csr.offsets[csr.nodeCount]) / (csr.directed ? 1 : 2) } };
    }
    const { csr, edgeCounts } = buildShopCsr(data);
    return { data, csr, edges: edgeCounts };
  });
}

/** Reads and stores one run, holding the database's write lock from start to commit. */
export const runIngest = (db: DB, opts: IngestJobOptions): Promise<IngestSummary> =>
  withWriteLock(db, { what: 'ingest', signal: opts.signal, userIds: opts }, () => ingestLocked(db, opts));

async function ingestLocked(db: DB, opts: IngestJobOptions): Promise<IngestSummary> {
  const timer = new PhaseTimer();
  const { data, csr, edges } = await loadGraph(opts, timer);
  const nodes = countNodeTypes(csr);
  const reviews = data.kind === 'shop' ? data.reviews.count : 0;
  const columns = data.kind === 'shop' ? data.columns : undefined;
  const counts = { nodes, edges, reviews, ...data.counts, ...(columns ? { columns } : {}) };
  const runId = writeRun(db, {
    kind: 'ingest',
    inputs: data.files,
    params: {
      format: opts.format ?? 'auto',
      skipInvalid: opts.skipInvalid ?? false,
      map: opts.map ?? {},
      directed: csr.directed,
      pseudonymized: opts.pseudonymize !== undefined,
    },
    counts,
    timings: timer.toJSON(),
    csr,
    reviews: data.kind === 'shop' ? data.reviews : undefined,
    products: data.kind === 'shop' ? data.products.values() : undefined,
  });
  return { runId, kind: data.kind, nodes, edges, reviews, counts: data.counts, files: data.files, columns: columns ?? [], timings: timer.toJSON() };
}

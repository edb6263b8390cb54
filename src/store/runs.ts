/**
 * Writing and reading runs. `writeRun` puts a whole run (graph, reviews,
 * vectors, segments, cache entries) in one IMMEDIATE transaction whose last
 * statement marks it complete; readers only ever see complete runs.
 */
import type { Database as DB } from 'better-sqlite3';
import { NodeType, type Csr } from '../graph/csr.js';
import type { ProductRecord, ReviewTable } from '../ingest/records.js';
import { ratingAt, timestampAt } from '../ingest/table.js';
import { normaliseText, textHash } from '../text/normalize.js';
import { GraphprofError, ExitCode } from '../util/errors.js';
import { fromFloat16Bytes, toFloat16Bytes } from './float16.js';
import { InsertBatch } from './insert-batch.js';
import { writeVectorBlocks } from './vectors.js';
import { blobVector, DatabaseLockedError, isBusyError, vectorBlob } from './store.js';

export type RunKind = 'ingest' | 'train' | 'refresh' | 'eval';
export type VectorKind = 'graph' | 'text' | 'fused';

export interface RunInfo {
  id: number;
  kind: RunKind;
  parentRunId: number | null;
  status: string;
  createdAt: string;
  finishedAt: string | null;
  inputs: string[];
  params: Record<string, unknown>;
  counts: Record<string, unknown>;
  timings: Record<string, number>;
  modelId: string | null;
}

export interface VectorSet {
  kind: VectorKind;
  dim: number;
  /** Row-major [rows x dim]. */
  data: Float32Array;
  /** CSR index of each row; omitted = rows are nodes 0..rows-1. */
  indices?: Uint32Array;
  /** Per-row flags (bit 0: fused from the graph part alone). */
  flags?: Uint8Array;
}

export interface SegmentWrite {
  segment: number;
  size: number;
  centroid: Float32Array;
  description: unknown;
}

export interface SgnsState {
  dim: number;
  input: Float32Array;
  output: Float32Array;
  /**
   * False when review nodes were walked through but not trained: their rows
   * hold only their initialisation, which no later training reads.
   */
  reviewsTrained?: boolean;
}

/**
 * The state is stored as float16 blocks of rows (sgns_state_blocks), each blob
 * at most STATE_BLOCK_BYTES: SQLite (as better-sqlite3 builds it) refuses a
 * row of about 512 MiB or more, and at a million trained nodes one matrix is
 * 287 MB. When review rows were not trained (they hold only their
 * initialisation, which no later training reads) and the full state would
 * pass STATE_ROW_MAX_BYTES, only the rows of the other nodes are stored
 * (node_count says how many; readSgnsState puts zero rows back for the review
 * nodes): the state of a million-review run is mostly review rows.
 */
const STATE_ROW_MAX_BYTES = 400 * 1024 * 1024;
const STATE_BLOCK_BYTES = 64 * 1024 * 1024;

/** The rows of `m` [rows x dim] whose node is not a review node. */
function nonReviewRows(m: Float32Array, dim: number, nodeType: Uint8Array): Float32Array {
  let n = 0;
  for (const t of nodeType) if (t !== NodeType.review) n++;
  const out = new Float32Array(n * dim);
  let r = 0;
  for (let v = 0; v < nodeType.length; v++) if (nodeType[v] !== NodeType.review) out.set(m.subarray(v * dim, (v + 1) * dim), dim * r++);
  return out;
}

export interface RunWrite {
  kind: RunKind;
  parentRunId?: number | null;
  inputs: string[];
  params: Record<string, unknown>;
  counts: Record<string, unknown>;
  timings: Record<string, number>;
  modelId?: string | null;
  csr?: Csr;
  reviews?: ReviewTable;
  products?: Iterable<ProductRecord>;
  vectors?: readonly VectorSet[];
  segments?: readonly SegmentWrite[];
  assignments?: { indices: Uint32Array; segment: Int32Array; distance: Float32Array };
  /** New text-cache entries, per model id (auto mode writes two encoders' vectors and the shop model). */
  textCache?: { modelId: string; entries: Iterable<{ hash: string; vector: Float32Array }> }[];
  /** Skip-gram input/output matrices of every node, for warm starts. */
  sgnsState?: SgnsState;
  /** More of the run (tags, segment ids, drift: written by their own store modules), inside the same transaction. */
  also?: readonly ((db: DB, runId: number) => void)[];
  /** Called between stages of the write (progress, and a seam to test failures mid-write). */
  onStage?: (stage: string) => void;
  /** Size above which an untrained-review state keeps only its other rows (default STATE_ROW_MAX_BYTES; tests lower it). */
  stateRowMaxBytes?: number;
  /** Bytes per blob of a state block (default STATE_BLOCK_BYTES; tests lower it). */
  stateBlockBytes?: number;
  /** Told, after the commit, the seconds each part of the write took (nodes, edges, vectors per kind, ...; see StoreSeconds). */
  onStoreSeconds?: (seconds: StoreSeconds) => void;
}

/**
 * Seconds per part of a run's write, in the order written: `nodes`, `edges`,
 * `reviews` (texts and reviews), `products`, `vectors <kind>`, `segments`
 * (with assignments), `more` (tags, segment ids, drift), `text cache`,
 * `sgns state`, `commit`, and `checkpoint` (the WAL's, after the commit).
 */
export type StoreSeconds = Record<string, number>;

/** Adds the seconds `work` takes to `seconds[part]`. */
function timePart<T>(seconds: StoreSeconds, part: string, work: () => T): T {
  const t = process.hrtime.bigint();
  try {
    return work();
  } finally {
    seconds[part] = Math.round(((seconds[part] ?? 0) + Number(process.hrtime.bigint() - t) / 1e9) * 1000) / 1000;
  }
}

/** The text-cache key of a raw review text. */
export function hashText(text: string): string {
  return textHash(normaliseText(text));
}

function writeNodes(db: DB, runId: number, csr: Csr): void {
  const node = new InsertBatch(db, 'INSERT INTO nodes (run_id, idx, key, type, degree)', 5);
  for (let v = 0; v < csr.nodeCount; v++) node.add(runId, v, csr.keys[v], csr.nodeType[v], Number(csr.offsets[v + 1]) - Number(csr.offsets[v]));
  node.flush();
}

function writeEdges(db: DB, runId: number, csr: Csr): void {
  const edge = new InsertBatch(db, 'INSERT INTO edges (run_id, src, dst, weight)', 4);
  for (let v = 0; v < csr.nodeCount; v++) {
    const end = Number(csr.offsets[v + 1]);
    for (let a = Number(csr.offsets[v]); a < end; a++) {
      const t = csr.targets[a];
      // An undirected edge is stored in both rows; keep one copy.
      if (csr.directed || t >= v) edge.add(runId, v, t, csr.weights[a]);
    }
  }
  edge.flush();
}

/**
 * Texts in hash order and reviews in review-id order, their primary keys: the
 * B-trees then grow at their right edge instead of taking a million random
 * inserts (the stored rows are the same in any order).
 */
function writeReviews(db: DB, runId: number, reviews: ReviewTable): void {
  const n = reviews.count;
  const texts = reviews.text;
  const hashes: (string | null)[] = new Array<string | null>(n);
  const textOf = new Map<string, string>();
  const hashOf = new Map<string, string>(); // raw text -> hash: a text repeated verbatim is normalised and hashed once
  for (let i = 0; i < n; i++) {
    const text = texts[i]!;
    if (text.trim() === '') {
      hashes[i] = null;
      continue;
    }
    let hash = hashOf.get(text);
    if (hash === undefined) {
      hash = hashText(text);
      hashOf.set(text, hash);
    }
    hashes[i] = hash;
    if (!textOf.has(hash)) textOf.set(hash, text);
  }
  hashOf.clear();
  const text = new InsertBatch(db, 'INSERT OR IGNORE INTO texts (hash, text)', 2);
  for (const hash of [...textOf.keys()].sort()) text.add(hash, textOf.get(hash) as string);
  text.flush();
  textOf.clear();
  const ids = reviews.reviewId;
  // An Array, not a Uint32Array: its sort is a TimSort, linear on ids already in order (ids given in file order often are).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const review = new InsertBatch(db, 'INSERT INTO reviews (run_id, review_id, user_id, product_id, rating, ts, text_hash, summary)', 8);
  for (const i of order) {
    review.add(runId, ids[i], reviews.userKeys[reviews.user[i]!], reviews.productKeys[reviews.product[i]!], ratingAt(reviews, i), timestampAt(reviews, i), hashes[i], reviews.summary[i]);
  }
  review.flush();
}

function writeProducts(db: DB, runId: number, products: Iterable<ProductRecord>): void {
  const stmt = new InsertBatch(db, 'INSERT INTO products (run_id, product_id, title, categories, brand, price)', 6);
  for (const p of products) stmt.add(runId, p.productId, p.title, JSON.stringify(p.categories), p.brand, p.price);
  stmt.flush();
}

function writeSegments(db: DB, runId: number, run: RunWrite): void {
  const seg = db.prepare('INSERT INTO segments (run_id, segment, size, centroid, description) VALUES (?, ?, ?, ?, ?)');
  for (const s of run.segments ?? []) seg.run(runId, s.segment, s.size, vectorBlob(s.centroid), JSON.stringify(s.description));
  const a = run.assignments;
  if (!a) return;
  const stmt = new InsertBatch(db, 'INSERT INTO assignments (run_id, idx, segment, distance)', 4);
  for (let i = 0; i < a.indices.length; i++) stmt.add(runId, a.indices[i], a.segment[i], a.distance[i]);
  stmt.flush();
}

function writeTextCache(db: DB, caches: NonNullable<RunWrite['textCache']>): void {
  const stmt = db.prepare('INSERT OR REPLACE INTO text_cache (model_id, text_hash, dim, vector) VALUES (?, ?, ?, ?)');
  for (const cache of caches) for (const e of cache.entries) stmt.run(cache.modelId, e.hash, e.vector.length, vectorBlob(e.vector));
}

/** Page cache of the connection while a run is written (KiB; SQLite's default is 2,000). */
const RUN_WRITE_CACHE_KIB = 256 * 1024;

/** Writes a whole run atomically and returns its id. */
export function writeRun(db: DB, run: RunWrite, dbPath = db.name): number {
  const stage = run.onStage ?? (() => {});
  const seconds: StoreSeconds = {};
  const part = <T>(name: string, work: () => T): T => timePart(seconds, name, work);
  const started = process.hrtime.bigint();
  let committing = started;
  const tx = db.transaction((): number => {
    const info = db
      .prepare(
        `INSERT INTO runs (kind, parent_run_id, status, created_at, inputs, params, counts, timings, model_id)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.kind,
        run.parentRunId ?? null,
        new Date().toISOString(),
        JSON.stringify(run.inputs),
        JSON.stringify(run.params),
        JSON.stringify(run.counts),
        '{}',
        run.modelId ?? null,
      );
    const runId = Number(info.lastInsertRowid);
    stage('run');
    const csr = run.csr;
    if (csr) {
      part('nodes', () => writeNodes(db, runId, csr));
      part('edges', () => writeEdges(db, runId, csr));
    }
    stage('graph');
    const { reviews, products } = run;
    if (reviews) part('reviews', () => writeReviews(db, runId, reviews));
    if (products) part('products', () => writeProducts(db, runId, products));
    stage('reviews');
    const vectors = run.vectors ?? [];
    if (vectors.length > 0) {
      if (!csr) throw new GraphprofError('writeRun: vectors need the run\'s graph (csr): their blocks are per node type');
      for (const kind of new Set(vectors.map((v) => v.kind))) part(`vectors ${kind}`, () => writeVectorBlocks(db, runId, vectors.filter((v) => v.kind === kind), csr.nodeType));
    }
    stage('vectors');
    part('segments', () => writeSegments(db, runId, run));
    part('more', () => {
      for (const write of run.also ?? []) write(db, runId);
    });
    stage('segments');
    const caches = run.textCache;
    if (caches) part('text cache', () => writeTextCache(db, caches));
    const st = run.sgnsState;
    if (st) {
      part('sgns state', () => {
        // Half precision: the state only seeds a refresh's training (float16.ts); half the bytes of the largest per-run table.
        let { input, output } = st;
        if (st.reviewsTrained === false && csr && input.length * 2 * 2 > (run.stateRowMaxBytes ?? STATE_ROW_MAX_BYTES)) {
          input = nonReviewRows(input, st.dim, csr.nodeType);
          output = nonReviewRows(output, st.dim, csr.nodeType);
        }
        const rows = input.length / st.dim;
        db.prepare(`INSERT INTO sgns_state (run_id, dim, node_count, input, output) VALUES (?, ?, ?, x'', x'')`).run(runId, st.dim, rows);
        const insert = db.prepare('INSERT INTO sgns_state_blocks (run_id, block, rows, input, output) VALUES (?, ?, ?, ?, ?)');
        const perBlock = Math.max(1, Math.floor((run.stateBlockBytes ?? STATE_BLOCK_BYTES) / (st.dim * 2)));
        for (let first = 0, block = 0; first < rows; first += perBlock, block++) {
          const span = [first * st.dim, Math.min(rows, first + perBlock) * st.dim] as const;
          insert.run(runId, block, (span[1] - span[0]) / st.dim, toFloat16Bytes(input.subarray(...span)), toFloat16Bytes(output.subarray(...span)));
        }
      });
    }
    stage('cache');
    const storeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const timings = { ...run.timings, store: Math.round(storeSeconds * 1000) / 1000 };
    db.prepare(`UPDATE runs SET status = 'complete', finished_at = ?, timings = ? WHERE id = ?`).run(
      new Date().toISOString(),
      JSON.stringify(timings),
      runId,
    );
    stage('complete');
    committing = process.hrtime.bigint();
    return runId;
  });
  let runId: number;
  // A run of a million reviews inserts millions of rows into B-trees of hundreds of MB in one transaction:
  // with SQLite's default 2 MB page cache nearly every insert re-reads a page it just evicted (3x slower at 1M reviews).
  // The cache grows only as pages are used, and returns to its size after the write.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${-RUN_WRITE_CACHE_KIB}`);
  try {
    runId = tx.immediate();
  } catch (err) {
    if (isBusyError(err)) throw new DatabaseLockedError(dbPath);
    throw err;
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
  seconds['commit'] = Math.round(Number(process.hrtime.bigint() - committing) / 1e6) / 1000;
  const checkpointing = process.hrtime.bigint();
  // A run is one large transaction; without this the WAL file keeps its size (a second copy of the run) after the checkpoint.
  // A reader holding an old snapshot can keep it from completing; then the WAL shrinks at a later checkpoint.
  if (db.pragma('journal_mode', { simple: true }) === 'wal') {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (err) {
      if (!isBusyError(err)) throw err;
    }
  }
  seconds['checkpoint'] = Math.round(Number(process.hrtime.bigint() - checkpointing) / 1e6) / 1000;
  run.onStoreSeconds?.(seconds);
  return runId;
}

interface RunRow {
  id: number;
  kind: RunKind;
  parent_run_id: number | null;
  status: string;
  created_at: string;
  finished_at: string | null;
  inputs: string;
  params: string;
  counts: string;
  timings: string;
  model_id: string | null;
}

function toRunInfo(r: RunRow): RunInfo {
  return {
    id: r.id,
    kind: r.kind,
    parentRunId: r.parent_run_id,
    status: r.status,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    inputs: JSON.parse(r.inputs) as string[],
    params: JSON.parse(r.params) as Record<string, unknown>,
    counts: JSON.parse(r.counts) as Record<string, unknown>,
    timings: JSON.parse(r.timings) as Record<string, number>,
    modelId: r.model_id,
  };
}

/** Complete runs, oldest first. */
export function listRuns(db: DB): RunInfo[] {
  const rows = db.prepare(`SELECT * FROM runs WHERE status = 'complete' ORDER BY id`).all() as RunRow[];
  return rows.map(toRunInfo);
}

/** A complete run by id, or the newest one (optionally of some kinds) for 'latest'. */
export function getRun(db: DB, ref: number | 'latest', kinds?: readonly RunKind[]): RunInfo {
  let row: RunRow | undefined;
  if (ref === 'latest') {
    const filter = kinds ? `AND kind IN (${kinds.map(() => '?').join(', ')})` : '';
    row = db
      .prepare(`SELECT * FROM runs WHERE status = 'complete' ${filter} ORDER BY id DESC LIMIT 1`)
      .get(...(kinds ?? [])) as RunRow | undefined;
    if (!row) {
      const what = kinds ? `${kinds.join(' or ')} run` : 'run';
      throw new GraphprofError(`${db.name}: no complete ${what} yet`, ExitCode.usage);
    }
  } else {
    row = db.prepare(`SELECT * FROM runs WHERE id = ? AND status = 'complete'`).get(ref) as RunRow | undefined;
    if (!row) throw new GraphprofError(`${db.name}: no complete run with id ${ref}`, ExitCode.usage);
  }
  return toRunInfo(row);
}

/** The skip-gram state of a run: float16 blocks (this version), or one row of float16 or float32 blobs (runs written before). */
export function readSgnsState(db: DB, runId: number): SgnsState | null {
  const row = db.prepare('SELECT dim, node_count, input, output FROM sgns_state WHERE run_id = ?').get(runId) as { dim: number; node_count: number; input: Buffer; output: Buffer } | undefined;
  if (!row) return null;
  const values = row.dim * row.node_count;
  let input: Float32Array;
  let output: Float32Array;
  if (row.input.byteLength === 0 && values > 0) {
    // Schema 6: the rows are in blocks.
    input = new Float32Array(values);
    output = new Float32Array(values);
    let at = 0;
    for (const b of db.prepare('SELECT rows, input, output FROM sgns_state_blocks WHERE run_id = ? ORDER BY block').iterate(runId) as Iterable<{ rows: number; input: Buffer; output: Buffer }>) {
      input.set(fromFloat16Bytes(b.input), at);
      output.set(fromFloat16Bytes(b.output), at);
      at += b.rows * row.dim;
    }
    if (at !== values) throw new Error(`readSgnsState: run ${runId} has ${at / row.dim} state rows in blocks, its header says ${row.node_count}`);
  } else {
    // Written before schema 6: one row of float16 blobs, or (earlier still) float32 ones, told apart by their size.
    const decode = (b: Buffer): Float32Array => (b.byteLength === values * 2 ? fromFloat16Bytes(b) : blobVector(b));
    input = decode(row.input);
    output = decode(row.output);
  }
  const types = db.prepare('SELECT type FROM nodes WHERE run_id = ? ORDER BY idx').pluck().all(runId) as number[];
  if (types.length === row.node_count || types.length === 0) return { dim: row.dim, input, output };
  // Only the rows of non-review nodes were stored (STATE_ROW_MAX_BYTES): review nodes get zero rows back.
  const full = (m: Float32Array): Float32Array => {
    const out = new Float32Array(types.length * row.dim);
    let r = 0;
    types.forEach((t, v) => {
      if (t === NodeType.review) return;
      out.set(m.subarray(r * row.dim, (r + 1) * row.dim), v * row.dim);
      r++;
    });
    if (r !== row.node_count) throw new Error(`readSgnsState: run ${runId} stores ${row.node_count} state rows for ${r} non-review nodes`);
    return out;
  };
  return { dim: row.dim, input: full(input), output: full(output), reviewsTrained: false };
}

/** Rows per table, for tests and `graphprof runs --json`. */
export function tableCounts(db: DB): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['runs', 'nodes', 'edges', 'texts', 'reviews', 'products', 'vectors', 'vector_blocks', 'segments', 'assignments', 'text_cache', 'sgns_state', 'sgns_state_blocks']) {
    out[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  return out;
}

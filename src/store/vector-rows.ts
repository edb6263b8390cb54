/**
 * A run's stored vectors as rows for export, read from SQLite with one statement iterated row
 * by row (better-sqlite3 `.iterate()`) into a fixed-size batch that is reused:
 * memory stays the same whatever the number of rows. Rows come in CSR index
 * order, the order of the vectors table's primary key, so SQLite never sorts.
 */
import type { Database as DB, Statement } from 'better-sqlite3';
import { NodeType, nodeTypeNames } from '../graph/csr.js';
import type { VectorKind } from './runs.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { hasVectorBlocks } from './vectors.js';

/** Which nodes: one type (ids without the type prefix), or all (ids are whole keys). */
export type RowType = 'user' | 'product' | 'all';

export interface ExportSelection {
  runId: number;
  kind: VectorKind;
  type: RowType;
}

export interface SelectionShape {
  rows: number;
  dim: number;
}

/**
 * A window of consecutive rows. Arrays are sized for a full batch and reused
 * from one batch to the next: only the first `count` rows are valid, and a
 * consumer must be done with a batch before asking for the next one.
 */
export interface RowBatch {
  count: number;
  dim: number;
  /** Exported ids: the node key without its "user:"/"product:" prefix, or the whole key for --type all. */
  ids: string[];
  /** Node type names ("user", "product", ...). */
  types: string[];
  /** Segment of each row; only meaningful where hasSegment is 1 (products have none). */
  segments: Int32Array;
  hasSegment: Uint8Array;
  /** count x dim, row-major, exactly the stored float32 values. */
  data: Float32Array;
}

const hostLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function filterSql(type: RowType): { sql: string; args: number[] } {
  if (type === 'all') return { sql: '', args: [] };
  return { sql: 'AND n.type = ?', args: [NodeType[type]] };
}

const joinNodes = 'FROM vectors v JOIN nodes n ON n.run_id = v.run_id AND n.idx = v.idx';
const whereRunKind = 'WHERE v.run_id = ? AND v.kind = ?';
const fromSql = `${joinNodes} ${whereRunKind}`;

/** Blocks (schema 5) of a selection: the same filter on the block's type. */
const blocksSql = 'FROM vector_blocks WHERE run_id = ? AND kind = ?';

function noRowsError(db: DB, sel: ExportSelection, blocks: boolean): GraphprofError {
  const perType = db
    .prepare(blocks ? `SELECT type, sum(rows) AS n ${blocksSql} GROUP BY type ORDER BY type` : `SELECT n.type AS type, count(*) AS n ${fromSql} GROUP BY n.type ORDER BY n.type`)
    .all(sel.runId, sel.kind) as { type: number; n: number }[];
  if (perType.length === 0) {
    const hint = sel.kind === 'text' ? ' (it was trained with --text-weight 0, so no text model ran; export --kind fused or graph)' : '';
    return new GraphprofError(`exportVectors: run ${sel.runId} has no ${sel.kind} vectors${hint}`, ExitCode.usage);
  }
  const has = perType.map((t) => `${nodeTypeNames[t.type] ?? t.type} ${t.n}`).join(', ');
  return new GraphprofError(`exportVectors: run ${sel.runId} has no ${sel.kind} vectors of ${sel.type} nodes (it has ${has}; use --type all or another --type)`, ExitCode.usage);
}

/** Row count and dimension of a selection, counted before any row is written (headers need them). */
export function countSelection(db: DB, sel: ExportSelection): SelectionShape {
  const f = filterSql(sel.type);
  const blocks = hasVectorBlocks(db, sel.runId);
  const row = db
    .prepare(blocks ? `SELECT coalesce(sum(rows), 0) AS n, min(dim) AS lo, max(dim) AS hi ${blocksSql} ${f.sql.replace('n.type', 'type')}` : `SELECT count(*) AS n, min(v.dim) AS lo, max(v.dim) AS hi ${fromSql} ${f.sql}`)
    .get(sel.runId, sel.kind, ...f.args) as { n: number; lo: number | null; hi: number | null };
  if (row.n === 0) throw noRowsError(db, sel, blocks);
  if (row.lo !== row.hi) {
    throw new GraphprofError(`exportVectors: run ${sel.runId} stores ${sel.kind} vectors of several sizes (${row.lo}..${row.hi}); the database is inconsistent`);
  }
  return { rows: row.n, dim: row.lo! };
}

function newBatch(size: number, dim: number): RowBatch {
  return {
    count: 0,
    dim,
    ids: new Array<string>(size).fill(''),
    types: new Array<string>(size).fill(''),
    segments: new Int32Array(size),
    hasSegment: new Uint8Array(size),
    data: new Float32Array(size * dim),
  };
}

function copyVector(batch: RowBatch, row: number, blob: Buffer, key: string): void {
  const dim = batch.dim;
  if (blob.byteLength !== dim * 4) {
    throw new GraphprofError(`exportVectors: the stored vector of ${key} has ${blob.byteLength} bytes; expected ${dim * 4}`);
  }
  if (hostLittleEndian) {
    new Uint8Array(batch.data.buffer, row * dim * 4, dim * 4).set(blob);
    return;
  }
  // Blobs are little-endian float32 whatever the host.
  for (let k = 0; k < dim; k++) batch.data[row * dim + k] = blob.readFloatLE(k * 4);
}

/**
 * The selected rows in batches of at most `batchRows`, streamed from one
 * SQLite statement. The same batch object is yielded every time.
 */
export function* selectionBatches(db: DB, sel: ExportSelection, dim: number, batchRows: number): Generator<RowBatch> {
  if (hasVectorBlocks(db, sel.runId)) {
    yield* blockBatches(db, sel, dim, batchRows);
    return;
  }
  const f = filterSql(sel.type);
  const stmt = db
    .prepare(
      `SELECT n.key, n.type, a.segment, v.vector ${joinNodes}
       LEFT JOIN assignments a ON a.run_id = v.run_id AND a.idx = v.idx
       ${whereRunKind} ${f.sql} ORDER BY v.idx`,
    )
    .raw(true);
  const prefix = sel.type === 'all' ? '' : `${sel.type}:`;
  const batch = newBatch(batchRows, dim);
  for (const [key, type, segment, blob] of stmt.iterate(sel.runId, sel.kind, ...f.args) as Iterable<[string, number, number | null, Buffer]>) {
    const r = batch.count;
    batch.ids[r] = prefix !== '' && key.startsWith(prefix) ? key.slice(prefix.length) : key;
    batch.types[r] = nodeTypeNames[type] ?? String(type);
    batch.hasSegment[r] = segment === null ? 0 : 1;
    batch.segments[r] = segment ?? 0;
    copyVector(batch, r, blob, key);
    batch.count++;
    if (batch.count === batchRows) {
      yield batch;
      batch.count = 0;
    }
  }
  if (batch.count > 0) yield batch;
}

type BlockRow = [type: number, rows: number, idx: Buffer, vectors: Buffer];

/**
 * A selection read from the run's vector blocks: one block of each selected
 * node type held at a time, rows merged across types in CSR index order (the
 * order rows had before blocks), key and segment by a point lookup per row.
 */
function* blockBatches(db: DB, sel: ExportSelection, dim: number, batchRows: number): Generator<RowBatch> {
  const f = filterSql(sel.type);
  const types = db.prepare(`SELECT DISTINCT type ${blocksSql} ${f.sql.replace('n.type', 'type')} ORDER BY type`).pluck().all(sel.runId, sel.kind, ...f.args) as number[];
  const node = db.prepare('SELECT n.key, a.segment FROM nodes n LEFT JOIN assignments a ON a.run_id = n.run_id AND a.idx = n.idx WHERE n.run_id = ? AND n.idx = ?').raw(true);
  // A cursor per node type: its current block and row. better-sqlite3 runs one iterator per statement at a time, so each has its own.
  const cursors = types.map((type): BlockCursor => {
    const it = db.prepare(`SELECT type, rows, idx, vectors ${blocksSql} AND type = ? ORDER BY block`).raw(true).iterate(sel.runId, sel.kind, type) as IterableIterator<BlockRow>;
    return { type, it, rows: 0, row: 0, idx: new Uint32Array(0), vectors: Buffer.alloc(0) as Buffer };
  });
  const refill = (c: BlockCursor): boolean => {
    while (c.row >= c.rows) {
      const next = c.it.next();
      if (next.done) return false;
      const [, rows, idx, vectors] = next.value;
      c.rows = rows;
      c.row = 0;
      c.idx = new Uint32Array(rows);
      for (let r = 0; r < rows; r++) c.idx[r] = idx.readUInt32LE(r * 4);
      c.vectors = vectors;
    }
    return true;
  };
  // A consumer that stops early (an error, a cancelled export) must not leave a statement running on the connection.
  try {
    yield* mergedBatches(cursors.filter(refill), refill, node, sel, dim, batchRows);
  } finally {
    for (const c of cursors) c.it.return?.();
  }
}

interface BlockCursor {
  type: number;
  it: IterableIterator<BlockRow>;
  rows: number;
  row: number;
  idx: Uint32Array;
  vectors: Buffer;
}

function* mergedBatches(live: BlockCursor[], refill: (c: BlockCursor) => boolean, node: Statement, sel: ExportSelection, dim: number, batchRows: number): Generator<RowBatch> {
  const prefix = sel.type === 'all' ? '' : `${sel.type}:`;
  const batch = newBatch(batchRows, dim);
  while (live.length > 0) {
    let best = 0;
    for (let i = 1; i < live.length; i++) if (live[i].idx[live[i].row] < live[best].idx[live[best].row]) best = i;
    const c = live[best];
    const idx = c.idx[c.row];
    const found = node.get(sel.runId, idx) as [string, number | null] | undefined;
    if (found === undefined) throw new GraphprofError(`exportVectors: run ${sel.runId} stores a ${sel.kind} vector of node ${idx}, which it does not have`);
    const [key, segment] = found;
    const r = batch.count;
    batch.ids[r] = prefix !== '' && key.startsWith(prefix) ? key.slice(prefix.length) : key;
    batch.types[r] = nodeTypeNames[c.type] ?? String(c.type);
    batch.hasSegment[r] = segment === null ? 0 : 1;
    batch.segments[r] = segment ?? 0;
    copyVector(batch, r, c.vectors.subarray(c.row * dim * 4, (c.row + 1) * dim * 4), key);
    batch.count++;
    c.row++;
    if (!refill(c)) live.splice(best, 1);
    if (batch.count === batchRows) {
      yield batch;
      batch.count = 0;
    }
  }
  if (batch.count > 0) yield batch;
}

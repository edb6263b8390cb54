/**
 * A run's vectors in the database and back, as one row-major matrix per
 * (kind, node type): the shape queries, evaluation and exports work on.
 *
 * Written as blocks (table vector_blocks, schema 5): per (kind, type) the rows
 * in CSR index order, cut into blocks of about BLOCK_BYTES, each block one row
 * holding its rows' indices, flags and floats as three blobs. Reading a type's
 * matrix is then a few large copies; a row per node and kind (table vectors,
 * how runs were written before schema 5, still read) cost SQLite, better-sqlite3
 * and the join with nodes about 7 us a row: 0.7 s for the 100,000 users of
 * a million-review shop, most of a query's time.
 *
 * `readVectorMatrix` leaves the node keys out (a query needs the keys of its k
 * answers only: `readNodeKeysAt`); `readVectors` adds every row's key and type.
 */
import type { Database as DB, Statement } from 'better-sqlite3';
import type { NodeTypeCode } from '../graph/csr.js';
import type { VectorKind, VectorSet } from './runs.js';
import { GraphprofError } from '../util/errors.js';

export interface VectorMatrix {
  kind: VectorKind;
  dim: number;
  /** CSR index of each row, ascending. */
  indices: Uint32Array;
  flags: Uint8Array;
  /** rows x dim, row-major, exactly the stored float32 values. */
  data: Float32Array;
}

export interface StoredVectors extends VectorMatrix {
  keys: string[];
  types: Uint8Array;
}

const hostLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** About this many bytes of floats per block (4 MiB: 4,096 rows of 256 floats). */
const BLOCK_BYTES = 4 * 1024 * 1024;

/** Little-endian bytes of a typed array (a view on a little-endian host, a converted copy elsewhere). */
function leBytes(a: Uint32Array | Float32Array): Buffer {
  if (hostLittleEndian) return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const out = Buffer.alloc(a.byteLength);
  a.forEach((x, i) => (a instanceof Float32Array ? out.writeFloatLE(x, i * 4) : out.writeUInt32LE(x, i * 4)));
  return out;
}

function leUint32(b: Buffer, n: number, where: string): Uint32Array {
  if (b.byteLength !== n * 4) throw new GraphprofError(`${where}: a block's index blob has ${b.byteLength} bytes for ${n} rows`);
  const out = new Uint32Array(n);
  if (hostLittleEndian) new Uint8Array(out.buffer).set(b);
  else for (let i = 0; i < n; i++) out[i] = b.readUInt32LE(i * 4);
  return out;
}

/**
 * Writes a run's vector sets as blocks, per kind and node type (`nodeType`:
 * the run's CSR node types) in CSR index order. Sets of one kind may hold
 * several types, and one (kind, type) may come in several sets.
 */
export function writeVectorBlocks(db: DB, runId: number, sets: readonly VectorSet[], nodeType: ArrayLike<number>): void {
  const insert = db.prepare('INSERT INTO vector_blocks (run_id, kind, type, block, dim, rows, idx, flags, vectors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const kind of new Set(sets.map((s) => s.kind))) {
    const ofKind = sets.filter((s) => s.kind === kind);
    const total = ofKind.reduce((n, s) => n + s.data.length / s.dim, 0);
    // Every row of the kind: which set, which row of it, its node.
    const setOf = new Uint16Array(total);
    const rowOf = new Uint32Array(total);
    const idxOf = new Uint32Array(total);
    let at = 0;
    ofKind.forEach((set, k) => {
      const rows = set.data.length / set.dim;
      for (let r = 0; r < rows; r++, at++) {
        const idx = set.indices ? set.indices[r] : r;
        if (idx >= nodeType.length) throw new GraphprofError(`writeVectorBlocks: a ${kind} vector of node ${idx}, but the run has ${nodeType.length} nodes`);
        setOf[at] = k;
        rowOf[at] = r;
        idxOf[at] = idx;
      }
    });
    for (const type of new Set(Array.from(idxOf, (i) => nodeType[i]))) {
      const order = Uint32Array.from(idxOf.keys()).filter((i) => nodeType[idxOf[i]] === type).sort((a, b) => idxOf[a] - idxOf[b]);
      const dim = ofKind[setOf[order[0]]].dim;
      const perBlock = Math.max(1, Math.floor(BLOCK_BYTES / (dim * 4)));
      for (let start = 0, block = 0; start < order.length; start += perBlock, block++) {
        const rows = Math.min(perBlock, order.length - start);
        const idx = new Uint32Array(rows);
        const flags = new Uint8Array(rows);
        const data = new Float32Array(rows * dim);
        for (let r = 0; r < rows; r++) {
          const i = order[start + r];
          const set = ofKind[setOf[i]];
          if (set.dim !== dim) throw new GraphprofError(`writeVectorBlocks: ${kind} vectors of node type ${type} with ${set.dim} and ${dim} values`);
          if (start + r > 0 && idxOf[order[start + r - 1]] === idxOf[i]) throw new GraphprofError(`writeVectorBlocks: two ${kind} vectors of node ${idxOf[i]}`);
          idx[r] = idxOf[i];
          flags[r] = set.flags ? set.flags[rowOf[i]] : 0;
          data.set(set.data.subarray(rowOf[i] * dim, (rowOf[i] + 1) * dim), r * dim);
        }
        insert.run(runId, kind, type, block, dim, rows, leBytes(idx), Buffer.from(flags.buffer), leBytes(data));
      }
    }
  }
}

type BlockRow = [dim: number, rows: number, idx: Buffer, flags: Buffer, vectors: Buffer];

/** The blocks of one (run, kind, type), in order. */
function blocksOf(db: DB, runId: number, kind: VectorKind, type: number): IterableIterator<BlockRow> {
  return db.prepare('SELECT dim, rows, idx, flags, vectors FROM vector_blocks WHERE run_id = ? AND kind = ? AND type = ? ORDER BY block').raw(true).iterate(runId, kind, type) as IterableIterator<BlockRow>;
}

/** A database opened read-only is not migrated: one of schema 4 or older has no vector_blocks table. */
function blocksTable(db: DB): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vector_blocks'").pluck().get() !== undefined;
}

/** Node types that have `kind` blocks in a run (none: the run has no such vectors, or was written before schema 5). */
function blockTypes(db: DB, runId: number, kind: VectorKind): number[] {
  if (!blocksTable(db)) return [];
  return db.prepare('SELECT DISTINCT type FROM vector_blocks WHERE run_id = ? AND kind = ? ORDER BY type').pluck().all(runId, kind) as number[];
}

/** Whether a run's vectors are stored as blocks (written with schema 5 or later). */
export function hasVectorBlocks(db: DB, runId: number): boolean {
  return blocksTable(db) && db.prepare('SELECT 1 FROM vector_blocks WHERE run_id = ? LIMIT 1').pluck().get(runId) !== undefined;
}

/** One (kind, type) matrix from its blocks: the row count first, then one copy per block into the preallocated arrays. */
function matrixOfBlocks(db: DB, runId: number, kind: VectorKind, type: number, where: string): VectorMatrix {
  const shape = db.prepare('SELECT sum(rows) AS n, min(dim) AS lo, max(dim) AS hi FROM vector_blocks WHERE run_id = ? AND kind = ? AND type = ?').get(runId, kind, type) as { n: number | null; lo: number | null; hi: number | null };
  const n = shape.n ?? 0;
  const dim = shape.lo ?? 0;
  if (shape.lo !== shape.hi) throw new GraphprofError(`${where}: node type ${type} has blocks of ${shape.lo} and ${shape.hi} values a row; the database is inconsistent`);
  const indices = new Uint32Array(n);
  const flags = new Uint8Array(n);
  const data = new Float32Array(n * dim);
  let at = 0;
  for (const [, rows, idx, f, vectors] of blocksOf(db, runId, kind, type)) {
    if (vectors.byteLength !== rows * dim * 4 || f.byteLength !== rows) throw new GraphprofError(`${where}: a block of node type ${type} holds ${vectors.byteLength} bytes of vectors for ${rows} rows of ${dim}`);
    indices.set(leUint32(idx, rows, where), at);
    flags.set(f, at);
    if (hostLittleEndian) new Uint8Array(data.buffer, at * dim * 4, rows * dim * 4).set(vectors);
    else for (let k = 0; k < rows * dim; k++) data[at * dim + k] = vectors.readFloatLE(k * 4);
    at += rows;
  }
  return { kind, dim, indices, flags, data };
}

/** Matrices of several node types as one, rows in CSR index order (what a read of every type returns). */
function mergeByIndex(kind: VectorKind, parts: VectorMatrix[], where: string): VectorMatrix {
  if (parts.length === 1) return parts[0];
  const dim = parts[0].dim;
  if (parts.some((p) => p.dim !== dim)) throw new GraphprofError(`${where}: node types with vectors of different sizes (${parts.map((p) => p.dim).join(', ')}); read one type at a time`);
  const n = parts.reduce((s, p) => s + p.indices.length, 0);
  const out: VectorMatrix = { kind, dim, indices: new Uint32Array(n), flags: new Uint8Array(n), data: new Float32Array(n * dim) };
  const next = new Array<number>(parts.length).fill(0);
  for (let r = 0; r < n; r++) {
    let best = -1;
    for (let p = 0; p < parts.length; p++) if (next[p] < parts[p].indices.length && (best < 0 || parts[p].indices[next[p]] < parts[best].indices[next[best]])) best = p;
    const src = parts[best];
    const j = next[best]++;
    out.indices[r] = src.indices[j];
    out.flags[r] = src.flags[j];
    out.data.set(src.data.subarray(j * dim, (j + 1) * dim), r * dim);
  }
  return out;
}

/** The blocks' matrix of a (kind, type?), or undefined when the run has no such blocks. */
function readBlockMatrix(db: DB, runId: number, kind: VectorKind, type: NodeTypeCode | undefined, where: string): VectorMatrix | undefined {
  const types = type === undefined ? blockTypes(db, runId, kind) : blockTypes(db, runId, kind).filter((t) => t === type);
  if (types.length === 0) return undefined;
  return mergeByIndex(kind, types.map((t) => matrixOfBlocks(db, runId, kind, t, where)), where);
}

/** Rows are appended to arrays that double when full, then cut to size: one pass over the rows, no per-row objects kept. */
class MatrixBuilder {
  rows = 0;
  dim = 0;
  private indices = new Uint32Array(1024);
  private flags = new Uint8Array(1024);
  private data = new Float32Array(0);

  add(idx: number, dim: number, flags: number, blob: Buffer, where: string): number {
    if (this.rows === 0) {
      this.dim = dim;
      this.data = new Float32Array(this.indices.length * dim);
    } else if (dim !== this.dim) {
      throw new GraphprofError(`${where}: node ${idx} stores a vector of ${dim} values, the rows before it ${this.dim}; the database is inconsistent`);
    }
    if (blob.byteLength !== dim * 4) throw new GraphprofError(`${where}: the stored vector of node ${idx} has ${blob.byteLength} bytes; expected ${dim * 4}`);
    if (this.rows === this.indices.length) this.grow();
    const r = this.rows++;
    this.indices[r] = idx;
    this.flags[r] = flags;
    if (hostLittleEndian) new Uint8Array(this.data.buffer, r * dim * 4, dim * 4).set(blob);
    else for (let k = 0; k < dim; k++) this.data[r * dim + k] = blob.readFloatLE(k * 4); // blobs are little-endian float32 whatever the host
    return r;
  }

  private grow(): void {
    const size = this.indices.length * 2;
    const indices = new Uint32Array(size);
    indices.set(this.indices);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    const data = new Float32Array(size * this.dim);
    data.set(this.data);
    this.indices = indices;
    this.flags = flags;
    this.data = data;
  }

  finish(kind: VectorKind): VectorMatrix {
    const n = this.rows;
    return { kind, dim: this.dim, indices: this.indices.slice(0, n), flags: this.flags.slice(0, n), data: this.data.slice(0, n * this.dim) };
  }
}

const selectRows = (columns: string, type: NodeTypeCode | undefined): string =>
  `SELECT v.idx, v.dim, v.flags, v.vector${columns} FROM vectors v
   JOIN nodes n ON n.run_id = v.run_id AND n.idx = v.idx
   WHERE v.run_id = ? AND v.kind = ? ${type === undefined ? '' : 'AND n.type = ?'} ORDER BY v.idx`;

const argsOf = (runId: number, kind: VectorKind, type: NodeTypeCode | undefined): (number | string)[] => (type === undefined ? [runId, kind] : [runId, kind, type]);

/** The run's `kind` vectors of nodes of `type` (all types when omitted), without their keys. */
export function readVectorMatrix(db: DB, runId: number, kind: VectorKind, type?: NodeTypeCode): VectorMatrix {
  const where = `readVectorMatrix (run ${runId}, ${kind})`;
  const blocks = readBlockMatrix(db, runId, kind, type, where);
  if (blocks) return blocks;
  const b = new MatrixBuilder();
  const stmt = db.prepare(selectRows('', type)).raw(true);
  for (const [idx, dim, flags, blob] of stmt.iterate(...argsOf(runId, kind, type)) as Iterable<[number, number, number, Buffer]>) b.add(idx, dim, flags, blob, where);
  return b.finish(kind);
}

/** As readVectorMatrix, with every row's node key and type. */
export function readVectors(db: DB, runId: number, kind: VectorKind, type?: NodeTypeCode): StoredVectors {
  const where = `readVectors (run ${runId}, ${kind})`;
  const blocks = readBlockMatrix(db, runId, kind, type, where);
  if (blocks) {
    const node = db.prepare('SELECT key, type FROM nodes WHERE run_id = ? AND idx = ?').raw(true);
    const types = new Uint8Array(blocks.indices.length);
    const keys = Array.from(blocks.indices, (idx, r) => {
      const [key, t] = nodeOf(node, runId, idx, where);
      types[r] = t;
      return key;
    });
    return { ...blocks, keys, types };
  }
  const b = new MatrixBuilder();
  const keys: string[] = [];
  const types: number[] = [];
  const stmt = db.prepare(selectRows(', n.key, n.type', type)).raw(true);
  for (const [idx, dim, flags, blob, key, t] of stmt.iterate(...argsOf(runId, kind, type)) as Iterable<[number, number, number, Buffer, string, number]>) {
    b.add(idx, dim, flags, blob, where);
    keys.push(key);
    types.push(t);
  }
  return { ...b.finish(kind), keys, types: Uint8Array.from(types) };
}

/** Row of CSR index `idx` in a matrix (its indices ascend), or -1. */
export function rowOfIndex(m: VectorMatrix, idx: number): number {
  let lo = 0;
  let hi = m.indices.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = m.indices[mid];
    if (v === idx) return mid;
    if (v < idx) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function nodeOf(stmt: Statement, runId: number, idx: number, where: string): [string, number] {
  const row = stmt.get(runId, idx) as [string, number] | undefined;
  if (row === undefined) throw new GraphprofError(`${where}: a vector of node ${idx}, which the run does not have`);
  return row;
}

/** Node keys of the CSR indices `idx` of a run, in their order (point lookups: for the few rows a query answers with). */
export function readNodeKeysAt(db: DB, runId: number, idx: ArrayLike<number>): string[] {
  const stmt = db.prepare('SELECT key FROM nodes WHERE run_id = ? AND idx = ?').pluck();
  return Array.from(idx, (i) => {
    const key = stmt.get(runId, i) as string | undefined;
    if (key === undefined) throw new GraphprofError(`readNodeKeysAt: run ${runId} has no node ${i}`);
    return key;
  });
}

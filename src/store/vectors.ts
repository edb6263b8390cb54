/**
 * Reads a run's stored vectors as one row-major matrix per (kind, node type):
 * the shape queries, evaluation and exports work on. `readVectorMatrix`
 * leaves the node keys out (a query needs the keys of its k answers only:
 * `readNodeKeysAt`); `readVectors` adds every row's key and type.
 */
import type { Database as DB } from 'better-sqlite3';
import type { NodeTypeCode } from '../graph/csr.js';
import type { VectorKind } from './runs.js';
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
  const b = new MatrixBuilder();
  const stmt = db.prepare(selectRows('', type)).raw(true);
  for (const [idx, dim, flags, blob] of stmt.iterate(...argsOf(runId, kind, type)) as Iterable<[number, number, number, Buffer]>) b.add(idx, dim, flags, blob, where);
  return b.finish(kind);
}

/** As readVectorMatrix, with every row's node key and type. */
export function readVectors(db: DB, runId: number, kind: VectorKind, type?: NodeTypeCode): StoredVectors {
  const where = `readVectors (run ${runId}, ${kind})`;
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

/** Node keys of the CSR indices `idx` of a run, in their order (point lookups: for the few rows a query answers with). */
export function readNodeKeysAt(db: DB, runId: number, idx: ArrayLike<number>): string[] {
  const stmt = db.prepare('SELECT key FROM nodes WHERE run_id = ? AND idx = ?').pluck();
  return Array.from(idx, (i) => {
    const key = stmt.get(runId, i) as string | undefined;
    if (key === undefined) throw new GraphprofError(`readNodeKeysAt: run ${runId} has no node ${i}`);
    return key;
  });
}

/**
 * Reads a run's stored vectors as one row-major matrix per (kind, node type),
 * with the node keys in row order: the shape queries and exports work on.
 */
import type { Database as DB } from 'better-sqlite3';
import type { NodeTypeCode } from '../graph/csr.js';
import type { VectorKind } from './runs.js';

export interface StoredVectors {
  kind: VectorKind;
  dim: number;
  /** CSR index of each row. */
  indices: Uint32Array;
  keys: string[];
  types: Uint8Array;
  flags: Uint8Array;
  data: Float32Array;
}

export function readVectors(db: DB, runId: number, kind: VectorKind, type?: NodeTypeCode): StoredVectors {
  const where = type === undefined ? '' : 'AND n.type = ?';
  const args: (number | string)[] = type === undefined ? [runId, kind] : [runId, kind, type];
  const rows = db
    .prepare(
      `SELECT v.idx, v.dim, v.flags, v.vector, n.key, n.type FROM vectors v
       JOIN nodes n ON n.run_id = v.run_id AND n.idx = v.idx
       WHERE v.run_id = ? AND v.kind = ? ${where} ORDER BY v.idx`,
    )
    .raw(true)
    .all(...args) as [number, number, number, Buffer, string, number][];
  const dim = rows.length ? rows[0][1] : 0;
  const data = new Float32Array(rows.length * dim);
  const bytes = new Uint8Array(data.buffer);
  const indices = new Uint32Array(rows.length);
  const types = new Uint8Array(rows.length);
  const flags = new Uint8Array(rows.length);
  const keys: string[] = new Array<string>(rows.length);
  rows.forEach(([idx, _dim, f, blob, key, t], r) => {
    indices[r] = idx;
    flags[r] = f;
    keys[r] = key;
    types[r] = t;
    bytes.set(blob, r * dim * 4);
  });
  return { kind, dim, indices, keys, types, flags, data };
}

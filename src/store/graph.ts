/**
 * Reads a stored run's graph back into CSR form (for inspect, and for refresh
 * and queries that need the graph without re-reading the input files).
 */
import type { Database as DB } from 'better-sqlite3';
import type { Csr } from '../graph/csr.js';
import { ArcBuffer, arcsToCsr } from '../graph/csr-build.js';

export function readRunCsr(db: DB, runId: number, directed = false): Csr {
  const count = (db.prepare('SELECT count(*) AS n FROM nodes WHERE run_id = ?').get(runId) as { n: number }).n;
  const keys: string[] = new Array<string>(count);
  const nodeType = new Uint8Array(count);
  for (const row of db.prepare('SELECT idx, key, type FROM nodes WHERE run_id = ?').iterate(runId) as Iterable<{
    idx: number;
    key: string;
    type: number;
  }>) {
    keys[row.idx] = row.key;
    nodeType[row.idx] = row.type;
  }
  const arcs = new ArcBuffer();
  const edges = db.prepare('SELECT src, dst, weight FROM edges WHERE run_id = ?').raw(true);
  for (const [s, d, w] of edges.iterate(runId) as Iterable<[number, number, number]>) arcs.push(s, d, w);
  return arcsToCsr(count, arcs.toArcList(), !directed, nodeType, keys);
}

/** The CSR index of one node key in a run (a point lookup), or undefined when the run has no such node. */
export function readNodeIdx(db: DB, runId: number, key: string): number | undefined {
  return db.prepare('SELECT idx FROM nodes WHERE run_id = ? AND key = ?').pluck().get(runId, key) as number | undefined;
}

/** Node keys of a run in CSR order (row i = node i). */
export function readNodeKeys(db: DB, runId: number): string[] {
  return db.prepare('SELECT key FROM nodes WHERE run_id = ? ORDER BY idx').pluck().all(runId) as string[];
}

/** The node type code of a key in a run, or undefined when the run has no such node. */
export function readNodeType(db: DB, runId: number, key: string): number | undefined {
  return db.prepare('SELECT type FROM nodes WHERE run_id = ? AND key = ?').pluck().get(runId, key) as number | undefined;
}

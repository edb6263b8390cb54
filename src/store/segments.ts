/**
 * Reads a run's segments back: their descriptions (what `segments`, `profile`
 * and the report show), their centroids (what a refresh assigns new users to)
 * and each user's segment.
 */
import type { Database as DB } from 'better-sqlite3';
import type { SegmentDescription } from '../segment/describe.js';
import { blobVector } from './store.js';

export function readSegments(db: DB, runId: number): SegmentDescription[] {
  const rows = db.prepare('SELECT description FROM segments WHERE run_id = ? ORDER BY segment').pluck().all(runId) as string[];
  return rows.map((r) => JSON.parse(r) as SegmentDescription);
}

/** The k centroids of a run's segments as one [k x dim] matrix, or undefined for a run without segments. */
export function readCentroids(db: DB, runId: number): { k: number; centroids: Float32Array } | undefined {
  const rows = db.prepare('SELECT centroid FROM segments WHERE run_id = ? ORDER BY segment').pluck().all(runId) as Buffer[];
  if (rows.length === 0) return undefined;
  const parts = rows.map(blobVector);
  const dim = parts[0].length;
  const centroids = new Float32Array(rows.length * dim);
  parts.forEach((c, i) => centroids.set(c, i * dim));
  return { k: rows.length, centroids };
}

/** Segment and centroid distance of one node, or undefined when the run did not assign it. */
export function readAssignment(db: DB, runId: number, node: number): { segment: number; distance: number } | undefined {
  return db.prepare('SELECT segment, distance FROM assignments WHERE run_id = ? AND idx = ?').get(runId, node) as { segment: number; distance: number } | undefined;
}

/** Segment of each of `nodes` (CSR indices); -1 for a node without one. */
export function readSegmentOfNodes(db: DB, runId: number, nodes: Uint32Array): Int32Array {
  const byIdx = new Map<number, number>();
  const rows = db.prepare('SELECT idx, segment FROM assignments WHERE run_id = ?').raw(true).all(runId) as [number, number][];
  for (const [idx, seg] of rows) byIdx.set(idx, seg);
  return Int32Array.from(nodes, (idx) => byIdx.get(idx) ?? -1);
}

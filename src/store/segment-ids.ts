/**
 * Stable segment ids and names (issue 14): each segment of a run keeps the id
 * of the previous run's segment it matched, new ones get ids above any used
 * before (the run stores the smallest id never used, so a vanished id is never
 * given again), and what each segment matched is stored with the run.
 * Runs made before stable ids read back with id = position and no name.
 */
import type { Database as DB } from 'better-sqlite3';
import type { MatchBy, SegmentMatch } from '../segment/match.js';

export interface SegmentIdentity {
  /** Stable id of each segment position. */
  ids: Int32Array;
  /** Readable name per position ('' for runs made before names). */
  names: string[];
  /** Smallest id never used up to this run. */
  nextId: number;
}

export interface SegmentIdentityWrite extends SegmentIdentity {
  /** The comparison that gave the ids (absent: the first run, ids 0..k-1). */
  match?: { comparedRunId: number; result: SegmentMatch };
}

export function writeSegmentIdentity(db: DB, runId: number, w: SegmentIdentityWrite): void {
  const seg = db.prepare('UPDATE segments SET stable_id = ?, name = ? WHERE run_id = ? AND segment = ?');
  w.ids.forEach((id, position) => seg.run(id, w.names[position] ?? '', runId, position));
  db.prepare('UPDATE runs SET next_segment_id = ? WHERE id = ?').run(w.nextId, runId);
  const m = w.match;
  if (!m) return;
  const stmt = db.prepare('INSERT INTO segment_matches (run_id, stable_id, status, compared_run_id, closest_id, similarity, by) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const x of m.result.matched) stmt.run(runId, x.id, 'matched', m.comparedRunId, x.id, x.similarity, m.result.by);
  for (const x of m.result.created) stmt.run(runId, x.id, 'new', m.comparedRunId, x.closest, x.similarity, m.result.by);
  for (const x of m.result.vanished) stmt.run(runId, x.id, 'vanished', m.comparedRunId, x.closest, x.similarity, m.result.by);
}

export function readSegmentIdentity(db: DB, runId: number): SegmentIdentity {
  const rows = db.prepare('SELECT segment, stable_id, name FROM segments WHERE run_id = ? ORDER BY segment').raw(true).all(runId) as [number, number | null, string | null][];
  const ids = Int32Array.from(rows, ([pos, id]) => id ?? pos);
  const stored = db.prepare('SELECT next_segment_id FROM runs WHERE id = ?').pluck().get(runId) as number | null | undefined;
  const nextId = stored ?? ids.reduce((m, id) => Math.max(m, id + 1), 0);
  return { ids, names: rows.map(([, , name]) => name ?? ''), nextId };
}

export interface StoredSegmentMatch {
  stableId: number;
  status: 'matched' | 'new' | 'vanished';
  comparedRunId: number;
  closestId: number | null;
  similarity: number;
  by: MatchBy;
}

/** What the run's segments matched (empty for a first run or one made before stable ids). */
export function readSegmentMatches(db: DB, runId: number): StoredSegmentMatch[] {
  const rows = db
    .prepare('SELECT stable_id AS stableId, status, compared_run_id AS comparedRunId, closest_id AS closestId, similarity, by FROM segment_matches WHERE run_id = ? ORDER BY status, stable_id')
    .all(runId) as StoredSegmentMatch[];
  return rows;
}

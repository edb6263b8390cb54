/**
 * Drift of a refresh from its base run, per user: the users whose fused
 * vector moved more than the run's threshold or whose stable segment changed
 * (src/segment/drift.ts). The summary (threshold, shares, distance
 * quantiles) is stored in the run's counts; the users here.
 */
import type { Database as DB } from 'better-sqlite3';
import type { DriftedUser } from '../segment/drift.js';

export function writeUserDrift(db: DB, runId: number, users: readonly DriftedUser[]): void {
  const stmt = db.prepare('INSERT INTO user_drift (run_id, user_id, distance, from_segment, to_segment) VALUES (?, ?, ?, ?, ?)');
  for (const u of users) stmt.run(runId, u.user, u.distance, u.from, u.to);
}

/** The drifted users of a run, largest distance first (at most `limit`). */
export function readUserDrift(db: DB, runId: number, threshold: number, limit: number): DriftedUser[] {
  const rows = db
    .prepare('SELECT user_id, distance, from_segment, to_segment FROM user_drift WHERE run_id = ? ORDER BY distance DESC, user_id LIMIT ?')
    .raw(true)
    .all(runId, limit) as [string, number, number | null, number | null][];
  return rows.map(([user, distance, from, to]) => ({ user, distance, from, to, vectorMoved: distance > threshold, segmentChanged: from !== to }));
}

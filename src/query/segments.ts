/**
 * A run's segments with their stable ids and names, what they matched in the
 * run they were compared with, and `segments --diff RUN`: per stable id, the
 * users who joined and left between RUN and this run.
 */
import type { Database as DB } from 'better-sqlite3';
import { readNodeKeys } from '../store/graph.js';
import { readSegmentOfNodes, readSegments } from '../store/segments.js';
import { readSegmentIdentity, readSegmentMatches, type StoredSegmentMatch } from '../store/segment-ids.js';
import { segmentDiff, type SegmentDiff, type SegmentMembership } from '../segment/match.js';
import type { SegmentDescription } from '../segment/describe.js';

export type NamedSegment = SegmentDescription & { id: number; name: string };

export function namedSegments(db: DB, runId: number): { segments: NamedSegment[]; nextId: number; matches: StoredSegmentMatch[] } {
  const identity = readSegmentIdentity(db, runId);
  const segments = readSegments(db, runId).map((s, p) => ({ ...s, id: identity.ids[p] ?? p, name: identity.names[p] || s.label }));
  return { segments, nextId: identity.nextId, matches: readSegmentMatches(db, runId) };
}

/** Every user of a run and the stable id of their segment (-1: none). */
export function segmentMembership(db: DB, runId: number): SegmentMembership {
  const keys = readNodeKeys(db, runId);
  const nodes = Uint32Array.from(keys.flatMap((k, i) => (k.startsWith('user:') ? [i] : [])));
  const ids = readSegmentIdentity(db, runId).ids;
  const position = readSegmentOfNodes(db, runId, nodes);
  return { users: Array.from(nodes, (v) => keys[v]!.slice(5)), segmentIds: position.map((p) => (p >= 0 ? (ids[p] ?? -1) : -1)) };
}

export interface RunSegmentDiff extends SegmentDiff {
  fromRunId: number;
  toRunId: number;
  /** Stable id -> name in either run (this run's name wins). */
  names: Record<number, string>;
}

/** Who joined and left each stable segment between `fromRun` and `toRun`. */
export function diffRuns(db: DB, fromRun: number, toRun: number): RunSegmentDiff {
  const names: Record<number, string> = {};
  for (const run of [fromRun, toRun]) {
    const identity = readSegmentIdentity(db, run);
    const described = readSegments(db, run);
    identity.ids.forEach((id, p) => (names[id] = identity.names[p] || described[p]?.label || ''));
  }
  return { fromRunId: fromRun, toRunId: toRun, names, ...segmentDiff(segmentMembership(db, fromRun), segmentMembership(db, toRun)) };
}

/**
 * What a train or refresh adds to its segments and users beyond the profiles
 * (issue 14): stable segment ids matched to the previous run's segments, a
 * readable name per segment, and (refresh) each user's drift from the base run.
 */
import type { Database as DB } from 'better-sqlite3';
import { NodeType } from '../graph/csr.js';
import { readNodeKeys } from '../store/graph.js';
import { readCentroids, readSegmentOfNodes } from '../store/segments.js';
import { readSegmentIdentity, type SegmentIdentityWrite } from '../store/segment-ids.js';
import { readVectors } from '../store/vectors.js';
import { computeDrift, type DriftReport } from '../segment/drift.js';
import { initialSegmentIds, matchSegments, type MatchBy, type SegmentRun } from '../segment/match.js';
import { nameSegments } from '../segment/name.js';
import type { Profiles } from './profiles.js';

/** --match-by as the matcher names it. */
export const matchMeasure = (by: 'members' | 'centroid' | 'both'): MatchBy => (by === 'members' ? 'overlap' : by);

/** A stored run's segments as the matcher reads them: stable ids, centroids, and each user's segment position. */
function storedSegments(db: DB, runId: number): (SegmentRun & { ids: Int32Array; nextId: number }) | undefined {
  const c = readCentroids(db, runId);
  if (!c) return undefined;
  const keys = readNodeKeys(db, runId);
  const nodes = Uint32Array.from(keys.flatMap((k, i) => (k.startsWith('user:') ? [i] : [])));
  const identity = readSegmentIdentity(db, runId);
  return {
    k: c.k,
    centroids: c.centroids,
    dim: c.centroids.length / c.k,
    users: Array.from(nodes, (v) => keys[v]!.slice(5)),
    assignment: readSegmentOfNodes(db, runId, nodes),
    ids: identity.ids,
    nextId: identity.nextId,
  };
}

/**
 * Stable ids and names of the new run's segments. `previous`: the run to keep
 * ids from (train: the newest train/refresh run; refresh: its base run), absent
 * for a first run. `keep`: a refresh without --refit keeps its base run's
 * segments (users were assigned to their centroids), so it keeps their ids.
 */
export function segmentIdentity(db: DB, profiles: Profiles, previous: number | undefined, by: MatchBy, keep = false): SegmentIdentityWrite | undefined {
  const c = profiles.clustering;
  if (!c) return undefined;
  const names = (ids: Int32Array): string[] => nameSegments(profiles.segments.map((s, i) => ({ topCategories: s.topCategories.map((x) => x.category), terms: s.terms, id: ids[i] })));
  const prev = previous === undefined ? undefined : storedSegments(db, previous);
  if (!prev) {
    const first = initialSegmentIds(c.k);
    return { ...first, names: names(first.ids) };
  }
  if (keep && prev.k === c.k) return { ids: prev.ids, nextId: prev.nextId, names: names(prev.ids) };
  // The clustering space: unit fused vectors with the learned fusion (as profiles.ts clusters them).
  const result = matchSegments(prev, { k: c.k, centroids: c.centroids, dim: c.centroids.length / c.k, users: profiles.users.ids, assignment: c.assignment }, { by });
  return { ids: result.ids, nextId: result.nextId, names: names(result.ids), match: { comparedRunId: previous as number, result } };
}

/** Each user's drift from the base run: fused vectors compared by user id, and the stable segment ids. */
export function userDrift(db: DB, base: number, profiles: Profiles, ids: Int32Array | undefined, threshold: number): DriftReport | undefined {
  const c = profiles.clustering;
  const before = readVectors(db, base, 'fused', NodeType.user);
  if (before.data.length === 0 || profiles.users.fused.length === 0) return undefined;
  const keys = readNodeKeys(db, base);
  const index = new Map(keys.map((k, i) => [k, i]));
  const nodes = Uint32Array.from(before.keys, (k) => index.get(k) ?? 0);
  const prevIds = readSegmentIdentity(db, base).ids;
  const prevSegments = readSegmentOfNodes(db, base, nodes).map((s) => (s >= 0 ? (prevIds[s] ?? -1) : -1));
  const nextSegments = c && ids ? c.assignment.map((s) => (s >= 0 ? ids[s]! : -1)) : undefined;
  return computeDrift(
    { ids: before.keys.map((k) => k.slice(5)), vectors: before.data, dim: before.dim, ...(nextSegments ? { segments: prevSegments } : {}) },
    { ids: profiles.users.ids, vectors: profiles.users.fused, dim: profiles.fusedDim, ...(nextSegments ? { segments: nextSegments } : {}) },
    { threshold, limit: profiles.users.ids.length },
  );
}

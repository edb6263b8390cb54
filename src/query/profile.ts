/**
 * Answers about a trained run: the segment table, one user's profile (segment,
 * nearest users, recommended products) and nearest neighbours of any node.
 * Recommendations rank products by the dot product of the stored fused user
 * and product vectors: with the learned fusion that dot product is exactly the
 * fused score `graphprof eval` measures. Nearest users and products are by
 * cosine (the learned fused vectors are scoring vectors, not unit length).
 */
import type { Database as DB } from 'better-sqlite3';
import { NodeType, type NodeTypeCode } from '../graph/csr.js';
import { norm, scoreRows, topK } from '../fuse/vectors.js';
import { readNodeIdx, readNodeType } from '../store/graph.js';
import { readAssignment, readSegments } from '../store/segments.js';
import { readProductTitles, readUserReviews, type ReviewedProduct } from '../store/shop.js';
import type { VectorKind } from '../store/runs.js';
import { readVectors, type StoredVectors } from '../store/vectors.js';
import type { SegmentDescription } from '../segment/describe.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { readSegmentIdentity } from '../store/segment-ids.js';
import { userTags, type UserTag } from './tags.js';

export interface Neighbour {
  key: string;
  id: string;
  score: number;
}

const idOf = (key: string): string => key.slice(key.indexOf(':') + 1);

/** The node key for a user-given id: "user:X"/"product:Y" as is, else a user, then a product, then a raw key. */
export function resolveNodeKey(db: DB, runId: number, id: string): string {
  for (const key of [id, `user:${id}`, `product:${id}`]) if (readNodeType(db, runId, key) !== undefined) return key;
  throw new GraphprofError(`run ${runId}: no node "${id}" (tried "${id}", "user:${id}", "product:${id}")`, ExitCode.usage);
}

function neighbours(v: StoredVectors, row: number, k: number, skip: (j: number) => boolean): Neighbour[] {
  const scores = scoreRows(v.data, v.dim, v.data.subarray(row * v.dim, (row + 1) * v.dim));
  const own = Math.sqrt(Math.max(scores[row], 0));
  for (let j = 0; j < scores.length; j++) {
    const n = own * norm(v.data.subarray(j * v.dim, (j + 1) * v.dim));
    scores[j] = n > 0 ? scores[j] / n : 0;
  }
  return Array.from(topK(scores, k, (j) => j === row || skip(j)), (j) => ({ key: v.keys[j], id: idOf(v.keys[j]), score: Math.round(scores[j] * 10000) / 10000 }));
}

function rowOfKey(v: StoredVectors, key: string): number {
  const r = v.keys.indexOf(key);
  if (r < 0) throw new GraphprofError(`"${key}" has no ${v.kind} vector in this run`, ExitCode.usage);
  return r;
}

export function similar(db: DB, runId: number, id: string, k: number, kind: VectorKind): { key: string; kind: VectorKind; neighbours: Neighbour[] } {
  const key = resolveNodeKey(db, runId, id);
  const type = readNodeType(db, runId, key) as NodeTypeCode;
  const v = readVectors(db, runId, kind, type);
  return { key, kind, neighbours: neighbours(v, rowOfKey(v, key), k, () => false) };
}

export interface UserProfile {
  userId: string;
  /** The user's segment: its stable id and name, and its description (`segment` there is the run's position). */
  segment: (SegmentDescription & { id: number; name: string }) | null;
  /** Every tag's score, the tags the user has first; null for a run without tags. */
  tags: UserTag[] | null;
  /** Mean score of positive minus negative sentiment tags; null without evidence. */
  sentiment: number | null;
  distance: number | null;
  reviewed: ReviewedProduct[];
  nearestUsers: Neighbour[];
  recommendations: (Neighbour & { title: string })[];
}

export function userProfile(db: DB, runId: number, userId: string, k: number): UserProfile {
  const id = userId.startsWith('user:') ? userId.slice(5) : userId;
  const key = `user:${id}`;
  // One indexed lookup, not a map of every node (a million at a million reviews).
  const node = readNodeIdx(db, runId, key);
  if (node === undefined) throw new GraphprofError(`run ${runId}: no user "${id}"`, ExitCode.usage);
  const assignment = readAssignment(db, runId, node);
  const description = assignment ? readSegments(db, runId)[assignment.segment] : undefined;
  const identity = description ? readSegmentIdentity(db, runId) : undefined;
  const segment = description && identity ? { ...description, id: identity.ids[assignment!.segment] ?? assignment!.segment, name: identity.names[assignment!.segment] ?? '' } : null;
  const tags = userTags(db, runId, node);
  const reviewed = readUserReviews(db, runId, id);
  const users = readVectors(db, runId, 'fused', NodeType.user);
  const products = readVectors(db, runId, 'fused', NodeType.product);
  const row = rowOfKey(users, key);
  const own = new Set(reviewed.map((r) => `product:${r.productId}`));
  const scores = scoreRows(products.data, products.dim, users.data.subarray(row * users.dim, (row + 1) * users.dim));
  const titles = readProductTitles(db, runId);
  const recommendations = Array.from(topK(scores, k, (j) => own.has(products.keys[j])), (j) => {
    const pid = idOf(products.keys[j]);
    return { key: products.keys[j], id: pid, score: Math.round(scores[j] * 10000) / 10000, title: titles.get(pid) ?? '' };
  });
  return {
    userId: id,
    segment,
    tags: tags?.tags ?? null,
    sentiment: tags?.sentiment ?? null,
    distance: assignment ? Math.round(assignment.distance * 10000) / 10000 : null,
    reviewed,
    nearestUsers: neighbours(users, row, k, () => false),
    recommendations,
  };
}

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
import { scoreRows, topK } from '../fuse/vectors.js';
import { readNodeIdx, readNodeType } from '../store/graph.js';
import { readAssignment, readSegments } from '../store/segments.js';
import { readProductTitlesOf, readUserReviews, type ReviewedProduct } from '../store/shop.js';
import type { VectorKind } from '../store/runs.js';
import { readNodeKeysAt, readVectorMatrix, rowOfIndex, type VectorMatrix } from '../store/vectors.js';
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

/**
 * The k rows nearest to `row` by cosine. Only the answers' keys are read (point
 * lookups): at a million reviews the keys of every row cost more than the scores.
 */
function neighbours(db: DB, runId: number, v: VectorMatrix, row: number, k: number): Neighbour[] {
  const scores = scoreRows(v.data, v.dim, v.data.subarray(row * v.dim, (row + 1) * v.dim));
  const own = Math.sqrt(Math.max(scores[row], 0));
  const { data, dim } = v;
  for (let j = 0; j < scores.length; j++) {
    // norm() of row j, inlined: no subarray per row (100k rows at a million reviews); the same sum in the same order.
    let sq = 0;
    for (let i = j * dim, end = i + dim; i < end; i++) sq += data[i] * data[i];
    const n = own * Math.sqrt(sq);
    scores[j] = n > 0 ? scores[j] / n : 0;
  }
  const top = topK(scores, k, (j) => j === row);
  const keys = readNodeKeysAt(db, runId, Array.from(top, (j) => v.indices[j]));
  return Array.from(top, (j, i) => ({ key: keys[i], id: idOf(keys[i]), score: Math.round(scores[j] * 10000) / 10000 }));
}

function rowOfNode(v: VectorMatrix, node: number, key: string): number {
  const r = rowOfIndex(v, node);
  if (r < 0) throw new GraphprofError(`"${key}" has no ${v.kind} vector in this run`, ExitCode.usage);
  return r;
}

export function similar(db: DB, runId: number, id: string, k: number, kind: VectorKind): { key: string; kind: VectorKind; neighbours: Neighbour[] } {
  const key = resolveNodeKey(db, runId, id);
  const type = readNodeType(db, runId, key) as NodeTypeCode;
  const v = readVectorMatrix(db, runId, kind, type);
  return { key, kind, neighbours: neighbours(db, runId, v, rowOfNode(v, readNodeIdx(db, runId, key)!, key), k) };
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
  const users = readVectorMatrix(db, runId, 'fused', NodeType.user);
  const products = readVectorMatrix(db, runId, 'fused', NodeType.product);
  const row = rowOfNode(users, node, key);
  const reviewedRows = new Set<number>();
  for (const r of reviewed) {
    const idx = readNodeIdx(db, runId, `product:${r.productId}`);
    if (idx !== undefined) reviewedRows.add(rowOfIndex(products, idx));
  }
  const scores = scoreRows(products.data, products.dim, users.data.subarray(row * users.dim, (row + 1) * users.dim));
  const top = topK(scores, k, (j) => reviewedRows.has(j));
  const keys = readNodeKeysAt(db, runId, Array.from(top, (j) => products.indices[j]));
  const titles = readProductTitlesOf(db, runId, keys.map(idOf));
  const recommendations = Array.from(top, (j, i) => ({ key: keys[i], id: idOf(keys[i]), score: Math.round(scores[j] * 10000) / 10000, title: titles[i] }));
  return {
    userId: id,
    segment,
    tags: tags?.tags ?? null,
    sentiment: tags?.sentiment ?? null,
    distance: assignment ? Math.round(assignment.distance * 10000) / 10000 : null,
    reviewed,
    nearestUsers: neighbours(db, runId, users, row, k),
    recommendations,
  };
}

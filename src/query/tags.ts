/**
 * Answers about a run's tags: the tag table (share of users having each tag,
 * overall and per stable segment), one user's tags, and the explanation of
 * a user's tags (the reviews whose text matched the tag phrases, read back
 * from the run's text-vector cache, and the behaviour facts).
 */
import type { Database as DB } from 'better-sqlite3';
import { readNodeKeys } from '../store/graph.js';
import { readSegmentOfNodes } from '../store/segments.js';
import { readSegmentIdentity } from '../store/segment-ids.js';
import { readRunShop } from '../store/shop.js';
import { readTagModel, readTagScores, readUserTagScores, type StoredTagScores } from '../store/tags.js';
import { SqliteTextVectorCache } from '../store/text-cache.js';
import { explainUserTags, tagInputFromRecords, type TagExplanation, type TagKind, type TagModel, type TextSpace } from '../tags/index.js';
import { readablePart } from '../text/limits.js';
import { normaliseText, textHash } from '../text/normalize.js';
import { ExitCode, GraphprofError } from '../util/errors.js';

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;
const finite = (x: number, d = 3): number | null => (Number.isFinite(x) ? round(x, d) : null);

function tagsOf(db: DB, runId: number): { model: TagModel; scores: StoredTagScores } {
  const model = readTagModel(db, runId);
  const scores = model && readTagScores(db, runId, model);
  if (!model || !scores) throw new GraphprofError(`run ${runId} has no tags (it was made before graphprof fitted tags, or without users); train again`, ExitCode.usage);
  return { model, scores };
}

export interface TagShare {
  tag: string;
  kind: TagKind;
  description: string;
  threshold: number;
  /** Users having the tag, and their share of the run's users. */
  users: number;
  share: number;
  /** Per stable segment id: share of its members having the tag. */
  segments: { id: number; name: string; users: number; share: number }[];
}

export interface TagTable {
  runId: number;
  users: number;
  threshold: number;
  tags: TagShare[];
  warnings: string[];
}

/** Every tag of the run with its share of users, overall and per segment (`graphprof tags`, the report). */
export function tagTable(db: DB, runId: number): TagTable {
  const { model, scores } = tagsOf(db, runId);
  const T = scores.tags.length;
  const n = scores.nodes.length;
  const position = readSegmentOfNodes(db, runId, scores.nodes);
  const identity = readSegmentIdentity(db, runId);
  const k = identity.ids.length;
  const members = new Float64Array(k);
  for (const p of position) if (p >= 0) members[p]++;
  const tags = model.tags.map((tag, t): TagShare => {
    const bySegment = new Float64Array(k);
    let has = 0;
    for (let u = 0; u < n; u++) {
      if (!(scores.score[u * T + t]! >= scores.thresholds[t]!)) continue;
      has++;
      if (position[u]! >= 0) bySegment[position[u]!]++;
    }
    const segments = Array.from(identity.ids, (id, p) => ({ id, name: identity.names[p] ?? '', users: bySegment[p]!, share: members[p] ? round(bySegment[p]! / members[p]!) : 0 })).sort((a, b) => a.id - b.id);
    return { tag: tag.name, kind: tag.kind, description: tag.description, threshold: scores.thresholds[t]!, users: has, share: n ? round(has / n) : 0, segments };
  });
  return { runId, users: n, threshold: model.threshold, tags, warnings: model.warnings };
}

export interface UserTag {
  tag: string;
  kind: TagKind;
  score: number | null;
  percentile: number | null;
  has: boolean;
}

/** One user's tag scores, the tags the user has first (by score), or null for a run without tags. */
export function userTags(db: DB, runId: number, node: number): { tags: UserTag[]; sentiment: number | null } | null {
  const model = readTagModel(db, runId);
  const s = model && readUserTagScores(db, runId, node, model);
  if (!model || !s) return null;
  const tags = model.tags.map((t, i): UserTag => ({ tag: t.name, kind: t.kind, score: finite(s.score[i]!), percentile: finite(s.percentile[i]!, 1), has: s.score[i]! >= s.thresholds[i]! }));
  tags.sort((a, b) => Number(b.has) - Number(a.has) || (b.score ?? -Infinity) - (a.score ?? -Infinity));
  return { tags, sentiment: finite(s.sentiment[0]!) };
}

/**
 * Why a user has (or has not) each tag: the user's reviews closest to the tag's
 * phrases and the behaviour facts. The review vectors come from the run's text
 * cache (every review text of a run is cached under its encoder's model id).
 */
export function explainTags(db: DB, runId: number, userId: string, opts: { tags?: readonly string[]; top?: number } = {}): TagExplanation[] {
  const model = readTagModel(db, runId);
  if (!model) throw new GraphprofError(`run ${runId} has no tags (it was made before graphprof fitted tags); train again`, ExitCode.usage);
  const keys = readNodeKeys(db, runId);
  const userIds = keys.flatMap((k) => (k.startsWith('user:') ? [k.slice(5)] : []));
  const row = userIds.indexOf(userId);
  if (row < 0) throw new GraphprofError(`run ${runId}: no user "${userId}"`, ExitCode.usage);
  const shop = readRunShop(db, runId);
  const cache = new SqliteTextVectorCache(db);
  const t = shop.reviews;
  const mine: number[] = [];
  for (let i = 0; i < t.count; i++) if (t.userKeys[t.user[i]!] === userId && t.text[i]!.trim() !== '') mine.push(i);
  const hashes = mine.map((i) => textHash(normaliseText(readablePart(t.text[i]!))));
  // Each review's text in the first of the model's spaces whose cache holds it.
  const found = model.spaces.map((s) => cache.get(s.id, [...new Set(hashes)]));
  const spaceRows = model.spaces.map((): Float32Array[] => []);
  const textRow = new Int32Array(t.count).fill(-1);
  const spaceOf = new Uint8Array(t.count);
  mine.forEach((i, j) => {
    const s = found.findIndex((f) => f.has(hashes[j]!));
    if (s < 0) return;
    spaceOf[i] = s;
    textRow[i] = spaceRows[s]!.length;
    spaceRows[s]!.push(found[s]!.get(hashes[j]!)!);
  });
  const spaces: TextSpace[] = model.spaces.map((s, k) => {
    const v = new Float32Array(spaceRows[k]!.length * s.dim);
    spaceRows[k]!.forEach((x, r) => v.set(x, r * s.dim));
    return { id: s.id, dim: s.dim, vectors: v };
  });
  const input = tagInputFromRecords({
    userIds,
    reviews: shop.reviews,
    products: shop.products,
    textRow: (i) => textRow[i]!,
    ...(model.spaces.length > 1 ? { spaceOf: (i: number) => spaceOf[i]! } : {}),
    ratingScale: model.ratingScale,
  });
  return explainUserTags(model, input, spaces, row, { tags: opts.tags, top: opts.top, review: (k) => ({ id: t.reviewId[k]!, text: t.text[k]! }) });
}

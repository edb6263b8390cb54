/**
 * A run's tags: the fitted tag model (JSON, src/tags/model-io.ts) and every
 * user's scores, one row per user holding a float32 score and percentile per
 * tag of the model (a row per user and tag would be tags times more rows).
 * "Has tag" is not stored: it is score >= the tag's threshold in the model.
 */
import type { Database as DB } from 'better-sqlite3';
import { deserializeTagModel, serializeTagModel, type TagModel, type TagScores } from '../tags/index.js';
import { blobVector, vectorBlob } from './store.js';

/** Writes the model and the scores of the users at CSR indices `userNodes` (row i of the scores). */
export function writeRunTags(db: DB, runId: number, model: TagModel, scores: TagScores, userNodes: Uint32Array): void {
  db.prepare('INSERT INTO tag_models (run_id, model) VALUES (?, ?)').run(runId, serializeTagModel(model));
  const T = scores.tags.length;
  const stmt = db.prepare('INSERT INTO tag_scores (run_id, idx, score, percentile, sentiment) VALUES (?, ?, ?, ?, ?)');
  for (let u = 0; u < scores.users; u++) {
    const s = scores.sentiment[u]!;
    stmt.run(runId, userNodes[u], vectorBlob(scores.score.subarray(u * T, (u + 1) * T)), vectorBlob(scores.percentile.subarray(u * T, (u + 1) * T)), Number.isNaN(s) ? null : s);
  }
}

/** The run's tag model, or undefined for a run without tags (made before tags existed, or without users). */
export function readTagModel(db: DB, runId: number): TagModel | undefined {
  const text = db.prepare('SELECT model FROM tag_models WHERE run_id = ?').pluck().get(runId) as string | undefined;
  return text === undefined ? undefined : deserializeTagModel(text, `${db.name}: run ${runId}'s tag model`);
}

export interface StoredTagScores {
  tags: string[];
  /** Per tag, the score from which a user has it. */
  thresholds: Float32Array;
  /** CSR index of each row. */
  nodes: Uint32Array;
  /** [rows x tags]. */
  score: Float32Array;
  percentile: Float32Array;
  /** Per row; NaN without sentiment evidence. */
  sentiment: Float32Array;
}

/** Every stored user's tag scores (rows ordered by CSR index), or undefined for a run without tags. */
export function readTagScores(db: DB, runId: number, model = readTagModel(db, runId)): StoredTagScores | undefined {
  if (!model) return undefined;
  const rows = db.prepare('SELECT idx, score, percentile, sentiment FROM tag_scores WHERE run_id = ? ORDER BY idx').raw(true).all(runId) as [number, Buffer, Buffer, number | null][];
  return scoresOf(model, rows);
}

/** One user's tag scores (by CSR index), or undefined when the run has no tags for the user. */
export function readUserTagScores(db: DB, runId: number, node: number, model = readTagModel(db, runId)): StoredTagScores | undefined {
  if (!model) return undefined;
  const rows = db.prepare('SELECT idx, score, percentile, sentiment FROM tag_scores WHERE run_id = ? AND idx = ?').raw(true).all(runId, node) as [number, Buffer, Buffer, number | null][];
  return rows.length ? scoresOf(model, rows) : undefined;
}

function scoresOf(model: TagModel, rows: [number, Buffer, Buffer, number | null][]): StoredTagScores {
  const T = model.tags.length;
  const out: StoredTagScores = {
    tags: model.tags.map((t) => t.name),
    thresholds: Float32Array.from(model.tags, (t) => t.threshold ?? model.threshold),
    nodes: new Uint32Array(rows.length),
    score: new Float32Array(rows.length * T),
    percentile: new Float32Array(rows.length * T),
    sentiment: new Float32Array(rows.length),
  };
  rows.forEach(([idx, score, pct, sentiment], i) => {
    out.nodes[i] = idx;
    out.score.set(blobVector(score), i * T);
    out.percentile.set(blobVector(pct), i * T);
    out.sentiment[i] = sentiment ?? NaN;
  });
  return out;
}

/**
 * The names of the tags each node has, looked up by node key one at a time
 * (exports stream rows, so memory stays bounded by a batch): null for a node
 * without tag scores (products, users of a run without tags). Undefined for a
 * run without a tag model.
 */
export function tagNamesByKey(db: DB, runId: number): ((key: string) => string[] | null) | undefined {
  const model = readTagModel(db, runId);
  if (!model) return undefined;
  const names = model.tags.map((t) => t.name);
  const thresholds = model.tags.map((t) => t.threshold ?? model.threshold);
  const stmt = db.prepare('SELECT s.score FROM tag_scores s JOIN nodes n ON n.run_id = s.run_id AND n.idx = s.idx WHERE n.run_id = ? AND n.key = ?').pluck();
  return (key) => {
    const blob = stmt.get(runId, key) as Buffer | undefined;
    if (!blob) return null;
    const score = blobVector(blob);
    return names.filter((_, t) => score[t]! >= thresholds[t]!);
  };
}

/**
 * Everything the report shows, read from the store for one run: the run
 * record, its segment descriptions, the fused user vectors with each user's
 * segment, and the figures of a matching eval run if one was stored.
 */
import type { Database as DB } from 'better-sqlite3';
import { basename, normalize } from 'node:path';
import { NodeType } from '../graph/csr.js';
import { getRun, listRuns, type RunInfo } from '../store/runs.js';
import { readSegmentOfNodes, readSegments } from '../store/segments.js';
import { readVectors } from '../store/vectors.js';
import type { SegmentDescription } from '../segment/describe.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { readSegmentIdentity, type SegmentIdentity } from '../store/segment-ids.js';
import { readTagModel } from '../store/tags.js';
import { tagTable, type TagTable } from '../query/tags.js';

export interface ReportUsers {
  /** User ids without the "user:" prefix, in row order. */
  ids: string[];
  /** Segment of each row; -1 for a user the run did not assign. */
  segment: Int32Array;
  dim: number;
  /** Row-major [users x dim] fused vectors. */
  vectors: Float32Array;
}

export interface EvalFigures {
  runId: number;
  inputs: string[];
  k: number;
  users: number;
  recall: Record<string, number>;
  ndcg: Record<string, number>;
  ari: number | null;
}

export interface ReportData {
  run: RunInfo;
  segments: SegmentDescription[];
  /** Stable id and name of each segment position. */
  identity: SegmentIdentity;
  /** Share of users having each tag, per segment; null for a run without tags. */
  tags: TagTable | null;
  users: ReportUsers;
  evaluation: EvalFigures | null;
}

function readUsers(db: DB, run: RunInfo): ReportUsers {
  const v = readVectors(db, run.id, 'fused', NodeType.user);
  if (v.keys.length === 0) {
    throw new GraphprofError(`run ${run.id} (${run.kind}) has no fused user vectors; the report needs a train or refresh run of a shop`, ExitCode.usage);
  }
  return {
    ids: v.keys.map((k) => k.slice(k.indexOf(':') + 1)),
    segment: readSegmentOfNodes(db, run.id, v.indices),
    dim: v.dim,
    vectors: v.data,
  };
}

function asNumberRecord(value: unknown): Record<string, number> | null {
  if (value === null || typeof value !== 'object') return null;
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(value)) if (typeof x === 'number') out[k] = x;
  return Object.keys(out).length ? out : null;
}

function evalFigures(run: RunInfo): EvalFigures | null {
  const c = run.counts;
  const recall = asNumberRecord(c.recall);
  const ndcg = asNumberRecord(c.ndcg);
  if (!recall || !ndcg || typeof c.k !== 'number') return null;
  return {
    runId: run.id,
    inputs: run.inputs,
    k: c.k,
    users: typeof c.users === 'number' ? c.users : 0,
    recall,
    ndcg,
    ari: typeof c.ari === 'number' ? c.ari : null,
  };
}

/**
 * The newest complete eval run on the same data: the same input paths (as
 * given to train and eval), or failing that one that read the same reviews
 * file (an eval is often run without the users/products side files).
 * Figures from other data are never shown.
 */
function matchingEval(db: DB, run: RunInfo): EvalFigures | null {
  const names = (files: readonly string[]): string[] => files.map((f) => normalize(f)).sort();
  const own = names(run.inputs);
  const evals = listRuns(db).filter((r) => r.kind === 'eval').reverse();
  const same = evals.find((r) => names(r.inputs).join('\n') === own.join('\n'));
  const overlapping = evals.find((r) => names(r.inputs).some((f) => own.includes(f) && /review/i.test(basename(f))));
  const chosen = same ?? overlapping;
  return chosen ? evalFigures(chosen) : null;
}

export function loadReportData(db: DB, ref: number | 'latest'): ReportData {
  const run = getRun(db, ref, ['train', 'refresh']);
  if (run.kind !== 'train' && run.kind !== 'refresh') {
    throw new GraphprofError(`run ${run.id} is an ${run.kind} run; the report needs a train or refresh run (see "graphprof runs")`, ExitCode.usage);
  }
  const segments = readSegments(db, run.id);
  if (segments.length === 0) throw new GraphprofError(`run ${run.id} has no segments; train with --clusters (or the default "auto") first`, ExitCode.usage);
  const tags = readTagModel(db, run.id) ? tagTable(db, run.id) : null;
  return { run, segments, identity: readSegmentIdentity(db, run.id), tags, users: readUsers(db, run), evaluation: matchingEval(db, run) };
}

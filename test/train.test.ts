import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database as DB } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../src/eval/metrics.js';
import { runTrain, type TrainSummary } from '../src/jobs/train.js';
import { similar, userProfile } from '../src/query/profile.js';
import { readSegments } from '../src/store/segments.js';
import { getRun, listRuns, tableCounts } from '../src/store/runs.js';
import { openDatabase } from '../src/store/store.js';
import { AbortedError } from '../src/util/errors.js';
import { repoRoot } from './helpers/paths.js';

const sample = (f: string): string => join(repoRoot, 'data', 'sample', f);
const files = ['reviews.csv', 'products.csv', 'users.csv'].map(sample);

let dir: string;
let db: DB;
let summary: TrainSummary;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-train-'));
  db = openDatabase(join(dir, 'g.db'));
  summary = await runTrain(db, { files, threads: 2 });
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('graphprof train on the sample shop', () => {
  it('recovers the planted segments (ARI >= 0.9)', () => {
    const truth = new Map(
      readFileSync(sample('ground_truth.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',') as [string, string]),
    );
    const rows = db
      .prepare(`SELECT n.key, a.segment FROM assignments a JOIN nodes n ON n.run_id = a.run_id AND n.idx = a.idx WHERE a.run_id = ?`)
      .all(summary.runId) as { key: string; segment: number }[];
    expect(rows).toHaveLength(300);
    const labels = [...new Set(truth.values())];
    const ari = adjustedRandIndex(
      rows.map((r) => r.segment),
      rows.map((r) => labels.indexOf(truth.get(r.key.slice('user:'.length)) as string)),
    );
    expect(ari).toBeGreaterThanOrEqual(0.9);
  });

  it('stores a complete, queryable run with parameters, timings and readable segments', () => {
    const run = getRun(db, 'latest');
    expect(run.id).toBe(summary.runId);
    expect(run.kind).toBe('train');
    expect(run.params).toMatchObject({ dim: 128, walkLength: 80, walksPerNode: 10, window: 10, p: 1, q: 1, textWeight: 0.6 });
    for (const phase of ['read', 'graph', 'walks', 'skip-gram', 'text', 'fusion', 'segments', 'store']) expect(run.timings).toHaveProperty(phase);
    const segments = readSegments(db, run.id);
    expect(segments.length).toBeGreaterThanOrEqual(2);
    for (const s of segments) {
      expect(s.terms.length).toBeGreaterThan(3);
      expect(s.snippets).toHaveLength(3);
      expect(s.topProducts.length).toBeGreaterThan(0);
      expect(s.topCategories.length).toBeGreaterThan(0);
    }
    expect(segments.reduce((n, s) => n + s.size, 0)).toBe(300);
    const counts = tableCounts(db);
    expect(db.prepare('SELECT sum(rows) FROM vector_blocks').pluck().get()).toBe((300 + 120) * 3);
    expect(counts.text_cache).toBeGreaterThan(2000);
    const near = similar(db, run.id, 'P0001', 5, 'graph');
    expect(near.key).toBe('product:P0001');
    expect(near.neighbours).toHaveLength(5);
  });

  it('never recommends a product the user already reviewed', () => {
    const users = db.prepare(`SELECT DISTINCT user_id FROM reviews WHERE run_id = ?`).pluck().all(summary.runId) as string[];
    for (const u of users) {
      const p = userProfile(db, summary.runId, u, 10);
      const own = new Set(p.reviewed.map((r) => r.productId));
      expect(p.recommendations).toHaveLength(10);
      for (const r of p.recommendations) expect(own.has(r.id)).toBe(false);
    }
  });

  it('a run that fails while storing leaves no partial run, and encodes no text the second time', async () => {
    const before = tableCounts(db);
    await expect(
      runTrain(db, { files, threads: 2, walksPerNode: 2, onStoreStage: (s) => { if (s === 'vectors') throw new Error('disk full'); } }),
    ).rejects.toThrow('disk full');
    expect(tableCounts(db)).toEqual(before);
    expect(listRuns(db).map((r) => r.id)).toEqual([summary.runId]);
    const again = await runTrain(db, { files, threads: 2, walksPerNode: 2, clusters: 5 });
    expect(again.text.encoded).toBe(0);
    expect(again.text.cacheHits).toBe(again.text.texts);
    expect(listRuns(db)).toHaveLength(2);
  });

  it('a run cancelled mid-way stores nothing', async () => {
    const before = tableCounts(db);
    const abort = new AbortController();
    const run = runTrain(db, { files, threads: 2, signal: abort.signal, progress: (phase) => () => { if (phase === 'skip-gram') abort.abort(); } });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    expect(tableCounts(db)).toEqual(before);
  });
});

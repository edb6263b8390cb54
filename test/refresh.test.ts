import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database as DB } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../src/ingest/index.js';
import type { ShopData } from '../src/ingest/records.js';
import { mergeShop, runRefresh, type RefreshSummary } from '../src/jobs/refresh.js';
import { reviewAt, reviewRecords, reviewTableOf } from '../src/ingest/table.js';
import { rowsByTime, withRows } from './helpers/review-rows.js';
import { runTrain, type TrainSummary } from '../src/jobs/train.js';
import { getRun, listRuns, readSgnsState } from '../src/store/runs.js';
import { readRunShop } from '../src/store/shop.js';
import { openDatabase } from '../src/store/store.js';
import { repoRoot } from './helpers/paths.js';

const files = ['reviews.csv', 'products.csv'].map((f) => join(repoRoot, 'data', 'sample', f));
let dir: string;
let db: DB;
let all: ShopData;
let old: ShopData;
let fresh: ShopData;
let trained: TrainSummary;
let refreshed: RefreshSummary;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-refresh-'));
  db = openDatabase(join(dir, 'g.db'));
  all = (await readInputs(files)) as ShopData;
  const byTime = rowsByTime(all);
  const cut = Math.floor(byTime.length * 0.95);
  old = withRows(all, byTime.slice(0, cut));
  fresh = withRows(all, byTime.slice(cut));
  const opts = { threads: 2, walksPerNode: 4, clusters: 5 };
  trained = await runTrain(db, { files, data: old, ...opts });
  refreshed = await runRefresh(db, { files: ['new.csv'], data: fresh, threads: 2 });
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('graphprof refresh', () => {
  it('writes a new complete run whose parent is the trained run, holding every review', () => {
    expect(refreshed.parentRunId).toBe(trained.runId);
    expect(refreshed.added).toBe(fresh.reviews.count);
    const runs = listRuns(db);
    expect(runs.map((r) => [r.kind, r.parentRunId])).toEqual([['train', null], ['refresh', trained.runId]]);
    expect(readRunShop(db, refreshed.runId).reviews.count).toBe(all.reviews.count);
    // The earlier run is still complete and readable.
    expect(getRun(db, trained.runId).status).toBe('complete');
    expect(readRunShop(db, trained.runId).reviews.count).toBe(old.reviews.count);
  });

  it('walks only from the new nodes and their neighbourhood, with the base run\'s parameters', () => {
    const run = getRun(db, refreshed.runId);
    const walk = run.counts.walk as { starts: number; newNodes: number };
    const nodes = Object.values(run.counts.nodes as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(walk.newNodes).toBeGreaterThanOrEqual(fresh.reviews.count); // at least one review node each
    expect(walk.starts).toBeGreaterThan(walk.newNodes);
    expect(walk.starts).toBeLessThan(nodes / 2);
    expect(run.params).toMatchObject({ walksPerNode: 4, refit: false, radius: 1 });
    expect(readSgnsState(db, refreshed.runId)?.input.length).toBe(nodes * 128);
  });

  it('encodes only the texts not already cached', () => {
    const oldTexts = new Set(old.reviews.text.map((t) => t.replace(/\s+/g, ' ').trim()));
    const newTexts = new Set(fresh.reviews.text.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '' && !oldTexts.has(t)));
    expect(refreshed.text.encoded).toBe(newTexts.size);
  });

  it('keeps the segments and assigns every user to one', () => {
    expect(refreshed.segments).toHaveLength(5);
    expect(refreshed.refit).toBe(false);
    const assigned = db.prepare('SELECT count(*) FROM assignments WHERE run_id = ?').pluck().get(refreshed.runId);
    expect(assigned).toBe(refreshed.users);
    const before = db.prepare('SELECT centroid FROM segments WHERE run_id = ? ORDER BY segment').pluck().all(trained.runId);
    const after = db.prepare('SELECT centroid FROM segments WHERE run_id = ? ORDER BY segment').pluck().all(refreshed.runId);
    expect(after).toEqual(before);
  });

  it('refuses a refresh that adds nothing, and stores nothing', async () => {
    await expect(runRefresh(db, { files: ['same.csv'], data: fresh, threads: 2 })).rejects.toThrow(/already in run 2; nothing to do/);
    expect(listRuns(db)).toHaveLength(2);
  });

  it('merges by review id and by (user, product, time, text)', () => {
    const r = mergeShop(old, { ...all, reviews: reviewTableOf([...reviewRecords(fresh.reviews), { ...reviewAt(old.reviews, 0), reviewId: 'other-id' }]) });
    expect(r.added).toBe(fresh.reviews.count);
    expect(r.alreadyStored).toBe(1);
  });
});

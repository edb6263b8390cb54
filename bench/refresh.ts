/**
 * Refresh bench on ../shared/data/amazon-musical-instruments, with the eval
 * protocol: each user's last review is held out; of the remaining reviews the
 * newest 5% (by time) arrive "tonight". A model trained on the older 95% is
 * refreshed with them and compared with full retrains on all of them:
 *  - references, same run: a full train on a fresh database (every text encoded)
 *    and a full retrain on the refreshed database (every text cached, the
 *    fairest rival of a refresh);
 *  - Recall@10 / NDCG@10 of the refreshed and the fully retrained vectors on the
 *    held-out reviews. Targets: refresh >= 5x faster, Recall@10 within 5% (relative).
 *
 *   npm run bench:refresh   (after `npx tsc -p tsconfig.json`)
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readInputs } from '../src/ingest/index.js';
import type { ShopData } from '../src/ingest/records.js';
import { takeRows, timestampAt } from '../src/ingest/table.js';
import { leaveLastOut } from '../src/eval/split.js';
import { rankableFromRun, rankingContext, scoreStoredRun } from '../src/eval/scoring.js';
import { runRefresh } from '../src/jobs/refresh.js';
import { runTrain } from '../src/jobs/train.js';
import { openDatabase } from '../src/store/store.js';
import { load, peakRssMB, sharedData, tempDir, timed } from './common.js';

const threads = Number(process.env.BENCH_THREADS ?? 2);
const file = sharedData('amazon-musical-instruments', 'Musical_instruments_reviews.csv');
const dir = tempDir('graphprof-bench-refresh-');
const loadStart = load();
const all = (await readInputs([file])) as ShopData;
const split = leaveLastOut(all.reviews);
const time = (r: number): number => timestampAt(all.reviews, r) ?? 0;
const byTime = Uint32Array.from(Array.from(split.train).sort((a, b) => time(a) - time(b)));
const cut = Math.floor(byTime.length * 0.95);
const older: ShopData = { ...all, reviews: takeRows(all.reviews, byTime.slice(0, cut)) };
const newer: ShopData = { ...all, reviews: takeRows(all.reviews, byTime.slice(cut)) };
const everything: ShopData = { ...all, reviews: takeRows(all.reviews, split.train) };

const dbA = openDatabase(join(dir, 'refresh.db'));
const dbB = openDatabase(join(dir, 'full.db'));
try {
  const base = await timed(() => runTrain(dbA, { files: [file], data: older, threads }));
  const refresh = await timed(() => runRefresh(dbA, { files: [file], data: newer, threads }));
  const fullCold = await timed(() => runTrain(dbB, { files: [file], data: everything, threads }));
  const fullWarm = await timed(() => runTrain(dbA, { files: [file], data: everything, threads }));

  const score = (db: typeof dbA, runId: number) => {
    const v = rankableFromRun(db, runId);
    return scoreStoredRun(v, rankingContext(v.userIds, v.productIds, all.reviews, split.train, split.test), 10);
  };
  const refreshed = score(dbA, refresh.value.runId);
  const full = score(dbB, fullCold.value.runId);
  const speedupWarm = Math.round((fullWarm.sec / refresh.sec) * 100) / 100;
  const speedupCold = Math.round((fullCold.sec / refresh.sec) * 100) / 100;
  const recallRatio = Math.round((refreshed.recall.fused / full.recall.fused) * 1000) / 1000;

  console.log(`refresh bench on ${file}: ${older.reviews.count} older reviews + ${newer.reviews.count} new (5%), ${split.test.length} held out, ${threads} threads`);
  console.log(`  train on the older 95%:                ${base.sec.toFixed(1)} s`);
  console.log(`  refresh with the new 5%:               ${refresh.sec.toFixed(1)} s  (phases: ${JSON.stringify(refresh.value.timings)})`);
  console.log(`  reference: full train, fresh database: ${fullCold.sec.toFixed(1)} s  -> refresh is ${speedupCold}x faster`);
  console.log(`  reference: full retrain, texts cached: ${fullWarm.sec.toFixed(1)} s  -> refresh is ${speedupWarm}x faster`);
  console.log(`  Recall@10 fused: refresh ${refreshed.recall.fused}, full retrain ${full.recall.fused} (ratio ${recallRatio})`);
  console.log(`  Recall@10 graph: refresh ${refreshed.recall.graph}, full retrain ${full.recall.graph}; popularity ${full.recall.popularity}`);
  console.log(
    JSON.stringify({
      dataset: 'amazon-musical-instruments',
      threads,
      newReviews: newer.reviews.count,
      refreshSec: refresh.sec,
      fullTrainColdSec: fullCold.sec,
      fullTrainWarmCacheSec: fullWarm.sec,
      speedupVsCold: speedupCold,
      speedupVsWarmCache: speedupWarm,
      recallAt10: { refresh: refreshed.recall, full: full.recall },
      ndcgAt10: { refresh: refreshed.ndcg, full: full.ndcg },
      fusedRecallRatio: recallRatio,
      refreshPhases: refresh.value.timings,
      peakRssMB: peakRssMB(),
      loadAvg1mStart: loadStart,
      loadAvg1mEnd: load(),
    }),
  );
} finally {
  dbA.close();
  dbB.close();
  rmSync(dir, { recursive: true, force: true });
}

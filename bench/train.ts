/**
 * End-to-end bench of `graphprof train` on ../shared/data/amazon-musical-instruments:
 * wall time per phase and peak RSS of a cold run (fresh database, so every review
 * text is encoded). Named reference, same run: the same train again on the same
 * database, where every text vector comes from the cache — the difference is the
 * cost of the text model.
 *
 *   npm run bench:train   (after `npx tsc -p tsconfig.json`)
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runTrain } from '../src/jobs/train.js';
import { openDatabase } from '../src/store/store.js';
import { load, peakRssMB, sharedData, tempDir, timed } from './common.js';

const threads = Number(process.env.BENCH_THREADS ?? 2);
const file = sharedData('amazon-musical-instruments', 'Musical_instruments_reviews.csv');
const dir = tempDir('graphprof-bench-train-');
const db = openDatabase(join(dir, 'bench.db'));
const loadStart = load();
try {
  const cold = await timed(() => runTrain(db, { files: [file], threads }));
  const coldRss = peakRssMB();
  const warm = await timed(() => runTrain(db, { files: [file], threads }));
  const phases = cold.value.timings;
  console.log(`graphprof train on ${file}`);
  console.log(`  ${cold.value.reviews} reviews, ${cold.value.users} users, ${cold.value.products} products, ${cold.value.segments.length} segments, ${threads} threads`);
  console.log(`  cold (fresh database): ${cold.sec.toFixed(1)} s wall, peak RSS ${coldRss} MB`);
  for (const [phase, s] of Object.entries(phases)) console.log(`    ${phase.padEnd(10)} ${s.toFixed(3)} s`);
  console.log(`  reference, same train with every text vector cached: ${warm.sec.toFixed(1)} s wall (text phase ${warm.value.timings.text?.toFixed(3)} s)`);
  console.log(`  text model share of the cold run: ${Math.round(((cold.sec - warm.sec) / cold.sec) * 100)}%`);
  console.log(
    JSON.stringify({
      dataset: 'amazon-musical-instruments',
      threads,
      wallSec: cold.sec,
      peakRssMB: coldRss,
      phases,
      warmCacheWallSec: warm.sec,
      warmCachePhases: warm.value.timings,
      textsEncoded: cold.value.text.encoded,
      loadAvg1mStart: loadStart,
      loadAvg1mEnd: load(),
    }),
  );
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

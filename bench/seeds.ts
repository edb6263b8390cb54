/**
 * Same seed, same segments? (issue 12, item 9). For each Amazon set, the
 * profile pipeline of `graphprof train` (default settings, fixed seed) runs
 * twice with 2 threads and twice with 1 thread on the same data; it prints the
 * adjusted Rand index between the two runs' user segments, whether the fused
 * vectors are bit-identical, and the largest difference between them. The
 * text vectors are encoded once and shared through an in-memory cache, so the
 * runs differ only where the pipeline itself is not deterministic.
 * Reference in the same run: the 1-thread pair, which must agree exactly.
 *
 *   npm run bench:seeds   (after `npx tsc -p tsconfig.json` and the native build)
 */
import { computeProfiles, type Profiles } from '../src/jobs/profiles.js';
import { readShop } from '../src/jobs/train.js';
import { segmentAri } from '../src/eval/truth.js';
import { MemoryTextVectorCache } from '../src/text/cache.js';
import { load, sharedData, timed } from './common.js';

const sets = [
  ['musicalInstruments', sharedData('amazon-musical-instruments', 'Musical_instruments_reviews.csv')],
  ['allBeauty', sharedData('amazon-all-beauty', 'All_Beauty_5.json.gz')],
] as const;

interface PairFigures {
  ari: number;
  segments: [number, number];
  fusedIdentical: boolean;
  maxFusedDifference: number;
  seconds: [number, number];
}

function compare(a: Profiles, b: Profiles): Omit<PairFigures, 'seconds'> {
  if (!a.clustering || !b.clustering) throw new Error('bench:seeds: a run found no segments');
  const truth = new Map(b.users.ids.map((id, i) => [id, String((b.clustering as NonNullable<Profiles['clustering']>).assignment[i])] as [string, string]));
  let maxDiff = 0;
  const fa = a.users.fused;
  const fb = b.users.fused;
  for (let i = 0; i < Math.min(fa.length, fb.length); i++) maxDiff = Math.max(maxDiff, Math.abs(fa[i] - fb[i]));
  return {
    ari: Math.round(segmentAri(a.users.ids, a.clustering.assignment, truth) * 10000) / 10000,
    segments: [a.clustering.k, b.clustering.k],
    fusedIdentical: fa.length === fb.length && maxDiff === 0,
    maxFusedDifference: maxDiff,
  };
}

const figures: Record<string, Record<string, PairFigures>> = {};
const loadStart = load();
for (const [name, file] of sets) {
  const data = await readShop([file], {});
  const textCache = new MemoryTextVectorCache();
  figures[name] = {};
  for (const threads of [2, 1]) {
    const first = await timed(() => computeProfiles(data, { threads, textCache }));
    const second = await timed(() => computeProfiles(data, { threads, textCache }));
    const pair = { ...compare(first.value, second.value), seconds: [first.sec, second.sec] as [number, number] };
    figures[name][`threads${threads}`] = pair;
    console.log(
      `${name}, ${threads} thread${threads > 1 ? 's' : ''}: ARI ${pair.ari.toFixed(4)} between two runs (k ${pair.segments.join(' / ')}), ` +
        `fused vectors ${pair.fusedIdentical ? 'bit-identical' : `differ by up to ${pair.maxFusedDifference.toExponential(2)}`} (${pair.seconds.map((s) => s.toFixed(1)).join(' s, ')} s)`,
    );
  }
}
console.log(JSON.stringify({ ...figures, loadAvg1mStart: loadStart, loadAvg1mEnd: load() }));

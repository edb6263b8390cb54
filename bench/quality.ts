/**
 * Quality bench: does graphprof rank at least as well as the classical
 * recommenders a data scientist would try first?
 *
 *   (a) `graphprof eval` (leave-last-out, default settings) on both Amazon sets
 *       and on a seeded sparse shop (10.3k reviews, 5.4k products, 1,440
 *       connected pieces, like the sparse third-party export of issue 11) and
 *       on the committed sample shop (data/sample, 300 users, 5 planted segments):
 *       every method and baseline in one run on one split — popularity,
 *       ItemKNN, EASE^R, RP3β (tuned on the validation split inside the
 *       training reviews), graphprof's parts and its fused profiles — and
 *       whether fused >= the best baseline and >= its best part.
 *   (b) Cora (skip-gram on node2vec walks): link-prediction ROC-AUC for the
 *       current defaults and for the previous defaults (1 epoch); node
 *       classification is left to src/eval/node-classification.ts (see below).
 *
 * Seconds per measurement; the last line is one JSON object. BENCH_DB=FILE keeps
 * the text vectors between runs (the first Musical Instruments eval encodes
 * ~10k reviews, ~100 s); BENCH_THREADS (default 2); BENCH_SETS=a,b runs only
 * some of musicalInstruments, allBeauty, sparse, sample, cora (to keep each hold of
 * the bench lock short).
 *
 *   npm run bench:quality   (after `npx tsc -p tsconfig.json` and the native build)
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { methodNote } from '../src/cli/eval.js';
import { params } from '../src/params/index.js';
import { nodeClassification, readContentLabels } from '../src/eval/node-classification.js';
import { runEval, type EvalResult } from '../src/jobs/evaluate.js';
import type { ShopData } from '../src/ingest/records.js';
import { openDatabase } from '../src/store/store.js';
import { trainSkipGram } from '../src/sgns/index.js';
import { generateWalks } from '../src/walk/index.js';
import { coraSplit, fixtureCsr, linkAuc } from '../test/sgns-fixtures.js';
import { connectedPieces, sparseShop } from '../test/helpers/sparse-shop.js';
import { firstAppearance } from '../src/ingest/table.js';
import { load, peakRssMB, repoRoot, sharedData, tempDir, timed } from './common.js';

const threads = Number(process.env.BENCH_THREADS ?? 2);
const dir = tempDir('graphprof-bench-quality-');
const db = openDatabase(process.env.BENCH_DB ?? join(dir, 'quality.db'));
const loadStart = load();
const baselines = ['popularity', 'itemknn', 'ease', 'rp3beta'] as const;
const parts = ['graph', 'text', 'popularity'] as const;

interface DataSet {
  key: string;
  name: string;
  files: string[];
  data?: ShopData;
}

const sparse = sparseShop({ users: 6000, products: 8000, seed: 7, zipf: 0.4, minReviews: 1, extraReviews: 0.7, topics: 24 });
const sets: DataSet[] = [
  { key: 'musicalInstruments', name: 'Musical Instruments (2014, 10,261 reviews)', files: [sharedData('amazon-musical-instruments', 'Musical_instruments_reviews.csv')] },
  { key: 'allBeauty', name: 'All Beauty (2018 5-core)', files: [sharedData('amazon-all-beauty', 'All_Beauty_5.json.gz')] },
  {
    key: 'sparse',
    name: `sparse shop (seeded: ${sparse.reviews.count} reviews, ${firstAppearance(sparse.reviews.product, sparse.reviews.productKeys.length).length} products, ${connectedPieces(sparse.reviews)} connected pieces)`,
    files: sparse.files,
    data: sparse,
  },
  { key: 'sample', name: 'sample shop (data/sample, 300 users in 5 planted segments)', files: [join(repoRoot, 'data', 'sample')] },
];

const d4 = (v: number | undefined): string => (v === undefined ? '     -' : v.toFixed(4));

/** Which of the issue's claims hold on one data set. */
function verdict(r: EvalResult): { beatsBaselines: boolean; neverWorseThanParts: boolean; bestBaseline: string } {
  const present = baselines.filter((b) => r.recall[b] !== undefined);
  const best = present.reduce((a, b) => (r.recall[b] + r.ndcg[b] > r.recall[a] + r.ndcg[a] ? b : a));
  const atLeast = (m: string): boolean => r.recall.fused >= r.recall[m] && r.ndcg.fused >= r.ndcg[m];
  return {
    beatsBaselines: present.every(atLeast),
    neverWorseThanParts: parts.filter((p) => r.recall[p] !== undefined).every(atLeast),
    bestBaseline: best,
  };
}

const only = process.env.BENCH_SETS?.split(',').map((x) => x.trim());
const wanted = (key: string): boolean => !only || only.includes(key);

const figures: Record<string, unknown> = {};
try {
  for (const set of sets.filter((s) => wanted(s.key))) {
    const run = await timed(() => runEval(db, { files: set.files, data: set.data, threads }));
    const r = run.value;
    const v = verdict(r);
    console.log(`\n${set.name}: ${r.users} held-out users, ${r.heldOutProductsUnseen} of their products unseen in training; ${run.sec.toFixed(1)} s`);
    console.log(`  ${'method'.padEnd(11)} recall@10  ndcg@10   what`);
    for (const m of r.methods) console.log(`  ${m.padEnd(11)} ${d4(r.recall[m])}     ${d4(r.ndcg[m])}    ${methodNote(r, m)}`);
    for (const [name, b] of Object.entries(r.baselines)) if (b.skipped) console.log(`  ${name}: ${b.skipped}`);
    for (const n of r.fusion?.notes ?? []) console.log(`  note: ${n}`);
    console.log(`  fused >= every baseline in Recall@10 and NDCG@10: ${v.beatsBaselines ? 'yes' : `NO (best baseline: ${v.bestBaseline})`}; fused >= graph, text and popularity: ${v.neverWorseThanParts ? 'yes' : 'NO'}`);
    figures[set.key] = {
      users: r.users,
      seconds: run.sec,
      recallAt10: r.recall,
      ndcgAt10: r.ndcg,
      fusionWeights: r.fusion?.weights ?? null,
      walk: r.fusion?.walk ?? null,
      baselineParams: Object.fromEntries(Object.entries(r.baselines).map(([k, b]) => [k, b.params ?? b.skipped ?? null])),
      validationUsers: r.fusion?.validationUsers ?? null,
      ...v,
      timings: r.timings,
    };
  }

  if (wanted('cora')) figures.cora = await coraFigures();
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(JSON.stringify({ threads, ...figures, peakRssMB: peakRssMB(), loadAvg1mStart: loadStart, loadAvg1mEnd: load() }));

/** Cora link prediction: skip-gram on node2vec walks of the training graph (10% of edges held out). */
async function coraFigures(): Promise<Record<string, unknown>> {
  const previous = { dim: 128, window: 10, negative: 5, epochs: 1, walkLength: 80, walksPerNode: 10, p: 1, q: 1 };
  const current = { dim: params.dim.default, window: params.window.default, negative: params.negative.default, epochs: params.epochs.default, walkLength: params.walkLength.default, walksPerNode: params.walksPerNode.default, p: params.p.default, q: params.q.default };
  const split = coraSplit(0.1, 7);
  const cora: Record<string, unknown> = {};
  console.log('\nCora link prediction (10% of edges held out, seeded; cosine of the two nodes\' vectors):');
  for (const [name, s] of [['defaults', current], ['previousDefaults', previous]] as const) {
    const run = await timed(async () => {
      const corpus = await generateWalks(fixtureCsr(split.train, split.ids), { walkLength: s.walkLength, walksPerNode: s.walksPerNode, p: s.p, q: s.q, seed: 42, threads });
      const sg = await trainSkipGram(corpus, { dim: s.dim, window: s.window, negative: s.negative, epochs: s.epochs, seed: 42, threads });
      return linkAuc(sg.vectors, sg.dim, split);
    });
    console.log(`  ${name.padEnd(17)} AUC ${run.value.toFixed(4)}  (${run.sec.toFixed(1)} s; ${JSON.stringify(s)})`);
    cora[name] = { linkPredictionAuc: Math.round(run.value * 10000) / 10000, seconds: run.sec, settings: s };
  }
  // Node classification on the same vectors: one-vs-rest logistic regression on 50% of the labelled nodes, Macro/Micro-F1 over 5 seeded splits.
  const labels = readContentLabels(sharedData('cora', 'cora.content'), split.ids);
  for (const [name, s] of [['defaults', current], ['previousDefaults', previous]] as const) {
    const corpus = await generateWalks(fixtureCsr(split.train, split.ids), { walkLength: s.walkLength, walksPerNode: s.walksPerNode, p: s.p, q: s.q, seed: 42, threads });
    const sg = await trainSkipGram(corpus, { dim: s.dim, window: s.window, negative: s.negative, epochs: s.epochs, seed: 42, threads });
    const nc = nodeClassification(sg.vectors, sg.dim, labels, { trainFraction: 0.5, splits: 5, seed: 1 });
    console.log(`  ${name.padEnd(17)} node classification Macro-F1 ${nc.macroF1.toFixed(4)}, Micro-F1 ${nc.microF1.toFixed(4)}`);
    (cora[name] as Record<string, unknown>).nodeClassification = { macroF1: Math.round(nc.macroF1 * 10000) / 10000, microF1: Math.round(nc.microF1 * 10000) / 10000 };
  }
  return cora;
}

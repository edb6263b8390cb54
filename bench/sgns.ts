/**
 * Skip-gram benchmark: graphprof's native SGNS trainer against gensim's
 * Word2Vec (the named reference, Debian python3-gensim, run as a child process
 * on the SAME walk corpus) with equal settings: sg=1, dim 128, window 10,
 * negative 5, sample 1e-3, 1 epoch, alpha 0.025 -> 0.0001, workers = threads.
 * Everything in one run:
 *
 *   (a) Cora, 10% of its unique undirected edges held out (seeded, no node
 *       loses its last edge), node2vec walks (p = q = 1, length 80, 10 per
 *       node) on the training graph only; 2 threads, then 1 thread. Quality of
 *       both models: link-prediction ROC-AUC on the held-out edges vs as many
 *       seeded non-edges (cosine of the two vectors), and node classification
 *       (src/eval/node-classification.ts: one-vs-rest logistic regression,
 *       50% of the labelled nodes for training, Macro/Micro-F1 over 5 seeded
 *       splits). Quality per second = the figure / training seconds. Once,
 *       the node classification is recomputed by scikit-learn on the same
 *       vectors and splits (bench/sklearn_nc.py).
 *   (b) The seeded Chung-Lu power-law graph of bench/walk.ts (100k nodes, 1M
 *       undirected edges), one walk per node: 8M tokens; 2 threads.
 *   (c) A Chung-Lu graph of 1,000,000 nodes and 5M edges, walks from a seeded
 *       150,000 of its nodes (12M tokens); 2 threads. Per-thread words/s here
 *       against Cora's is the large-vocabulary figure (target: within 2x).
 *   (d) The pipeline as train / embed-graph run it: walks streamed into
 *       skip-gram (trainOnWalks) on graph (b): end-to-end words/s (counting
 *       pass and re-walks included) and the JS main thread's CPU time as a
 *       share of the wall time (target < 1%).
 *
 * Words/s, for both: corpus tokens x epochs / wall seconds of training,
 * tokens counted before sub-sampling. Ours is timed around trainSkipGram
 * (counting, noise table, initialisation, training); gensim around
 * Word2Vec.train (its build_vocab pass is reported apart), fed through
 * corpus_file, its fastest mode.
 *
 *   npm run bench:sgns     (after `npm run build` and the native build)
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classificationSplits, nodeClassification, readContentLabels, type NodeLabels } from '../src/eval/node-classification.js';
import { trainOnWalks, trainSkipGram } from '../src/sgns/index.js';
import { generateWalks, type WalkCorpus } from '../src/walk/index.js';
import { coraSplit, fixtureCsr, linkAuc, type CoraSplit } from '../test/sgns-fixtures.js';
import { load, peakRssMB } from './common.js';
import { chungLu } from './graphs.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const python = '/usr/bin/python3';
const SETTINGS = { dim: 128, window: 10, negative: 5, sample: 1e-3, epochs: 1, seed: 42, alpha: 0.025, minAlpha: 0.0001 } as const;
const WALK = { walkLength: 80, walksPerNode: 10, p: 1, q: 1, seed: 42 } as const;
const coraContent = resolve(repo, '../shared/data/cora/cora.content');
const tmp = mkdtempSync(join(tmpdir(), 'graphprof-bench-sgns-'));

interface Quality {
  auc: number;
  macroF1: number;
  microF1: number;
}

interface RunFigures {
  wordsPerSec: number;
  seconds: number;
  words: number;
  quality?: Quality;
}

interface GensimFigures extends RunFigures {
  vocabSeconds: number;
}

const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

function pythonStatus(module: string, pkg: string): string | null {
  if (!existsSync(python)) return `${python} not found`;
  const r = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8' });
  return r.status === 0 ? null : `${pkg} is not installed`;
}

/** One walk per line, node indices separated by spaces: what gensim's corpus_file reads. */
async function writeCorpusFile(corpus: WalkCorpus, file: string): Promise<void> {
  const out = createWriteStream(file);
  let offset = 0;
  let batch = '';
  for (const len of corpus.lengths) {
    batch += corpus.tokens.subarray(offset, offset + len).join(' ') + '\n';
    offset += len;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'close');
}

function quality(vectors: Float32Array, split: CoraSplit, labels: NodeLabels): Quality {
  const nc = nodeClassification(vectors, SETTINGS.dim, labels, { trainFraction: 0.5, splits: 5, seed: 1 });
  return { auc: linkAuc(vectors, SETTINGS.dim, split), macroF1: nc.macroF1, microF1: nc.microF1 };
}

async function runOurs(corpus: WalkCorpus, threads: number): Promise<RunFigures & { vectors: Float32Array }> {
  const start = process.hrtime.bigint();
  const r = await trainSkipGram(corpus, { ...SETTINGS, threads });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const words = corpus.tokens.length * SETTINGS.epochs;
  return { wordsPerSec: words / seconds, seconds, words, vectors: r.vectors };
}

function runGensim(corpusFile: string, nodeCount: number, threads: number): GensimFigures & { vectors: Float32Array } {
  const vectorsFile = join(tmp, 'gensim.f32');
  const args = [
    resolve(repo, 'bench/gensim_sgns.py'), corpusFile, String(nodeCount), vectorsFile,
    '--dim', String(SETTINGS.dim), '--window', String(SETTINGS.window), '--negative', String(SETTINGS.negative),
    '--sample', String(SETTINGS.sample), '--epochs', String(SETTINGS.epochs), '--workers', String(threads),
    '--seed', String(SETTINGS.seed),
  ];
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench:sgns: gensim failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stdout.trim().split('\n');
  const g = JSON.parse(lines[lines.length - 1]!) as { words: number; trainSeconds: number; vocabSeconds: number };
  const raw = readFileSync(vectorsFile);
  const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  return { wordsPerSec: g.words / g.trainSeconds, seconds: g.trainSeconds, vocabSeconds: g.vocabSeconds, words: g.words, vectors };
}

/** The sklearn figures for the same vectors and splits as nodeClassification(..., seed 1). */
function sklearnCheck(vectors: Float32Array, labels: NodeLabels): { macroF1: number; microF1: number } {
  const vf = join(tmp, 'nc.f32');
  const lf = join(tmp, 'nc.i32');
  writeFileSync(vf, Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
  writeFileSync(lf, Buffer.from(labels.labels.buffer, labels.labels.byteOffset, labels.labels.byteLength));
  const trains = classificationSplits(labels, 0.5, 5, 1).map(({ train }, i) => {
    const f = join(tmp, `nc-train-${i}.u32`);
    writeFileSync(f, Buffer.from(train.buffer, train.byteOffset, train.byteLength));
    return f;
  });
  const r = spawnSync(python, [resolve(repo, 'bench/sklearn_nc.py'), vf, String(SETTINGS.dim), lf, ...trains], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench:sgns: sklearn failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as { macroF1: number; microF1: number };
}

/** CPU seconds of the calling (main JS) thread so far, from /proc/thread-self/stat. */
function mainThreadCpuSeconds(): number {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5) (utime, stime) are 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function line(label: string, ours: RunFigures, ref: RunFigures | null): void {
  const q = (x: RunFigures): string =>
    x.quality ? `, AUC ${x.quality.auc.toFixed(4)}, Macro-F1 ${x.quality.macroF1.toFixed(4)}, Micro-F1 ${x.quality.microF1.toFixed(4)}` : '';
  const o = `${label.padEnd(32)} graphprof ${round(ours.wordsPerSec).toLocaleString('en')} words/s in ${ours.seconds.toFixed(2)} s${q(ours)}`;
  if (!ref) {
    console.log(o);
    return;
  }
  const g = ` | gensim ${round(ref.wordsPerSec).toLocaleString('en')} words/s in ${ref.seconds.toFixed(2)} s${q(ref)}`;
  console.log(`${o}${g} | speed-up ${(ours.wordsPerSec / ref.wordsPerSec).toFixed(2)}x`);
}

function figures(x: RunFigures | null): Record<string, number> | null {
  if (!x) return null;
  const out: Record<string, number> = { wordsPerSec: round(x.wordsPerSec), seconds: round(x.seconds, 3) };
  if (x.quality) {
    out.auc = round(x.quality.auc, 4);
    out.macroF1 = round(x.quality.macroF1, 4);
    out.microF1 = round(x.quality.microF1, 4);
    out.aucPerSecond = round(x.quality.auc / x.seconds, 4);
    out.macroF1PerSecond = round(x.quality.macroF1 / x.seconds, 4);
  }
  return out;
}

async function compare(label: string, corpus: WalkCorpus, threads: number, cora?: { split: CoraSplit; labels: NodeLabels }) {
  const file = join(tmp, 'corpus.walks');
  const ours = await runOurs(corpus, threads);
  let ref: (GensimFigures & { vectors: Float32Array }) | null = null;
  if (gensimMissing === null) {
    await writeCorpusFile(corpus, file);
    ref = runGensim(file, corpus.nodeCount, threads);
  }
  if (cora) {
    ours.quality = quality(ours.vectors, cora.split, cora.labels);
    if (ref) ref.quality = quality(ref.vectors, cora.split, cora.labels);
  }
  line(label, ours, ref);
  return { ours, ref, speedup: ref ? round(ours.wordsPerSec / ref.wordsPerSec, 2) : null };
}

const gensimMissing = pythonStatus('gensim', 'python3-gensim');
const sklearnMissing = pythonStatus('sklearn', 'python3-sklearn');

async function main(): Promise<void> {
  const loadStart = load();
  if (gensimMissing) console.log(`gensim reference unavailable (${gensimMissing}); apt-get install -y python3-gensim. graphprof figures only.`);
  console.log(`settings: ${JSON.stringify(SETTINGS)}; walks ${JSON.stringify(WALK)}; words/s = corpus tokens x epochs / training wall seconds`);

  // (a) Cora with held-out edges and node labels.
  const split = coraSplit(0.1, 7);
  const labels = readContentLabels(coraContent, split.ids);
  const coraCsr = fixtureCsr(split.train, split.ids);
  const coraCorpus = await generateWalks(coraCsr, { ...WALK, threads: 2 });
  console.log(`cora: ${split.train.nodeCount} nodes, ${split.train.edges.length} training edges, ${split.positives.length} held out; corpus ${coraCorpus.tokens.length} tokens`);
  const cora2 = await compare('cora, 2 threads', coraCorpus, 2, { split, labels });
  const cora1 = await compare('cora, 1 thread', coraCorpus, 1, { split, labels });
  let sklearn: { macroF1: number; microF1: number; oursMacroF1: number; oursMicroF1: number } | null = null;
  if (sklearnMissing === null) {
    const s = sklearnCheck(cora2.ours.vectors, labels);
    sklearn = { macroF1: round(s.macroF1, 4), microF1: round(s.microF1, 4), oursMacroF1: round(cora2.ours.quality!.macroF1, 4), oursMicroF1: round(cora2.ours.quality!.microF1, 4) };
    console.log(`node classification cross-check on the same vectors and splits: ours Macro-F1 ${sklearn.oursMacroF1}, Micro-F1 ${sklearn.oursMicroF1} | scikit-learn ${sklearn.macroF1}, ${sklearn.microF1}`);
  }

  // (b) 1M-edge power-law graph.
  const big = chungLu(100_000, 1_000_000, 7);
  const bigCorpus = await generateWalks(big, { ...WALK, walksPerNode: 1, threads: 2 });
  console.log(`power-law: 100,000 nodes, 1,000,000 edges, 1 walk per node; corpus ${bigCorpus.tokens.length} tokens`);
  const big2 = await compare('power-law 1M edges, 2 threads', bigCorpus, 2);

  // (d) The streamed pipeline on the same graph, and the main thread's share.
  const cpu0 = mainThreadCpuSeconds();
  const t0 = process.hrtime.bigint();
  const streamed = await trainOnWalks(big, { ...SETTINGS, threads: 2, walk: { ...WALK, walksPerNode: 1 }, onProgress: () => {} });
  const streamedSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const mainShare = (mainThreadCpuSeconds() - cpu0) / streamedSeconds;
  console.log(`streamed walks -> skip-gram on it: ${round(streamed.stats.tokens / streamedSeconds).toLocaleString('en')} words/s end to end (counting pass ${streamed.stats.walkSeconds.toFixed(2)} s); main JS thread CPU ${(mainShare * 100).toFixed(2)}% of the wall time`);

  // (c) A million nodes.
  const huge = chungLu(1_000_000, 5_000_000, 11);
  const starts = Uint32Array.from({ length: 150_000 }, (_, i) => Math.floor((i * 1_000_000) / 150_000));
  const hugeCorpus = await generateWalks(huge, { ...WALK, walksPerNode: 1, startNodes: starts, threads: 2 });
  console.log(`power-law: 1,000,000 nodes, 5,000,000 edges, walks from 150,000 nodes; corpus ${hugeCorpus.tokens.length} tokens`);
  const huge2 = await compare('1M nodes, 2 threads', hugeCorpus, 2);
  const perThreadRatio = round(cora2.ours.wordsPerSec / huge2.ours.wordsPerSec, 2);
  console.log(`per-thread words/s, Cora / 1M nodes: ${perThreadRatio} (target <= 2)`);

  const maxRssMB = peakRssMB();
  rmSync(tmp, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      threads: 2,
      cora: { ...figures(cora2.ours), gensim: figures(cora2.ref), speedup: cora2.speedup },
      cora1Thread: { ...figures(cora1.ours), gensim: figures(cora1.ref), speedup: cora1.speedup },
      powerLaw1MEdges: { nodes: 100_000, tokens: bigCorpus.tokens.length, ...figures(big2.ours), gensim: figures(big2.ref), speedup: big2.speedup },
      million: { nodes: 1_000_000, edges: 5_000_000, tokens: hugeCorpus.tokens.length, ...figures(huge2.ours), gensim: figures(huge2.ref), speedup: huge2.speedup },
      perThreadRatioCoraToMillion: perThreadRatio,
      streamed: { wordsPerSec: round(streamed.stats.tokens / streamedSeconds), seconds: round(streamedSeconds, 3), countingPassSeconds: round(streamed.stats.walkSeconds, 3), mainThreadCpuShare: round(mainShare, 4) },
      sklearnCheck: sklearn,
      loadAvg1mStart: loadStart,
      loadAvg1mEnd: load(),
      maxRssMB,
      reference: gensimMissing ? `unavailable: ${gensimMissing}` : 'gensim Word2Vec (python3-gensim), corpus_file mode',
    }),
  );
}

main().catch((err: unknown) => {
  rmSync(tmp, { recursive: true, force: true });
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

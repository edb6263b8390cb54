/**
 * Skip-gram benchmark: graphprof's native SGNS trainer against gensim's
 * Word2Vec (the named reference, Debian python3-gensim, run in the same
 * process tree on the SAME walk corpus) with equal settings: sg=1, dim 128,
 * window 10, negative 5, sample 1e-3, 1 epoch, alpha 0.025 -> 0.0001, and
 * workers = threads.
 *
 *   (a) Cora, 10% of its unique undirected edges held out (seeded, no node loses
 *       its last edge), node2vec walks (p = q = 1, length 80, 10 per node) on the
 *       training graph only; 2 threads, then 1 thread. Link-prediction ROC-AUC
 *       of both models on the held-out edges vs as many seeded non-edges,
 *       scoring a pair by the cosine of its two vectors.
 *   (b) The seeded Chung-Lu power-law graph of bench/walk.ts (100k nodes, 1M
 *       undirected edges); 2 threads; SGNS_BENCH_WALKS walks per node (default 1,
 *       length 80: 8M tokens) to keep gensim's share of the run in minutes.
 *
 * Words/s, for both: corpus tokens x epochs / wall seconds of training, tokens
 * counted before sub-sampling. Ours is timed around trainSkipGram (counting,
 * noise table, initialisation and training); gensim around Word2Vec.train
 * (its build_vocab pass, a separate read of the file, is reported apart).
 * gensim is fed through corpus_file, its fastest mode (no Python iterator in
 * the loop), for fairness to gensim.
 *
 *   npm run bench:sgns     (after `npx tsc -p tsconfig.json` and the native build)
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainSkipGram } from '../src/sgns/index.js';
import { generateWalks, type WalkCorpus } from '../src/walk/index.js';
import { coraSplit, fixtureCsr, linkAuc, type CoraSplit } from '../test/sgns-fixtures.js';
import { chungLu } from './graphs.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const gensimScript = resolve(repo, 'bench/gensim_sgns.py');
const python = '/usr/bin/python3';
const SETTINGS = { dim: 128, window: 10, negative: 5, sample: 1e-3, epochs: 1, seed: 42 } as const;
const WALK = { walkLength: 80, walksPerNode: 10, p: 1, q: 1, seed: 42 } as const;
const BIG_WALKS = Number(process.env.SGNS_BENCH_WALKS ?? 1);
const tmp = mkdtempSync(join(tmpdir(), 'graphprof-bench-sgns-'));

interface RunFigures {
  wordsPerSec: number;
  seconds: number;
  words: number;
  auc?: number;
}

interface GensimFigures extends RunFigures {
  vocabSeconds: number;
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function gensimStatus(): string | null {
  if (!existsSync(python)) return `${python} not found`;
  const r = spawnSync(python, ['-c', 'import gensim; print(gensim.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'python3-gensim is not installed';
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

async function runOurs(corpus: WalkCorpus, threads: number, split?: CoraSplit): Promise<RunFigures> {
  const start = process.hrtime.bigint();
  const r = await trainSkipGram(corpus, { ...SETTINGS, threads });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const words = corpus.tokens.length * SETTINGS.epochs;
  return {
    wordsPerSec: words / seconds,
    seconds,
    words,
    ...(split ? { auc: linkAuc(r.vectors, r.dim, split) } : {}),
  };
}

function runGensim(corpusFile: string, nodeCount: number, threads: number, split?: CoraSplit): GensimFigures {
  const vectorsFile = join(tmp, 'gensim.f32');
  const args = [
    gensimScript, corpusFile, String(nodeCount), vectorsFile,
    '--dim', String(SETTINGS.dim), '--window', String(SETTINGS.window), '--negative', String(SETTINGS.negative),
    '--sample', String(SETTINGS.sample), '--epochs', String(SETTINGS.epochs), '--workers', String(threads),
    '--seed', String(SETTINGS.seed),
  ];
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench:sgns: gensim failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stdout.trim().split('\n');
  const g = JSON.parse(lines[lines.length - 1]!) as { words: number; trainSeconds: number; vocabSeconds: number };
  const figures: GensimFigures = {
    wordsPerSec: g.words / g.trainSeconds,
    seconds: g.trainSeconds,
    vocabSeconds: g.vocabSeconds,
    words: g.words,
  };
  if (split) {
    const raw = readFileSync(vectorsFile);
    const vectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    figures.auc = linkAuc(vectors, SETTINGS.dim, split);
  }
  return figures;
}

function line(label: string, ours: RunFigures, ref: GensimFigures | null): void {
  const o = `${label.padEnd(30)} graphprof ${round(ours.wordsPerSec).toLocaleString('en')} words/s in ${ours.seconds.toFixed(2)} s`;
  const auc = ours.auc !== undefined ? `, AUC ${ours.auc.toFixed(4)}` : '';
  if (!ref) {
    console.log(o + auc);
    return;
  }
  const g = ` | gensim ${round(ref.wordsPerSec).toLocaleString('en')} words/s in ${ref.seconds.toFixed(2)} s (+${ref.vocabSeconds.toFixed(2)} s build_vocab)`;
  const gAuc = ref.auc !== undefined ? `, AUC ${ref.auc.toFixed(4)}` : '';
  console.log(`${o}${auc}${g}${gAuc} | speed-up ${(ours.wordsPerSec / ref.wordsPerSec).toFixed(2)}x`);
}

async function main(): Promise<void> {
  // Other work on the machine slows both trainers; the load is printed so runs can be compared.
  const loadStart = round(loadavg()[0]!, 2);
  const missing = gensimStatus();
  if (missing) {
    console.log(`gensim reference unavailable (${missing}); install it with: apt-get update && apt-get install -y python3-gensim`);
    console.log('graphprof figures only.');
  }
  console.log(`settings: ${JSON.stringify(SETTINGS)}; walks ${JSON.stringify(WALK)}; words/s = corpus tokens x epochs / training wall seconds`);

  // (a) Cora with held-out edges.
  const split = coraSplit(0.1, 7);
  const coraCorpus = await generateWalks(fixtureCsr(split.train, split.ids), { ...WALK, threads: 2 });
  const coraFile = join(tmp, 'cora.walks');
  await writeCorpusFile(coraCorpus, coraFile);
  console.log(`cora: ${split.train.nodeCount} nodes, ${split.train.edges.length} training edges, ${split.positives.length} held out; corpus ${coraCorpus.tokens.length} tokens`);
  const cora2 = await runOurs(coraCorpus, 2, split);
  const gCora2 = missing ? null : runGensim(coraFile, coraCorpus.nodeCount, 2, split);
  line('cora, 2 threads', cora2, gCora2);
  const cora1 = await runOurs(coraCorpus, 1, split);
  const gCora1 = missing ? null : runGensim(coraFile, coraCorpus.nodeCount, 1, split);
  line('cora, 1 thread', cora1, gCora1);

  // (b) 1M-edge power-law graph.
  const big = chungLu(100_000, 1_000_000, 7);
  const bigCorpus = await generateWalks(big, { ...WALK, walksPerNode: BIG_WALKS, threads: 2 });
  const bigFile = join(tmp, 'powerlaw.walks');
  await writeCorpusFile(bigCorpus, bigFile);
  console.log(`power-law: ${big.nodeCount} nodes, 1,000,000 edges; ${BIG_WALKS} walk(s) per node; corpus ${bigCorpus.tokens.length} tokens`);
  const big2 = await runOurs(bigCorpus, 2);
  const gBig2 = missing ? null : runGensim(bigFile, bigCorpus.nodeCount, 2);
  line('power-law 1M edges, 2 threads', big2, gBig2);

  const maxRssMB = round(process.resourceUsage().maxRSS / 1024, 1);
  console.log(`peak RSS of this process (graphprof side): ${maxRssMB} MB`);
  rmSync(tmp, { recursive: true, force: true });
  const speedup = (a: RunFigures, b: RunFigures | null): number | null => (b ? round(a.wordsPerSec / b.wordsPerSec, 2) : null);
  console.log(
    JSON.stringify({
      dataset: 'cora (10% edges held out), 2 threads',
      wordsPerSec: round(cora2.wordsPerSec),
      gensimWordsPerSec: gCora2 ? round(gCora2.wordsPerSec) : null,
      speedup: speedup(cora2, gCora2),
      auc: round(cora2.auc!, 4),
      gensimAuc: gCora2 ? round(gCora2.auc!, 4) : null,
      seconds: round(cora2.seconds, 2),
      gensimSeconds: gCora2 ? round(gCora2.seconds, 2) : null,
      cora1Thread: {
        wordsPerSec: round(cora1.wordsPerSec),
        gensimWordsPerSec: gCora1 ? round(gCora1.wordsPerSec) : null,
        speedup: speedup(cora1, gCora1),
        auc: round(cora1.auc!, 4),
        gensimAuc: gCora1 ? round(gCora1.auc!, 4) : null,
      },
      powerLaw1M: {
        nodes: big.nodeCount,
        edges: 1_000_000,
        tokens: bigCorpus.tokens.length,
        wordsPerSec: round(big2.wordsPerSec),
        gensimWordsPerSec: gBig2 ? round(gBig2.wordsPerSec) : null,
        speedup: speedup(big2, gBig2),
        seconds: round(big2.seconds, 2),
        gensimSeconds: gBig2 ? round(gBig2.seconds, 2) : null,
      },
      threads: 2,
      loadAvg1mStart: loadStart,
      loadAvg1mEnd: round(loadavg()[0]!, 2),
      maxRssMB,
      reference: missing ? `unavailable: ${missing}` : 'gensim Word2Vec (python3-gensim), corpus_file mode',
    }),
  );
}

main().catch((err: unknown) => {
  rmSync(tmp, { recursive: true, force: true });
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

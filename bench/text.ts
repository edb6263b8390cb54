/**
 * Text-encoding benchmark on the Amazon Musical Instruments reviews (every
 * non-empty review text, read with csv-parse), built-in USE-lite, in one run:
 *   - graphprof's encoder end to end (normalise, hash, tokenize, window,
 *     length-sorted batches, session.run, merging), no cache, in fp32 and in
 *     int8 (the default): texts/s of each, the ratio, and the cosine between
 *     the two vectors of every text (mean and min);
 *   - the named reference for the encoder's own overhead: bare
 *     InferenceSession.run over the same pre-tokenized, length-sorted batches
 *     of the int8 model (same session options).
 * The texts go in chunks of 1,000 (BENCH_CHUNK); per chunk the paths run back
 * to back, in alternating order, so a change in machine load hits all alike.
 *
 * With --sweep it then measures onnxruntime settings on the int8 model over
 * the first 1,000 texts (BENCH_SWEEP_TEXTS): intra-op threads, spinning,
 * execution mode, graph optimisation level, batch size, and length sorting.
 *
 *   npm run bench:text [-- --sweep]   (BENCH_TEXTS, BENCH_THREADS, BENCH_BATCH override)
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ort from 'onnxruntime-node';
import { DEFAULT_BATCH_SIZE, openTextEncoder, SESSION_DEFAULTS, type OpenedTextEncoder, type SessionTuning } from '../src/text/index.js';
import { normaliseText } from '../src/text/normalize.js';
import { loadTokenizer } from '../src/text/tokenizer.js';
import { buildWindows, makeBatch, planBatches } from '../src/text/windows.js';
import { load, peakRssMB, sharedData } from './common.js';

const csvFile = sharedData('amazon-musical-instruments', 'Musical_instruments_reviews.csv');
const N = Number(process.env.BENCH_TEXTS ?? Infinity);
const threads = Number(process.env.BENCH_THREADS ?? os.availableParallelism());
const batchSize = Number(process.env.BENCH_BATCH ?? DEFAULT_BATCH_SIZE);
const chunkSize = Number(process.env.BENCH_CHUNK ?? 1000);
const sweepTexts = Number(process.env.BENCH_SWEEP_TEXTS ?? 1000);
const sweep = process.argv.includes('--sweep');

function loadReviews(): string[] {
  const rows = parse(readFileSync(csvFile), { columns: true, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
  return rows.map((r) => r.reviewText ?? '').filter((t) => normaliseText(t).length > 0).slice(0, N);
}

const secondsSince = (t0: number): number => (performance.now() - t0) / 1000;
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Pre-tokenized, length-sorted feeds of `texts`, as the encoder would build them. */
async function bareFeeds(enc: OpenedTextEncoder, texts: string[]): Promise<Record<string, ort.Tensor>[]> {
  const tokenizer = await loadTokenizer(enc.dir);
  const windows = buildWindows(texts.map((x) => tokenizer.encodeContent(normaliseText(x))), { maxTokens: enc.maxTokens, prefix: tokenizer.prefix, suffix: tokenizer.suffix });
  const lengths = new Int32Array(batchSize);
  return planBatches(windows, batchSize).map((m) => {
    const b = makeBatch(windows, m, lengths);
    return { input_ids: new ort.Tensor('int64', b.ids, [b.rows, b.cols]), attention_mask: new ort.Tensor('int64', b.mask, [b.rows, b.cols]) };
  });
}

function cosines(a: Float32Array, b: Float32Array, dim: number, out: number[]): void {
  for (let i = 0; i < a.length / dim; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += a[i * dim + d]! * b[i * dim + d]!;
    out.push(s);
  }
}

async function compare(texts: string[]): Promise<Record<string, number>> {
  const fp32 = await openTextEncoder({ batchSize, threads, precision: 'fp32' });
  const int8 = await openTextEncoder({ batchSize, threads, precision: 'int8' });
  console.log(`models ${fp32.modelId} and ${int8.modelId}, dim ${int8.dim}, max tokens ${int8.maxTokens}`);
  const chunks: string[][] = [];
  for (let i = 0; i < texts.length; i += chunkSize) chunks.push(texts.slice(i, i + chunkSize));
  const feeds = await Promise.all(chunks.map((c) => bareFeeds(int8, c)));
  const bare = await ort.InferenceSession.create(join(int8.dir, 'model.onnx'), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: SESSION_DEFAULTS.executionMode,
    graphOptimizationLevel: SESSION_DEFAULTS.graphOptimizationLevel,
    extra: { session: { intra_op: { allow_spinning: SESSION_DEFAULTS.spinning ? '1' : '0' } } },
  });
  // Warm-up of every path on a few texts.
  await fp32.encode(texts.slice(-8));
  await int8.encode(texts.slice(-8));
  await bare.run(feeds[0]![feeds[0]!.length - 1]!);

  const sec = { fp32: 0, int8: 0, bare: 0 };
  const cos: number[] = [];
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c]!;
    let a: Float32Array = new Float32Array(0);
    let b: Float32Array = new Float32Array(0);
    const runFp32 = async () => {
      const t0 = performance.now();
      a = await fp32.encode(chunk);
      sec.fp32 += secondsSince(t0);
    };
    const runInt8 = async () => {
      const t0 = performance.now();
      b = await int8.encode(chunk);
      sec.int8 += secondsSince(t0);
    };
    const runBare = async () => {
      const t0 = performance.now();
      for (const f of feeds[c]!) await bare.run(f);
      sec.bare += secondsSince(t0);
    };
    for (const step of c % 2 === 0 ? [runFp32, runInt8, runBare] : [runBare, runInt8, runFp32]) await step();
    cosines(a, b, int8.dim, cos);
    console.log(`chunk ${c + 1}/${chunks.length}: fp32 ${sec.fp32.toFixed(1)} s, int8 ${sec.int8.toFixed(1)} s, bare int8 session.run ${sec.bare.toFixed(1)} s (cumulative)`);
  }
  const windows = int8.stats.windows;
  const truncated = int8.stats.truncated;
  await Promise.all([fp32.close(), int8.close(), bare.release()]);
  cos.sort((x, y) => x - y);
  return {
    texts: texts.length,
    windows,
    truncated,
    fp32TextsPerSec: round(texts.length / sec.fp32, 1),
    int8TextsPerSec: round(texts.length / sec.int8, 1),
    int8SpeedRatio: round(sec.fp32 / sec.int8, 3),
    int8MeanCosine: round(cos.reduce((s, x) => s + x, 0) / cos.length, 5),
    int8MinCosine: round(cos[0]!, 5),
    int8P01Cosine: round(cos[Math.floor(cos.length * 0.01)]!, 5),
    int8OverheadRatio: round(sec.int8 / sec.bare, 3),
    fp32Sec: round(sec.fp32, 2),
    int8Sec: round(sec.int8, 2),
    bareInt8Sec: round(sec.bare, 2),
  };
}

interface SweepCase {
  label: string;
  threads: number;
  batch: number;
  sorted: boolean;
  session: SessionTuning;
}

/** int8 encoder texts/s under other onnxruntime settings, each against the defaults measured right before it. */
async function sweepSettings(texts: string[]): Promise<Record<string, number>> {
  const base: SweepCase = { label: 'defaults', threads, batch: batchSize, sorted: true, session: {} };
  const cases: SweepCase[] = [
    { ...base, label: 'threads 1', threads: 1 },
    { ...base, label: 'spinning on', session: { spinning: true } },
    { ...base, label: 'execution parallel', session: { executionMode: 'parallel' } },
    { ...base, label: 'optimisation extended', session: { graphOptimizationLevel: 'extended' } },
    { ...base, label: 'optimisation basic', session: { graphOptimizationLevel: 'basic' } },
    { ...base, label: 'batch 16', batch: 16 },
    { ...base, label: 'batch 64', batch: 64 },
    { ...base, label: 'batch 128', batch: 128 },
    { ...base, label: 'unsorted', sorted: false },
  ];
  const timeCase = async (c: SweepCase): Promise<number> => {
    const enc = await openTextEncoder({ threads: c.threads, batchSize: c.batch, sortByLength: c.sorted, session: c.session });
    await enc.encode(texts.slice(-8));
    const t0 = performance.now();
    await enc.encode(texts);
    const s = secondsSince(t0);
    await enc.close();
    return s;
  };
  const out: Record<string, number> = {};
  console.log(`\nonnxruntime settings, int8, ${texts.length} texts (defaults: ${threads} threads, batch ${batchSize}, length-sorted, ${JSON.stringify(SESSION_DEFAULTS)}):`);
  for (const c of cases) {
    const d = await timeCase(base);
    const s = await timeCase(c);
    const ratio = round(d / s, 3);
    out[c.label] = ratio;
    console.log(`  ${c.label.padEnd(22)} ${round(texts.length / s, 1)} texts/s vs defaults ${round(texts.length / d, 1)} texts/s: ${ratio}x`);
  }
  return out;
}

async function main(): Promise<void> {
  const loadStart = load();
  const texts = loadReviews();
  console.log(`text bench: ${texts.length} reviews from ${csvFile}, batch ${batchSize}, threads ${threads}, load ${loadStart}`);
  const figures = await compare(texts);
  console.log(`fp32 encoder (end to end): ${figures.fp32TextsPerSec} texts/s (${figures.fp32Sec} s)`);
  console.log(`int8 encoder (end to end): ${figures.int8TextsPerSec} texts/s (${figures.int8Sec} s): ${figures.int8SpeedRatio}x fp32`);
  console.log(`cosine int8 vs fp32 over ${figures.texts} texts: mean ${figures.int8MeanCosine}, min ${figures.int8MinCosine}, 1st percentile ${figures.int8P01Cosine}`);
  console.log(`int8 encoder vs bare session.run on the same batches: ${figures.int8OverheadRatio}x; ${figures.windows} windows, ${figures.truncated} texts truncated`);
  const settings = sweep ? await sweepSettings(texts.slice(0, sweepTexts)) : undefined;
  console.log(JSON.stringify({ dataset: 'amazon-musical-instruments', batchSize, threads, ...figures, settings, maxRssMB: peakRssMB(), loadAvg1mStart: loadStart, loadAvg1mEnd: load() }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

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
 * The texts go in chunks of 200 (BENCH_CHUNK); per chunk the paths run back
 * to back, in alternating order, so a change in machine load hits all alike
 * (with chunks of 1,000, one burst of load on the shared machine once cost
 * fp32 3.5x its time in one chunk and moved the ratio from 1.7 to 2.35).
 *
 * With --sweep it then measures onnxruntime settings on the int8 model over
 * the first 1,000 texts (BENCH_SWEEP_TEXTS): intra-op threads, spinning,
 * execution mode, graph optimisation level, batch size, and length sorting.
 *
 * With --ops it measures only where session.run spends its time: onnxruntime's
 * own profiler (enableProfiling) on bare sessions of both models over the
 * same batches of the first 400 texts (BENCH_OPS_TEXTS), alternating model
 * batch by batch; kernel time summed per op type (as onnxruntime ran it, after
 * its fusions), the share of the weight MatMuls (the part int8 quantizes), and
 * the Amdahl bounds on the int8/fp32 ratio that follow on this CPU.
 *
 *   npm run bench:text [-- --sweep | --ops]   (BENCH_TEXTS, BENCH_THREADS, BENCH_BATCH override)
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ort from 'onnxruntime-node';
import { ModelProtoType, type OnnxModel } from '../src/text/convert/onnx-proto.js';
import { DEFAULT_BATCH_SIZE, openTextEncoder, SESSION_DEFAULTS, type OpenedTextEncoder, type SessionTuning } from '../src/text/index.js';
import { normaliseText } from '../src/text/normalize.js';
import { loadTokenizer } from '../src/text/tokenizer.js';
import { buildWindows, makeBatch, planBatches } from '../src/text/windows.js';
import { load, peakRssMB, sharedData, tempDir } from './common.js';

const csvFile = sharedData('amazon-musical-instruments', 'Musical_instruments_reviews.csv');
const N = Number(process.env.BENCH_TEXTS ?? Infinity);
const threads = Number(process.env.BENCH_THREADS ?? os.availableParallelism());
const batchSize = Number(process.env.BENCH_BATCH ?? DEFAULT_BATCH_SIZE);
const chunkSize = Number(process.env.BENCH_CHUNK ?? 200);
const sweepTexts = Number(process.env.BENCH_SWEEP_TEXTS ?? 1000);
const opsTexts = Number(process.env.BENCH_OPS_TEXTS ?? 400);
const sweep = process.argv.includes('--sweep');
const ops = process.argv.includes('--ops');

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

/** The encoder's session settings (SESSION_DEFAULTS) for a bare InferenceSession. */
function bareSessionOptions(extra: ort.InferenceSession.SessionOptions = {}): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: SESSION_DEFAULTS.executionMode,
    graphOptimizationLevel: SESSION_DEFAULTS.graphOptimizationLevel,
    extra: { session: { intra_op: { allow_spinning: SESSION_DEFAULTS.spinning ? '1' : '0' } } },
    ...extra,
  };
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
  const bare = await ort.InferenceSession.create(join(int8.dir, 'model.onnx'), bareSessionOptions());
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

/** One event of onnxruntime's profile file (Chrome trace format). */
interface ProfileEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

/** Ops that compute the weight MatMuls (the part int8 quantizes), as onnxruntime runs them after its fusions. */
const WEIGHT_MATMUL_OPS = new Set(['Gemm', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat', 'MatMulInteger', 'DynamicQuantizeLinear', 'MatMulNBits']);

/**
 * Node names of a model file that compute weight MatMuls in fp32: each MatMul whose right operand is
 * a constant, and the Add of its bias (directly or after a Reshape), which int8 fuses into its kernel.
 */
function weightMatMulNodes(file: string): Set<string> {
  const model = ModelProtoType.toObject(ModelProtoType.decode(readFileSync(file)), { longs: Number, arrays: true }) as OnnxModel;
  const constants = new Set(model.graph.initializer.map((t) => t.name));
  const products = new Set<string>();
  const names = new Set<string>();
  for (const n of model.graph.node) {
    const isMatMul = n.op_type === 'MatMul' && constants.has(n.input[1]!);
    const isReshape = n.op_type === 'Reshape' && products.has(n.input[0]!);
    const isBias = n.op_type === 'Add' && n.input.some((i) => constants.has(i)) && n.input.some((i) => products.has(i));
    if (isMatMul || isBias) names.add(n.name);
    if (isMatMul || isReshape) products.add(n.output[0]!);
  }
  return names;
}

interface OpProfile {
  /** Kernel microseconds per op type; weight MatMuls run as plain MatMul (and their bias Adds) are listed apart. */
  byOp: Map<string, number>;
  /** Kernel microseconds of the weight MatMuls (whatever op runs them). */
  weightUs: number;
  totalUs: number;
  /** Sum of session.run (model_run) microseconds, kernels plus onnxruntime's own overhead. */
  runUs: number;
}

/** Per-op-type kernel time of profiled runs after the first (warm-up) run. */
function summariseProfile(events: ProfileEvent[], weightNodes: Set<string>): OpProfile {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const from = runs[0] ? runs[0].ts + runs[0].dur : 0;
  const byOp = new Map<string, number>();
  let weightUs = 0;
  let totalUs = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || e.ts < from || !e.name.endsWith('_kernel_time')) continue;
    const op = e.args?.op_name ?? '?';
    const isWeight = WEIGHT_MATMUL_OPS.has(op) || weightNodes.has(e.name.slice(0, -'_kernel_time'.length));
    const key = op === 'MatMul' ? (isWeight ? 'MatMul (weights)' : 'MatMul (activations)') : op === 'Add' && isWeight ? 'Add (weight bias)' : op;
    byOp.set(key, (byOp.get(key) ?? 0) + e.dur);
    if (isWeight) weightUs += e.dur;
    totalUs += e.dur;
  }
  const runUs = runs.slice(1).reduce((sum, r) => sum + r.dur, 0);
  return { byOp, weightUs, totalUs, runUs };
}

/** onnxruntime's profile of both built-in models over the same batches, per op type, and the Amdahl bounds it implies. */
async function opProfile(texts: string[]): Promise<Record<string, number>> {
  const encoders = { fp32: await openTextEncoder({ batchSize, threads, precision: 'fp32' }), int8: await openTextEncoder({ batchSize, threads, precision: 'int8' }) };
  const feeds = await bareFeeds(encoders.int8, texts);
  const dir = tempDir('graphprof-ops-');
  const profiles: Record<'fp32' | 'int8', OpProfile> = {} as Record<'fp32' | 'int8', OpProfile>;
  try {
    const sessions = {
      fp32: await ort.InferenceSession.create(join(encoders.fp32.dir, 'model.onnx'), bareSessionOptions({ enableProfiling: true, profileFilePrefix: join(dir, 'fp32') })),
      int8: await ort.InferenceSession.create(join(encoders.int8.dir, 'model.onnx'), bareSessionOptions({ enableProfiling: true, profileFilePrefix: join(dir, 'int8') })),
    };
    const warm = feeds[feeds.length - 1]!;
    await sessions.fp32.run(warm);
    await sessions.int8.run(warm);
    for (let i = 0; i < feeds.length; i++) {
      for (const p of i % 2 === 0 ? (['fp32', 'int8'] as const) : (['int8', 'fp32'] as const)) await sessions[p].run(feeds[i]!);
    }
    for (const p of ['fp32', 'int8'] as const) {
      sessions[p].endProfiling();
      await sessions[p].release();
      // onnxruntime names the file <prefix>_<date>.json; take the largest (it may also leave an empty one).
      const files = readdirSync(dir).filter((f) => f.startsWith(`${p}_`) && f.endsWith('.json')).map((f) => join(dir, f));
      const file = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
      if (!file) throw new Error(`bench:text --ops: onnxruntime wrote no profile for ${p} in ${dir}`);
      profiles[p] = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as ProfileEvent[], weightMatMulNodes(join(encoders[p].dir, 'model.onnx')));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([encoders.fp32.close(), encoders.int8.close()]);
  }
  const { fp32, int8 } = profiles;
  const ms = (us: number): string => (us / 1000).toFixed(1).padStart(9);
  const pct = (us: number, of: number): string => `${((100 * us) / of).toFixed(1).padStart(5)}%`;
  const windows = feeds.reduce((n, f) => n + f.input_ids.dims[0]!, 0);
  console.log(`\nonnxruntime kernel time per op type, ${texts.length} texts (${windows} windows, ${feeds.length} batches of ${batchSize}), ${threads} threads, models alternating batch by batch:`);
  console.log(`  ${'op type'.padEnd(24)} ${'fp32 ms'.padStart(9)} ${'share'.padStart(6)} ${'int8 ms'.padStart(9)} ${'share'.padStart(6)}  fp32/int8`);
  const keys = [...new Set([...fp32.byOp.keys(), ...int8.byOp.keys()])].sort((a, b) => (fp32.byOp.get(b) ?? 0) + (int8.byOp.get(b) ?? 0) - (fp32.byOp.get(a) ?? 0) - (int8.byOp.get(a) ?? 0));
  for (const k of keys) {
    const a = fp32.byOp.get(k) ?? 0;
    const b = int8.byOp.get(k) ?? 0;
    if (a + b < 0.001 * (fp32.totalUs + int8.totalUs)) continue;
    console.log(`  ${k.padEnd(24)} ${ms(a)} ${pct(a, fp32.totalUs)} ${ms(b)} ${pct(b, int8.totalUs)}  ${a > 0 && b > 0 ? `${(a / b).toFixed(2)}x` : ''}`);
  }
  const restFp32 = fp32.totalUs - fp32.weightUs;
  const restInt8 = int8.totalUs - int8.weightUs;
  console.log(`  ${'(other op types)'.padEnd(24)} ${'< 0.1% each'.padStart(9)}`);
  console.log(`  ${'all kernels'.padEnd(24)} ${ms(fp32.totalUs)} ${''.padStart(6)} ${ms(int8.totalUs)} ${''.padStart(6)}  ${(fp32.totalUs / int8.totalUs).toFixed(2)}x`);
  console.log(`  ${'session.run'.padEnd(24)} ${ms(fp32.runUs)} ${''.padStart(6)} ${ms(int8.runUs)} ${''.padStart(6)}  ${(fp32.runUs / int8.runUs).toFixed(2)}x`);
  const weightShare = fp32.weightUs / fp32.totalUs;
  const weightSpeedup = fp32.weightUs / int8.weightUs;
  const restSpeedup = restFp32 / restInt8;
  // Amdahl: fp32 time over the int8 time with its weight MatMuls at their measured speed and the rest as measured / removed.
  const boundRestRemoved = fp32.totalUs / int8.weightUs;
  const weightSpeedupFor25 = 1 / 2.5 - (1 - weightShare) / restSpeedup > 0 ? weightShare / (1 / 2.5 - (1 - weightShare) / restSpeedup) : Infinity;
  console.log(`weight MatMuls (with their bias Adds): ${(100 * weightShare).toFixed(1)}% of fp32 kernel time, ${(100 * int8.weightUs / int8.totalUs).toFixed(1)}% of int8; int8 runs them ${weightSpeedup.toFixed(2)}x faster, the rest ${restSpeedup.toFixed(2)}x`);
  console.log(`Amdahl on this CPU: with the int8 weight MatMuls as fast as measured, int8/fp32 is at most ${boundRestRemoved.toFixed(2)}x even if every other op took no time; 2.5x with the rest as measured needs the weight MatMuls ${Number.isFinite(weightSpeedupFor25) ? `${weightSpeedupFor25.toFixed(2)}x` : 'infinitely'} faster than fp32`);
  return {
    opsTexts: texts.length,
    opsWindows: windows,
    fp32KernelMs: round(fp32.totalUs / 1000, 1),
    int8KernelMs: round(int8.totalUs / 1000, 1),
    kernelSpeedRatio: round(fp32.totalUs / int8.totalUs, 3),
    weightMatMulShareFp32: round(weightShare, 4),
    weightMatMulShareInt8: round(int8.weightUs / int8.totalUs, 4),
    weightMatMulSpeedup: round(weightSpeedup, 3),
    restSpeedup: round(restSpeedup, 3),
    boundRestRemoved: round(boundRestRemoved, 3),
    weightSpeedupFor25: Number.isFinite(weightSpeedupFor25) ? round(weightSpeedupFor25, 3) : -1,
  };
}

async function main(): Promise<void> {
  const loadStart = load();
  const texts = loadReviews();
  if (ops) {
    console.log(`text bench --ops: ${Math.min(opsTexts, texts.length)} reviews from ${csvFile}, batch ${batchSize}, threads ${threads}, load ${loadStart}`);
    const figures = await opProfile(texts.slice(0, opsTexts));
    console.log(JSON.stringify({ dataset: 'amazon-musical-instruments', mode: 'ops', batchSize, threads, ...figures, maxRssMB: peakRssMB(), loadAvg1mStart: loadStart, loadAvg1mEnd: load() }));
    return;
  }
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

/**
 * Text-encoding benchmark on 2,000 real reviews (Amazon musical instruments,
 * read with csv-parse), default model (USE-lite converted from the npm
 * package), in one run:
 *   (a) graphprof's encoder end to end (normalise, hash, tokenize, window,
 *       length-sorted batches, session.run, pooling/merging), no cache;
 *   (b) the named reference: bare InferenceSession.run over the same
 *       pre-tokenized, length-sorted batches (same session options);
 *   (c) the encoder with length sorting off, to show what sorting gains.
 * The texts go in chunks of 500 (BENCH_CHUNK); per chunk the three paths run
 * back to back, so a change in machine load affects all three alike.
 * Overhead ratio = time(a) / time(b); the target is <= 1.15.
 *
 *   npm run bench:text     (after `npx tsc -p tsconfig.json`; BENCH_TEXTS, BENCH_THREADS, BENCH_BATCH override)
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import ort from 'onnxruntime-node';
import { openTextEncoder } from '../src/text/index.js';
import { normaliseText } from '../src/text/normalize.js';
import { loadTokenizer } from '../src/text/tokenizer.js';
import { buildWindows, makeBatch, planBatches } from '../src/text/windows.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const csvFile = resolve(repo, '../shared/data/amazon-musical-instruments/Musical_instruments_reviews.csv');
const N = Number(process.env.BENCH_TEXTS ?? 2000);
const threads = Number(process.env.BENCH_THREADS ?? os.availableParallelism());
const batchSize = Number(process.env.BENCH_BATCH ?? 64);
const chunkSize = Number(process.env.BENCH_CHUNK ?? 500);

function loadReviews(): string[] {
  const rows = parse(readFileSync(csvFile), { columns: true, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
  return rows.map((r) => r.reviewText ?? '').filter((t) => normaliseText(t).length > 0).slice(0, N);
}

function secondsSince(t0: number): number {
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const texts = loadReviews();
  console.log(`text bench: ${texts.length} reviews from ${csvFile}, batch ${batchSize}, threads ${threads}`);

  const encoder = await openTextEncoder({ batchSize, threads });
  const unsortedEncoder = await openTextEncoder({ batchSize, threads, sortByLength: false });
  console.log(`model ${encoder.modelId} (${encoder.source}), dim ${encoder.dim}, max tokens ${encoder.maxTokens}`);

  // Same inputs the encoder builds, prepared before timing the bare reference.
  const tokenizer = await loadTokenizer(encoder.dir);
  const bare = await ort.InferenceSession.create(join(encoder.dir, 'model.onnx'), { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const chunks: string[][] = [];
  for (let i = 0; i < texts.length; i += chunkSize) chunks.push(texts.slice(i, i + chunkSize));
  let tokenizeSec = 0;
  let paddedTokens = 0;
  let realTokens = 0;
  let windowTotal = 0;
  const feedsPerChunk = chunks.map((chunk) => {
    const t = performance.now();
    const windows = buildWindows(chunk.map((x) => tokenizer.encodeContent(normaliseText(x))), { maxTokens: encoder.maxTokens, prefix: tokenizer.prefix, suffix: tokenizer.suffix });
    tokenizeSec += secondsSince(t);
    const lengths = new Int32Array(batchSize);
    const batches = planBatches(windows, batchSize).map((m) => makeBatch(windows, m, lengths));
    paddedTokens += batches.reduce((s, b) => s + b.rows * b.cols, 0);
    realTokens += windows.ids.length;
    windowTotal += windows.textOf.length;
    return batches.map((b) => ({ input_ids: new ort.Tensor('int64', b.ids, [b.rows, b.cols]), attention_mask: new ort.Tensor('int64', b.mask, [b.rows, b.cols]) }));
  });

  // Warm-up all three paths on a small slice.
  await bare.run(feedsPerChunk[0]![feedsPerChunk[0]!.length - 1]!);
  await encoder.encode(texts.slice(-8));
  await unsortedEncoder.encode(texts.slice(-8));

  // The machine is shared: alternate the paths chunk by chunk so load drift hits all of them alike.
  let bareSec = 0;
  let e2eSec = 0;
  let unsortedSec = 0;
  for (let c = 0; c < chunks.length; c++) {
    let t0 = performance.now();
    for (const f of feedsPerChunk[c]!) await bare.run(f);
    bareSec += secondsSince(t0);
    t0 = performance.now();
    await encoder.encode(chunks[c]!);
    e2eSec += secondsSince(t0);
    t0 = performance.now();
    await unsortedEncoder.encode(chunks[c]!);
    unsortedSec += secondsSince(t0);
    console.log(`chunk ${c + 1}/${chunks.length}: bare ${bareSec.toFixed(1)} s, encoder ${e2eSec.toFixed(1)} s, unsorted ${unsortedSec.toFixed(1)} s (cumulative)`);
  }

  const figures = {
    texts: texts.length,
    windows: windowTotal,
    chunkSize,
    batchSize,
    threads,
    textsPerSec: Math.round((texts.length / e2eSec) * 10) / 10,
    bareTextsPerSec: Math.round((texts.length / bareSec) * 10) / 10,
    overheadRatio: Math.round((e2eSec / bareSec) * 1000) / 1000,
    unsortedTextsPerSec: Math.round((texts.length / unsortedSec) * 10) / 10,
    sortingSpeedup: Math.round((unsortedSec / e2eSec) * 1000) / 1000,
    tokenizeTextsPerSec: Math.round(texts.length / tokenizeSec),
    paddingFraction: Math.round((1 - realTokens / paddedTokens) * 1000) / 1000,
    e2eSec: Math.round(e2eSec * 100) / 100,
    bareSec: Math.round(bareSec * 100) / 100,
    unsortedSec: Math.round(unsortedSec * 100) / 100,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(`graphprof encoder (end to end): ${figures.textsPerSec} texts/s (${figures.e2eSec} s)`);
  console.log(`bare session.run (reference):   ${figures.bareTextsPerSec} texts/s (${figures.bareSec} s)`);
  console.log(`overhead ratio: ${figures.overheadRatio}x (target <= 1.15x)`);
  console.log(`length sorting: ${figures.sortingSpeedup}x faster than unsorted (${figures.unsortedTextsPerSec} texts/s unsorted); padding ${Math.round(figures.paddingFraction * 100)}% of sorted batch tokens`);
  console.log(`tokenizer alone: ${figures.tokenizeTextsPerSec} texts/s; peak RSS ${figures.maxRssMB} MB`);
  console.log(JSON.stringify(figures));
  await Promise.all([encoder.close(), unsortedEncoder.close(), bare.release()]);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

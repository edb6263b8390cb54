/**
 * Ingest benchmark: reviews/s of readInputs on the real Amazon files, the time
 * of the graph build that follows (buildShopGraph + toCsr, and train's
 * buildShopCsr straight from the review table), and peak RSS.
 * Named reference, measured in the same run over the same bytes: a naive
 * whole-file parse (readFileSync, gunzipSync, split('\n'), then split(',') per CSV
 * line or JSON.parse per JSON line) that validates, dedupes and streams nothing,
 * i.e. raw parse speed. csv-parse (streaming) is timed too for the CSV file.
 * Each figure is the median of several alternating runs (the machine is shared).
 *
 *   npm run bench:ingest            (after `npx tsc -p tsconfig.json`)
 */
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse';
import { readInputs } from '../src/ingest/index.js';
import { buildShopCsr, buildShopGraph, toCsr } from '../src/graph/build.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const data = resolve(repo, '../shared/data');
const inputs = [
  { name: 'musical-instruments-csv', file: resolve(data, 'amazon-musical-instruments/Musical_instruments_reviews.csv'), kind: 'csv' as const },
  { name: 'all-beauty-json-gz', file: resolve(data, 'amazon-all-beauty/All_Beauty_5.json.gz'), kind: 'json' as const },
];
const runs = Number(process.env.BENCH_RUNS ?? 7);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The reference: whole file in memory, naive split, no validation. Returns rows parsed. */
function naiveParse(file: string, kind: 'csv' | 'json'): number {
  const bytes = readFileSync(file);
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.split('\n');
  let rows = 0;
  let fields = 0;
  for (let i = kind === 'csv' ? 1 : 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0) continue;
    if (kind === 'csv') fields += line.split(',').length;
    else fields += Object.keys(JSON.parse(line) as object).length;
    rows++;
  }
  return fields > 0 ? rows : 0;
}

async function csvParseRows(file: string): Promise<number> {
  let rows = 0;
  for await (const _record of createReadStream(file).pipe(parse({ bom: true, relax_column_count: false, info: true }))) rows++;
  return rows - 1;
}

interface Figures {
  rows: number;
  reviews: number;
  readSeconds: number;
  reviewsPerSecond: number;
  /** CPU time of the read: steadier than wall time on a shared machine. */
  readCpuSeconds: number;
  reviewsPerCpuSecond: number;
  graphSeconds: number;
  /** buildShopCsr: the CSR train builds, straight from the review table (no graphology). */
  csrSeconds: number;
  naiveSeconds: number;
  naiveRowsPerSecond: number;
  ratioToNaive: number;
  csvParseSeconds?: number;
  ratioToCsvParse?: number;
}

async function benchOne(file: string, kind: 'csv' | 'json'): Promise<Figures> {
  const ours: number[] = [];
  const oursCpu: number[] = [];
  const graph: number[] = [];
  const direct: number[] = [];
  const naive: number[] = [];
  const csvp: number[] = [];
  let rows = 0;
  let reviews = 0;
  for (let r = 0; r < runs; r++) {
    let t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const d = await readInputs([file]);
    ours.push(seconds(t));
    const used = process.cpuUsage(cpu);
    oursCpu.push((used.user + used.system) / 1e6);
    if (d.kind !== 'shop') throw new Error(`bench: ${file} did not read as shop data`);
    rows = d.counts.rowsRead;
    reviews = d.reviews.count;
    t = process.hrtime.bigint();
    toCsr(buildShopGraph(d));
    graph.push(seconds(t));
    t = process.hrtime.bigint();
    buildShopCsr(d);
    direct.push(seconds(t));
    t = process.hrtime.bigint();
    if (naiveParse(file, kind) !== rows) throw new Error('bench: the naive reference saw another row count');
    naive.push(seconds(t));
    if (kind === 'csv') {
      t = process.hrtime.bigint();
      if ((await csvParseRows(file)) !== rows) throw new Error('bench: csv-parse saw another row count');
      csvp.push(seconds(t));
    }
  }
  const readSeconds = median(ours);
  const naiveSeconds = median(naive);
  const f: Figures = {
    rows,
    reviews,
    readSeconds,
    reviewsPerSecond: Math.round(rows / readSeconds),
    readCpuSeconds: median(oursCpu),
    reviewsPerCpuSecond: Math.round(rows / median(oursCpu)),
    graphSeconds: median(graph),
    csrSeconds: median(direct),
    naiveSeconds,
    naiveRowsPerSecond: Math.round(rows / naiveSeconds),
    ratioToNaive: Number((naiveSeconds / readSeconds).toFixed(3)),
  };
  if (csvp.length > 0) {
    f.csvParseSeconds = median(csvp);
    f.ratioToCsvParse = Number((f.csvParseSeconds / readSeconds).toFixed(3));
  }
  return f;
}

async function main(): Promise<void> {
  const results: Record<string, Figures> = {};
  for (const input of inputs) {
    const f = await benchOne(input.file, input.kind);
    results[input.name] = f;
    console.log(`${input.name}: ${f.rows} rows -> ${f.reviews} reviews`);
    console.log(`  readInputs     ${(f.readSeconds * 1e3).toFixed(1)} ms   ${f.reviewsPerSecond.toLocaleString('en')} input reviews/s (median of ${runs})`);
    console.log(`  readInputs CPU ${(f.readCpuSeconds * 1e3).toFixed(1)} ms   ${f.reviewsPerCpuSecond.toLocaleString('en')} input reviews per CPU second`);
    console.log(`  naive parse    ${(f.naiveSeconds * 1e3).toFixed(1)} ms   ${f.naiveRowsPerSecond.toLocaleString('en')} rows/s   ours/naive speed = ${f.ratioToNaive}`);
    if (f.csvParseSeconds !== undefined) console.log(`  csv-parse      ${(f.csvParseSeconds * 1e3).toFixed(1)} ms   ours/csv-parse speed = ${f.ratioToCsvParse}`);
    console.log(`  graph build    ${(f.graphSeconds * 1e3).toFixed(1)} ms   (buildShopGraph + toCsr)`);
    console.log(`  CSR build      ${(f.csrSeconds * 1e3).toFixed(1)} ms   (buildShopCsr, as train builds it)`);
  }
  const peakRssMB = Number((process.resourceUsage().maxRSS / 1024).toFixed(1));
  console.log(`peak RSS ${peakRssMB} MB (whole run: read + graph build + references)`);
  console.log(JSON.stringify({ bench: 'ingest', runs, peakRssMB, ...results }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

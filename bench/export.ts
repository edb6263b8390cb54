/**
 * Bench of `graphprof export`: the newest train/refresh run of a database
 * exported in every format, each in its own process so each peak RSS is its
 * own. Figures per format: rows/s, MB/s written, peak RSS.
 *
 * Named references, measured in the same run on the same rows:
 *  - "select": a plain better-sqlite3 `.iterate()` over the same SELECT (every
 *    row and vector read, nothing written) — the floor for time and memory;
 *  - "load-all": the store's readVectors, which holds every vector in memory —
 *    what a non-streaming export would cost in RSS.
 * A streaming export should sit near "select" in RSS whatever the row count.
 *
 *   npm run bench:export -- [DB]   (after `npx tsc -p tsconfig.json`)
 *
 * Without DB a synthetic run is written first: BENCH_ROWS rows (default 60000,
 * 5/6 users with segments, 1/6 products) of BENCH_DIM (default 128) fused dims.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database as DB } from 'better-sqlite3';
import { exportFormats, exportVectors, type ExportFormat } from '../src/export/index.js';
import { NodeType, type Csr } from '../src/graph/csr.js';
import { getRun, writeRun } from '../src/store/runs.js';
import { readVectors } from '../src/store/vectors.js';
import { openDatabase } from '../src/store/store.js';
import { load, peakRssMB, tempDir } from './common.js';

interface ChildResult {
  mode: string;
  sec: number;
  rows: number;
  bytes: number;
  peakRssMB: number;
}

const extensions: Record<ExportFormat, string> = {
  word2vec: 'w2v',
  'word2vec-bin': 'bin',
  npy: 'npy',
  parquet: 'parquet',
  jsonl: 'jsonl',
  csv: 'csv',
  tsv: 'tsv',
};

/** The same rows an export of all fused vectors reads: iterated, vectors touched, nothing kept. */
function selectAll(db: DB, runId: number): { rows: number; bytes: number } {
  const stmt = db
    .prepare(
      `SELECT n.key, n.type, a.segment, v.vector FROM vectors v JOIN nodes n ON n.run_id = v.run_id AND n.idx = v.idx
       LEFT JOIN assignments a ON a.run_id = v.run_id AND a.idx = v.idx
       WHERE v.run_id = ? AND v.kind = 'fused' ORDER BY v.idx`,
    )
    .raw(true);
  let rows = 0;
  let bytes = 0;
  for (const row of stmt.iterate(runId) as Iterable<[string, number, number | null, Buffer]>) {
    rows++;
    bytes += row[3].byteLength;
  }
  return { rows, bytes };
}

async function child(mode: string, dbPath: string, out: string): Promise<void> {
  const db = openDatabase(dbPath, { readonly: true });
  const runId = getRun(db, 'latest', ['train', 'refresh']).id;
  const start = process.hrtime.bigint();
  let rows: number;
  let bytes: number;
  if (mode === 'select') {
    ({ rows, bytes } = selectAll(db, runId));
  } else if (mode === 'load-all') {
    const v = readVectors(db, runId, 'fused');
    rows = v.indices.length;
    bytes = v.data.byteLength;
  } else {
    const r = await exportVectors(db, { run: runId, kind: 'fused', type: 'all', format: mode as ExportFormat, out, force: true });
    rows = r.rows;
    bytes = r.bytes;
  }
  const sec = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  const result: ChildResult = { mode, sec, rows, bytes, peakRssMB: peakRssMB() };
  process.stdout.write(JSON.stringify(result) + '\n');
}

function synthesize(dbPath: string, rows: number, dim: number): void {
  const productEvery = 6;
  const keys: string[] = [];
  const nodeType = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const product = i % productEvery === productEvery - 1;
    nodeType[i] = product ? NodeType.product : NodeType.user;
    keys.push(product ? `product:P${i}` : `user:U${i}`);
  }
  const csr: Csr = { nodeCount: rows, offsets: new Uint32Array(rows + 1), targets: new Uint32Array(0), weights: new Float32Array(0), directed: false, nodeType, keys };
  const data = new Float32Array(rows * dim);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 0.2;
  }
  const users = Uint32Array.from(keys.flatMap((k, i) => (k.startsWith('user:') ? [i] : [])));
  const db = openDatabase(dbPath);
  writeRun(db, {
    kind: 'train',
    inputs: ['synthetic'],
    params: { dim },
    counts: {},
    timings: {},
    csr,
    vectors: [{ kind: 'fused', dim, data }],
    assignments: { indices: users, segment: Int32Array.from(users, (u) => u % 8), distance: new Float32Array(users.length) },
  });
  db.close();
}

function spawnChild(mode: string, dbPath: string, out: string): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [self, '--child', mode, dbPath, out], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

async function main(): Promise<void> {
  const dir = tempDir('graphprof-bench-export-');
  try {
    let dbPath = process.argv[2];
    const synthetic = dbPath === undefined;
    if (synthetic) {
      dbPath = join(dir, 'bench.db');
      synthesize(dbPath, Number(process.env.BENCH_ROWS ?? 60000), Number(process.env.BENCH_DIM ?? 128));
    }
    const loadStart = load();
    const select = spawnChild('select', dbPath!, '');
    const loadAll = spawnChild('load-all', dbPath!, '');
    const formats: Record<string, { rowsPerSec: number; mbPerSec: number; sec: number; peakRssMB: number; bytes: number; vsSelectTime: number }> = {};
    console.log(`graphprof export of ${dbPath}${synthetic ? ' (synthetic)' : ''}: ${select.rows} fused vectors, --type all`);
    console.log(`  reference select:   ${select.sec.toFixed(3)} s, ${Math.round(select.rows / select.sec)} rows/s, peak RSS ${select.peakRssMB} MB`);
    console.log(`  reference load-all: ${loadAll.sec.toFixed(3)} s, peak RSS ${loadAll.peakRssMB} MB (every vector in memory: ${(loadAll.bytes / 2 ** 20).toFixed(1)} MB)`);
    for (const format of exportFormats) {
      const out = join(dir, `out.${extensions[format]}`);
      const r = spawnChild(format, dbPath!, out);
      if (r.rows !== select.rows) throw new Error(`${format}: exported ${r.rows} rows, the select read ${select.rows}`);
      formats[format] = {
        sec: Math.round(r.sec * 1000) / 1000,
        rowsPerSec: Math.round(r.rows / r.sec),
        mbPerSec: Math.round((r.bytes / 2 ** 20 / r.sec) * 10) / 10,
        bytes: r.bytes,
        peakRssMB: r.peakRssMB,
        vsSelectTime: Math.round((r.sec / select.sec) * 10) / 10,
      };
      const f = formats[format]!;
      console.log(
        `  ${format.padEnd(13)} ${f.sec.toFixed(3).padStart(7)} s  ${String(f.rowsPerSec).padStart(8)} rows/s  ${String(f.mbPerSec).padStart(6)} MB/s  ` +
          `peak RSS ${String(f.peakRssMB).padStart(4)} MB (select ${select.peakRssMB}, load-all ${loadAll.peakRssMB})  ${f.vsSelectTime}x select time`,
      );
      rmSync(out, { force: true });
    }
    console.log(
      JSON.stringify({
        db: synthetic ? 'synthetic' : dbPath,
        rows: select.rows,
        vectorMB: Math.round((loadAll.bytes / 2 ** 20) * 10) / 10,
        reference: {
          select: { sec: Math.round(select.sec * 1000) / 1000, rowsPerSec: Math.round(select.rows / select.sec), peakRssMB: select.peakRssMB },
          loadAll: { sec: Math.round(loadAll.sec * 1000) / 1000, peakRssMB: loadAll.peakRssMB },
        },
        formats,
        loadAvg1mStart: loadStart,
        loadAvg1mEnd: load(),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else await main();

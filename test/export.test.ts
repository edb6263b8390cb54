import { tableFromIPC } from 'apache-arrow';
import { parse as parseCsv } from 'csv-parse/sync';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseNpy } from 'npyjs';
import { readParquet } from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as exportCommand } from '../src/cli/export.js';
import { exportFormats, exportPaths, exportVectors, type ExportFormat, type ExportType } from '../src/export/index.js';
import { formatFloat32 } from '../src/export/float-text.js';
import { npyHeader } from '../src/export/binary-formats.js';
import { readWord2Vec } from '../src/export/word2vec.js';
import { NodeType, type Csr } from '../src/graph/csr.js';
import { writeRun } from '../src/store/runs.js';
import { openDatabase } from '../src/store/store.js';
import { AbortedError, GraphprofError } from '../src/util/errors.js';
import { repoRoot } from './helpers/paths.js';
import { runCommand } from './helpers/run-command.js';

/*
 * A small run written directly (no training): 23 users with segments, 11
 * products without, 3 reviews without vectors; 5-d fused and 3-d graph vectors
 * holding awkward float32 values (-0, subnormals, the largest float, values
 * that need 9 digits). No text vectors: a run trained with --text-weight 0.
 * Batches of 7 rows and parquet groups of 5 rows force many batches and groups.
 */
const USERS = 23;
const PRODUCTS = 11;
const DIM = 5;
const small = { batchRows: 7, parquetGroupValues: 5 * DIM };

interface Node {
  key: string;
  type: number;
}
const nodes: Node[] = [];
{
  // Users, products and reviews interleaved, so each --type filter picks non-contiguous rows.
  const reviewAt = new Set([4, 15, 30]);
  let u = 0;
  let p = 0;
  for (let i = 0; i < USERS + PRODUCTS + reviewAt.size; i++) {
    if (reviewAt.has(i)) nodes.push({ key: `review:r${i}`, type: NodeType.review });
    else if ((i % 3 === 1 && p < PRODUCTS) || u === USERS) nodes.push({ key: `product:p${p++}`, type: NodeType.product });
    else nodes.push({ key: `user:u${u++}`, type: NodeType.user });
  }
}
// Ids that CSV must quote and that exercise UTF-8; both are still valid word2vec and tsv ids.
nodes[0]!.key = 'user:o"brien,jr';
nodes[2]!.key = 'user:ünï名';

const awkward = [0.1, -0, 0, 1e-45, -1.17549435e-38, 3.4028234663852886e38, 1 / 3, -2.5, 16777217, 1e-7];
function vectorOf(idx: number, dim: number, salt: number): Float32Array {
  const v = new Float32Array(dim);
  let s = (idx + 1) * 2654435761 + salt;
  for (let k = 0; k < dim; k++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    v[k] = (idx * dim + k) % 4 === 0 ? awkward[(idx + k) % awkward.length]! : (s / 2 ** 32 - 0.5) * 10 ** ((s % 7) - 3);
  }
  return v;
}

const vectorNodes = nodes.map((n, idx) => ({ ...n, idx })).filter((n) => n.type !== NodeType.review);
const segmentOf = (idx: number): number | null => (nodes[idx]!.type === NodeType.user ? idx % 4 : null);

function csrOf(): Csr {
  return {
    nodeCount: nodes.length,
    offsets: new Uint32Array(nodes.length + 1),
    targets: new Uint32Array(0),
    weights: new Float32Array(0),
    directed: false,
    nodeType: Uint8Array.from(nodes.map((n) => n.type)),
    keys: nodes.map((n) => n.key),
  };
}

function vectorSet(kind: 'fused' | 'graph', dim: number, salt: number) {
  const data = new Float32Array(vectorNodes.length * dim);
  vectorNodes.forEach((n, r) => data.set(vectorOf(n.idx, dim, salt), r * dim));
  return { kind, dim, data, indices: Uint32Array.from(vectorNodes.map((n) => n.idx)) };
}

const fused = vectorSet('fused', DIM, 1);
const users = vectorNodes.filter((n) => n.type === NodeType.user);

interface Expected {
  ids: string[];
  types: string[];
  segments: (number | null)[];
  data: Float32Array;
}

function expected(type: ExportType): Expected {
  const rows = vectorNodes.map((n, r) => ({ n, r })).filter(({ n }) => type === 'all' || n.type === NodeType[type]);
  const data = new Float32Array(rows.length * DIM);
  rows.forEach(({ r }, i) => data.set(fused.data.subarray(r * DIM, (r + 1) * DIM), i * DIM));
  return {
    ids: rows.map(({ n }) => (type === 'all' ? n.key : n.key.slice(type.length + 1))),
    types: rows.map(({ n }) => (n.type === NodeType.user ? 'user' : 'product')),
    segments: rows.map(({ n }) => segmentOf(n.idx)),
    data,
  };
}

/** Bit patterns, so -0 vs 0 and every last bit count. */
const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
/** Text -> float32 the way any reader does it: parse to double, round to float32. */
const fromText = (fields: readonly string[]): Float32Array => Float32Array.from(fields.map(Number));

let dir: string;
let dbPath: string;
let runId: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-export-'));
  dbPath = join(dir, 'g.db');
  const db = openDatabase(dbPath);
  runId = writeRun(db, {
    kind: 'train',
    inputs: [],
    params: {},
    counts: {},
    timings: {},
    csr: csrOf(),
    vectors: [fused, vectorSet('graph', 3, 2)],
    assignments: {
      indices: Uint32Array.from(users.map((u) => u.idx)),
      segment: Int32Array.from(users.map((u) => segmentOf(u.idx)!)),
      distance: new Float32Array(users.length),
    },
  });
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(format: ExportFormat, type: ExportType, out: string, extra: Record<string, unknown> = {}) {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return await exportVectors(db, { format, type, kind: 'fused', out, ...small, ...extra });
  } finally {
    db.close();
  }
}

function readTsvRows(path: string): string[][] {
  return readFileSync(path, 'utf8').split('\n').slice(0, -1).map((l) => l.split('\t'));
}

function expectMetadata(path: string, want: Expected): void {
  const rows = readTsvRows(path);
  expect(rows[0]).toEqual(['id', 'type', 'segment']);
  expect(rows.slice(1).map((r) => r[0])).toEqual(want.ids);
  expect(rows.slice(1).map((r) => r[1])).toEqual(want.types);
  expect(rows.slice(1).map((r) => (r[2] === '' ? null : Number(r[2])))).toEqual(want.segments);
}

describe('formatFloat32', () => {
  it('prints the shortest text that reads back to the same float32', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(-0)).toBe('-0');
    expect(formatFloat32(Math.fround(1e-45))).toBe('1.4013e-45');
    expect(formatFloat32(Math.fround(3.4028234663852886e38))).toBe('3.4028235e+38');
    expect(formatFloat32(16777216)).toBe('16777216');
    // Every value of a spread of float32s round-trips.
    const probe = new Float32Array(60000);
    for (let i = 0; i < 20000; i++) probe[i] = Math.sin(i * 12.9898) * 10 ** ((i % 77) - 38);
    for (let i = 20000; i < 40000; i++) probe[i] = Math.sin(i * 78.233) * 0.3;
    // Arbitrary bit patterns: every exponent, subnormals included (NaN and infinities left out).
    const raw = new Uint32Array(probe.buffer, 40000 * 4, 20000);
    let s = 99;
    for (let i = 0; i < raw.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      raw[i] = (s & 0x7f800000) === 0x7f800000 ? s & 0xbfffffff : s;
    }
    const texts = Array.from(probe, (v) => formatFloat32(v));
    expect(bits(Float32Array.from(texts, Number))).toEqual(bits(probe));
    // Never longer than 9 significant digits.
    expect(texts.filter((t) => t.replace(/^-|e.*$|\./g, '').replace(/^0+/, '').length > 9)).toEqual([]);
  });
});

describe('exportVectors', () => {
  it('word2vec text and binary read back exactly (ids without prefix for --type user)', async () => {
    const want = expected('user');
    for (const [format, binary] of [['word2vec', false], ['word2vec-bin', true]] as const) {
      const out = join(dir, `u.${format}`);
      const r = await run(format, 'user', out);
      expect(r).toMatchObject({ runId, rows: USERS, dim: DIM, files: [out] });
      const table = await readWord2Vec(out, { binary });
      expect(table.keys).toEqual(want.ids);
      expect(bits(table.vectors)).toEqual(bits(want.data));
    }
  });

  it('npy is a float32 (rows, dim) array with a 64-byte aligned header, ids.tsv beside it', async () => {
    const out = join(dir, 'all.npy');
    const r = await run('npy', 'all', out);
    const want = expected('all');
    expect(r.files).toEqual([out, join(dir, 'all.ids.tsv')]);
    const bytes = readFileSync(out);
    const headerLen = bytes.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(bytes.toString('latin1', 10, 10 + headerLen)).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(34, 5\), \} *\n$/);
    expect(r.bytes).toBe(bytes.length + readFileSync(r.files[1]!).length);
    const arr = parseNpy(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(arr.dtype).toBe('f4');
    expect(arr.shape).toEqual([USERS + PRODUCTS, DIM]);
    expect(arr.fortranOrder).toBe(false);
    expect(bits(arr.data as Float32Array)).toEqual(bits(want.data));
    expectMetadata(r.files[1]!, want);
    expect(npyHeader(1, 1).length % 64).toBe(0);
  });

  it('parquet reads back with an independent reader (parquet-wasm / arrow-rs): types, nulls, exact floats', async () => {
    const out = join(dir, 'all.parquet');
    await run('parquet', 'all', out);
    const want = expected('all');
    const table = tableFromIPC(readParquet(readFileSync(out)).intoIPCStream());
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`)).toEqual([
      'id:Utf8:false',
      'type:Utf8:false',
      'segment:Int32:true',
      'tags:List<Utf8>:true',
      'vector:List<Float32>:false',
    ]);
    expect(table.numRows).toBe(USERS + PRODUCTS);
    const ids: string[] = [];
    const types: string[] = [];
    const segments: (number | null)[] = [];
    const data = new Float32Array(table.numRows * DIM);
    for (let i = 0; i < table.numRows; i++) {
      const row = table.get(i)!.toJSON() as { id: string; type: string; segment: number | null; vector: { toArray(): Float32Array } };
      ids.push(row.id);
      types.push(row.type);
      segments.push(row.segment);
      data.set(row.vector.toArray(), i * DIM);
    }
    expect(ids).toEqual(want.ids);
    expect(types).toEqual(want.types);
    expect(segments).toEqual(want.segments);
    expect(bits(data)).toEqual(bits(want.data));
  });

  it('jsonl and csv carry id, type, segment and exact vectors (csv quotes where needed)', async () => {
    const want = expected('user');
    const jsonl = join(dir, 'u.jsonl');
    await run('jsonl', 'user', jsonl);
    const objs = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; type: string; segment: number | null; vector: number[] });
    expect(objs.map((o) => o.id)).toEqual(want.ids);
    expect(objs.map((o) => o.type)).toEqual(want.types);
    expect(objs.map((o) => o.segment)).toEqual(want.segments);
    expect(bits(Float32Array.from(objs.flatMap((o) => o.vector)))).toEqual(bits(want.data));

    const csv = join(dir, 'p.csv');
    await run('csv', 'product', csv);
    const wantP = expected('product');
    const rows = parseCsv(readFileSync(csv, 'utf8')) as string[][];
    expect(rows[0]).toEqual(['id', 'type', 'segment', 'v0', 'v1', 'v2', 'v3', 'v4']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(wantP.ids);
    expect(rows.slice(1).every((r) => r[2] === '')).toBe(true);
    expect(bits(fromText(rows.slice(1).flatMap((r) => r.slice(3))))).toEqual(bits(wantP.data));

    const csvAll = join(dir, 'all.csv');
    await run('csv', 'all', csvAll);
    const allRows = parseCsv(readFileSync(csvAll, 'utf8')) as string[][];
    expect(allRows[1]![0]).toBe('user:o"brien,jr');
    expect(allRows.slice(1).map((r) => (r[2] === '' ? null : Number(r[2])))).toEqual(expected('all').segments);
  });

  it('tsv writes the projector pair into a directory or beside a prefix', async () => {
    const want = expected('all');
    const r = await run('tsv', 'all', join(dir, 'proj') + '/');
    expect(r.files).toEqual([join(dir, 'proj', 'vectors.tsv'), join(dir, 'proj', 'metadata.tsv')]);
    const vectors = readTsvRows(r.files[0]!);
    expect(vectors.every((row) => row.length === DIM)).toBe(true);
    expect(bits(fromText(vectors.flat()))).toEqual(bits(want.data));
    expectMetadata(r.files[1]!, want);
    expect(exportPaths('tsv', join(dir, 'emb.tsv'))).toEqual([join(dir, 'emb.vectors.tsv'), join(dir, 'emb.metadata.tsv')]);
  });

  it('every format writes the same rows whatever the batch size', async () => {
    for (const format of exportFormats) {
      const a = await run(format, 'all', join(dir, `b1-${format}.out`), { batchRows: 1, parquetGroupValues: 1 });
      const b = await run(format, 'all', join(dir, `b2-${format}.out`), { batchRows: 1000, parquetGroupValues: 1 << 20 });
      expect(a.rows).toBe(b.rows);
      if (format !== 'parquet') {
        // Parquet's byte layout depends on its row groups; its values are checked above.
        a.files.forEach((f, i) => expect(readFileSync(f).equals(readFileSync(b.files[i]!))).toBe(true));
      }
    }
  });

  it('fails clearly: unknown run, missing vectors, unwritable path, bad ids, cancel — and leaves no file', async () => {
    const db = openDatabase(dbPath, { readonly: true });
    const errs = join(dir, 'errs');
    mkdirSync(errs);
    const attempt = (opts: Record<string, unknown>) =>
      exportVectors(db, { format: 'npy', type: 'user', out: join(errs, 'x.npy'), ...opts } as Parameters<typeof exportVectors>[1]);
    try {
      await expect(attempt({ run: 99 })).rejects.toThrow(/no complete run with id 99/);
      await expect(attempt({ kind: 'text' })).rejects.toThrow(/run \d+ has no text vectors \(it was trained with --text-weight 0/);
      await expect(attempt({ out: join(errs, 'missing', 'x.npy') })).rejects.toThrow(/cannot write .*x\.npy: its directory does not exist/);
      writeFileSync(join(errs, 'file'), '');
      await expect(attempt({ out: join(errs, 'file', 'x.npy') })).rejects.toThrow(/cannot write .*: a parent path is not a directory/);
      await expect(attempt({ format: 'word2vec', out: errs })).rejects.toThrow(/--out .*errs is a directory; name a file/);
      await expect(attempt({ format: 'xml' })).rejects.toThrow(/option "format" is "xml"/);
      const ac = new AbortController();
      ac.abort();
      await expect(attempt({ signal: ac.signal })).rejects.toBeInstanceOf(AbortedError);
      const spaced = openDatabase(join(errs, 's.db'));
      const csr = { ...csrOf(), keys: nodes.map((n, i) => (i === 5 ? `${n.key} two` : n.key)) };
      const id = writeRun(spaced, { kind: 'train', inputs: [], params: {}, counts: {}, timings: {}, csr, vectors: [fused] });
      const err = await exportVectors(spaced, { run: id, format: 'word2vec', type: 'all', out: join(errs, 'w.vec'), batchRows: 2 }).catch((e: unknown) => e);
      spaced.close();
      expect(err).toBeInstanceOf(GraphprofError);
      expect((err as Error).message).toMatch(/id ".* two" cannot be written as word2vec/);
      // Nothing but the fixtures: no output file, no partial file.
      expect(readdirSync(errs).filter((f) => !/^(file|s\.db(-shm|-wal)?)$/.test(f))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('gensim and numpy load the word2vec and npy files bit-exactly (skipped without python3-gensim)', async (ctx) => {
    const python = '/usr/bin/python3';
    const probe = spawnSync(python, ['-c', 'import gensim, numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) ctx.skip(`needs ${python} with gensim and numpy (apt-get install python3-gensim python3-numpy)`);
    const exports = [];
    for (const [format, type] of [['word2vec', 'user'], ['word2vec-bin', 'all'], ['npy', 'product'], ['csv', 'all'], ['jsonl', 'all'], ['tsv', 'user']] as const) {
      const r = await run(format, type, join(dir, `py-${type}.${format}`));
      exports.push({ runId, kind: 'fused', type, format, files: r.files });
    }
    const manifest = join(dir, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ db: dbPath, exports }));
    const py = spawnSync(python, [join(repoRoot, 'bench', 'export_check.py'), manifest], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(py.status).toBe(0);
    expect(JSON.parse(py.stdout.trimEnd().split('\n').at(-1)!)).toMatchObject({ checked: 6, mismatched: 0 });
  });
});

const cli = (args: string[]): Promise<string> => runCommand(exportCommand, args);

describe('graphprof export', () => {
  it('--json prints rows, dim, files and bytes of what it wrote', async () => {
    const out = join(dir, 'cli.npy');
    const printed = JSON.parse(await cli(['export', '--db', dbPath, '--kind', 'graph', '--type', 'product', '--format', 'npy', '--out', out, '--json', '--quiet'])) as Record<string, unknown>;
    const files = [out, join(dir, 'cli.ids.tsv')];
    expect(printed).toMatchObject({ runId, kind: 'graph', type: 'product', format: 'npy', rows: PRODUCTS, dim: 3, files });
    expect(printed.bytes).toBe(files.reduce((n, f) => n + readFileSync(f).length, 0));
  });

  it('prints a summary for people, and refuses an unknown format before touching anything', async () => {
    const out = join(dir, 'cli.jsonl');
    const text = await cli(['export', '--db', dbPath, '--run', String(runId), '--format', 'jsonl', '-o', out, '--quiet']);
    expect(text).toMatch(new RegExp(`^run ${runId}: ${USERS} user fused vectors of ${DIM} dims as jsonl`));
    expect(text).toContain(out);
    await expect(cli(['export', '--db', dbPath, '--format', 'xml', '--out', join(dir, 'x')])).rejects.toThrow(/format/);
    await expect(cli(['export', '--db', dbPath, '--run', 'first', '--format', 'csv', '--out', join(dir, 'x.csv')])).rejects.toThrow(/--run first: expected "latest" or a run id/);
  });
});

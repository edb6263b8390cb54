import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEdgeListCsr } from '../src/graph/build.js';
import { emptyCounts, type EdgeListData, type ReviewRecord } from '../src/ingest/records.js';
import { reviewTableOf } from '../src/ingest/table.js';
import { readRunCsr } from '../src/store/graph.js';
import { getRun, listRuns, readSgnsState, tableCounts, writeRun, type RunWrite } from '../src/store/runs.js';
import { buildShopCsr } from '../src/graph/build.js';
import { NodeType, type NodeTypeCode } from '../src/graph/csr.js';
import { migrations, schemaVersion } from '../src/store/schema.js';
import { readNodeKeysAt, readVectorMatrix, readVectors, rowOfIndex } from '../src/store/vectors.js';
import { DatabaseLockedError, openDatabase } from '../src/store/store.js';
import { toFloat16Bytes } from '../src/store/float16.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const csr = buildEdgeListCsr({
  kind: 'edgelist',
  edges: [
    { src: 'a', dst: 'b', weight: 1 },
    { src: 'b', dst: 'c', weight: 2 },
  ],
  counts: emptyCounts(2),
  files: [],
} satisfies EdgeListData);

const records: ReviewRecord[] = [
  { reviewId: 'r1', userId: 'u1', productId: 'p1', rating: 5, text: 'Great  strings', summary: 's', timestamp: 10, source: { file: 'f', line: 2 } },
  { reviewId: 'r2', userId: 'u1', productId: 'p2', rating: 2, text: '', summary: '', timestamp: 11, source: { file: 'f', line: 3 } },
];
const reviews = reviewTableOf(records);

function sampleRun(extra: Partial<RunWrite> = {}): RunWrite {
  return {
    kind: 'train',
    inputs: ['x.csv'],
    params: { dim: 2 },
    counts: { nodes: { plain: 3 } },
    timings: { read: 0.1 },
    csr,
    reviews,
    vectors: [{ kind: 'graph', dim: 2, data: new Float32Array([1, 2, 3, 4, 5, 6]) }],
    segments: [{ segment: 0, size: 3, centroid: new Float32Array([3, 4]), description: { terms: ['x'] } }],
    assignments: { indices: new Uint32Array([0, 1, 2]), segment: new Int32Array([0, 0, 0]), distance: new Float32Array([1, 0, 1]) },
    textCache: [{ modelId: 'm', entries: [{ hash: 'h', vector: new Float32Array([0.5]) }] }],
    ...extra,
  };
}

function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  const out: Record<string, unknown[]> = {};
  for (const t of ['runs', 'nodes', 'edges', 'texts', 'reviews', 'vectors', 'vector_blocks', 'segments', 'assignments', 'text_cache']) {
    out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all();
  }
  db.close();
  return out;
}

describe('store', () => {
  it('creates the schema at the current version in WAL mode', () => {
    const db = openDatabase(join(dir, 'g.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // Re-opening migrates nothing and keeps the version.
    const again = openDatabase(join(dir, 'g.db'));
    expect(again.pragma('user_version', { simple: true })).toBe(schemaVersion);
    again.close();
  });

  it('writes a complete run and reads it back', () => {
    const db = openDatabase(join(dir, 'g.db'));
    const id = writeRun(db, sampleRun());
    const run = getRun(db, 'latest');
    expect(run.id).toBe(id);
    expect(run.status).toBe('complete');
    expect(run.params).toEqual({ dim: 2 });
    expect(Object.keys(run.timings)).toEqual(['read', 'store']);
    // One block, none of the per-node rows runs wrote before schema 5.
    expect(tableCounts(db)).toMatchObject({ runs: 1, nodes: 3, edges: 2, reviews: 2, texts: 1, vectors: 0, vector_blocks: 1, segments: 1, assignments: 3, text_cache: 1 });
    const all = readVectors(db, id, 'graph');
    expect(Array.from(all.indices)).toEqual([0, 1, 2]);
    expect(Array.from(all.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.keys).toEqual(csr.keys);
    expect(Array.from(all.types)).toEqual(Array.from(csr.nodeType));
    const one = readVectorMatrix(db, id, 'graph', csr.nodeType[1] as NodeTypeCode);
    expect(Array.from(one.data.subarray(rowOfIndex(one, 1) * 2, rowOfIndex(one, 1) * 2 + 2))).toEqual([3, 4]);
    const back = readRunCsr(db, id);
    expect(Array.from(back.targets)).toEqual(Array.from(csr.targets));
    expect(Array.from(back.weights)).toEqual(Array.from(csr.weights));
    expect(back.keys).toEqual(csr.keys);
    const empty = db.prepare(`SELECT text_hash FROM reviews WHERE review_id = 'r2'`).get() as { text_hash: string | null };
    expect(empty.text_hash).toBeNull();
    db.close();
  });

  for (const stage of ['run', 'graph', 'reviews', 'vectors', 'segments', 'cache']) {
    it(`a run that throws after the "${stage}" stage leaves every row as before`, () => {
      const path = join(dir, 'g.db');
      const db = openDatabase(path);
      writeRun(db, sampleRun());
      const before = dump(path);
      expect(() =>
        writeRun(db, sampleRun({ textCache: [{ modelId: 'm2', entries: [{ hash: 'h2', vector: new Float32Array([1]) }] }], onStage: (s) => {
          if (s === stage) throw new Error(`boom at ${s}`);
        } })),
      ).toThrow(`boom at ${stage}`);
      db.close();
      expect(dump(path)).toEqual(before);
      const reopened = openDatabase(path);
      expect(listRuns(reopened).map((r) => r.id)).toEqual([1]);
      // The next run succeeds.
      expect(writeRun(reopened, sampleRun())).toBe(2);
      reopened.close();
    });
  }

  it('a second writer that cannot get the lock fails with a clear message', () => {
    const path = join(dir, 'g.db');
    const first = openDatabase(path);
    first.prepare('BEGIN IMMEDIATE').run();
    const second = openDatabase(path, { busyTimeoutMs: 50 });
    expect(() => writeRun(second, sampleRun())).toThrow(DatabaseLockedError);
    expect(() => writeRun(second, sampleRun())).toThrow(/locked by another graphprof process/);
    first.prepare('ROLLBACK').run();
    expect(writeRun(second, sampleRun())).toBe(1);
    first.close();
    second.close();
  });

  it('stores an untrained-review skip-gram state too large for one row without its review rows, and reads it back with zero rows there', () => {
    const shop = buildShopCsr({ kind: 'shop', reviews, products: new Map(), users: new Map(), counts: emptyCounts(2), files: [] }).csr;
    const dim = 4;
    const values = Float32Array.from({ length: shop.nodeCount * dim }, (_, i) => (i % 7) - 3);
    const db = openDatabase(join(dir, 'state.db'));
    const state = { dim, input: values, output: values.map((v) => v / 2) };
    const small = writeRun(db, sampleRun({ csr: shop, sgnsState: { ...state, reviewsTrained: false } }));
    const lean = writeRun(db, sampleRun({ csr: shop, sgnsState: { ...state, reviewsTrained: false }, stateRowMaxBytes: 0 }));
    const trained = writeRun(db, sampleRun({ csr: shop, sgnsState: { ...state, reviewsTrained: true }, stateRowMaxBytes: 0 }));
    expect(readSgnsState(db, small)?.input).toEqual(values);
    expect(readSgnsState(db, trained)?.output).toEqual(state.output);
    const back = readSgnsState(db, lean)!;
    const nodeCount = (db.prepare('SELECT node_count FROM sgns_state WHERE run_id = ?').pluck().get(lean) as number);
    expect(nodeCount).toBe(Array.from(shop.nodeType).filter((t) => t !== NodeType.review).length);
    for (let v = 0; v < shop.nodeCount; v++) {
      const want = shop.nodeType[v] === NodeType.review ? new Float32Array(dim) : values.subarray(v * dim, (v + 1) * dim);
      expect([v, Array.from(back.input.subarray(v * dim, (v + 1) * dim))]).toEqual([v, Array.from(want)]);
      expect(Array.from(back.output.subarray(v * dim, (v + 1) * dim))).toEqual(Array.from(want, (x) => x / 2));
    }
    db.close();
  });

  it('stores the skip-gram state in blocks of rows and reads it back whole; a one-row state of an older run still reads', () => {
    const shop = buildShopCsr({ kind: 'shop', reviews, products: new Map(), users: new Map(), counts: emptyCounts(2), files: [] }).csr;
    const dim = 4;
    // Values float16 holds exactly, so the round trip is exact.
    const input = Float32Array.from({ length: shop.nodeCount * dim }, (_, i) => (i % 11) - 5);
    const output = input.map((v) => v / 4);
    const db = openDatabase(join(dir, 'blocks.db'));
    // 3 rows of 4 float16 values per block: several blocks, the last one short.
    const id = writeRun(db, sampleRun({ csr: shop, sgnsState: { dim, input, output, reviewsTrained: true }, stateBlockBytes: 3 * dim * 2 }));
    const blocks = db.prepare('SELECT rows FROM sgns_state_blocks WHERE run_id = ? ORDER BY block').pluck().all(id) as number[];
    expect(blocks.length).toBe(Math.ceil(shop.nodeCount / 3));
    expect(blocks.reduce((a, b) => a + b, 0)).toBe(shop.nodeCount);
    const back = readSgnsState(db, id)!;
    expect(back.input).toEqual(input);
    expect(back.output).toEqual(output);
    // A run written before schema 6: its blobs in the header row, no blocks.
    const legacy = writeRun(db, sampleRun({ csr: shop }));
    db.prepare('INSERT INTO sgns_state (run_id, dim, node_count, input, output) VALUES (?, ?, ?, ?, ?)').run(legacy, dim, shop.nodeCount, toFloat16Bytes(input), toFloat16Bytes(output));
    expect(readSgnsState(db, legacy)?.output).toEqual(output);
    // A header whose blocks do not add up is an error that says so, not a state padded with zeros.
    db.prepare('DELETE FROM sgns_state_blocks WHERE run_id = ? AND block = 0').run(id);
    expect(() => readSgnsState(db, id)).toThrow(/state rows in blocks, its header says/);
    db.close();
  });

  it('refuses to read a database that does not exist', () => {
    expect(() => openDatabase(join(dir, 'none.db'), { readonly: true })).toThrow(/no such database/);
  });
});

describe('vector blocks', () => {
  let dir2: string;
  beforeEach(() => (dir2 = mkdtempSync(join(tmpdir(), 'graphprof-blocks-'))));
  afterEach(() => rmSync(dir2, { recursive: true, force: true }));

  // Users and products of a shop interleave in CSR order; the sets arrive per type, unsorted, split in two.
  const shop = buildShopCsr({
    kind: 'shop',
    reviews: reviewTableOf([
      { ...records[0]!, reviewId: 'a', userId: 'u1', productId: 'p1' },
      { ...records[0]!, reviewId: 'b', userId: 'u2', productId: 'p2' },
      { ...records[0]!, reviewId: 'c', userId: 'u3', productId: 'p1' },
    ]),
    products: new Map(),
    users: new Map(),
    counts: emptyCounts(3),
    files: [],
  }).csr;
  const usersOf = (t: number): number[] => Array.from(shop.nodeType.keys()).filter((v) => shop.nodeType[v] === t);

  it('reads every type in CSR order, one type alone, keys only where asked, and the rows an older run stored', () => {
    const db = openDatabase(join(dir2, 'b.db'));
    const users = usersOf(NodeType.user);
    const products = usersOf(NodeType.product);
    const row = (v: number): number[] => [v, -v];
    const set = (nodes: number[]) => ({ kind: 'fused' as const, dim: 2, data: Float32Array.from(nodes.flatMap(row)), indices: Uint32Array.from(nodes), flags: Uint8Array.from(nodes, (v) => v % 2) });
    const id = writeRun(db, { kind: 'train', inputs: [], params: {}, counts: {}, timings: {}, csr: shop, vectors: [set([users[2], users[0]]), set(products), set([users[1]])] });
    const all = readVectors(db, id, 'fused');
    const nodes = [...users, ...products].sort((a, b) => a - b);
    expect(Array.from(all.indices)).toEqual(nodes);
    expect(Array.from(all.data)).toEqual(nodes.flatMap(row));
    expect(Array.from(all.flags)).toEqual(nodes.map((v) => v % 2));
    expect(all.keys).toEqual(nodes.map((v) => shop.keys[v]));
    const u = readVectorMatrix(db, id, 'fused', NodeType.user);
    expect(Array.from(u.indices)).toEqual(users);
    expect(Array.from(u.data)).toEqual(users.flatMap(row));
    expect(readNodeKeysAt(db, id, [users[1]])).toEqual([shop.keys[users[1]]]);
    expect(readVectorMatrix(db, id, 'text').indices.length).toBe(0);
    // A run written before schema 5: a row per node in the vectors table, read the same way.
    const old = writeRun(db, { kind: 'train', inputs: [], params: {}, counts: {}, timings: {}, csr: shop });
    const put = db.prepare('INSERT INTO vectors (run_id, kind, idx, dim, flags, vector) VALUES (?, ?, ?, ?, ?, ?)');
    for (const v of [...products, ...users]) put.run(old, 'fused', v, 2, v % 2, Buffer.from(Float32Array.from(row(v)).buffer));
    const back = readVectors(db, old, 'fused');
    expect(Array.from(back.indices)).toEqual(Array.from(all.indices));
    expect(Array.from(back.data)).toEqual(Array.from(all.data));
    expect(back.keys).toEqual(all.keys);
    expect(Array.from(readVectorMatrix(db, old, 'fused', NodeType.product).indices)).toEqual(products);
    db.close();
  });

  it('refuses two vectors of one node and vectors without the graph', () => {
    const db = openDatabase(join(dir2, 'c.db'));
    const twice = { kind: 'graph' as const, dim: 1, data: new Float32Array([1, 2]), indices: new Uint32Array([0, 0]) };
    expect(() => writeRun(db, { kind: 'train', inputs: [], params: {}, counts: {}, timings: {}, csr: shop, vectors: [twice] })).toThrow(/two graph vectors of node 0/);
    expect(() => writeRun(db, { kind: 'train', inputs: [], params: {}, counts: {}, timings: {}, vectors: [twice] })).toThrow(/need the run's graph/);
    expect(listRuns(db)).toEqual([]);
    db.close();
  });
});

describe('a database of schema 4 (vectors as a row per node)', () => {
  let dir3: string;
  beforeEach(() => (dir3 = mkdtempSync(join(tmpdir(), 'graphprof-schema4-'))));
  afterEach(() => rmSync(dir3, { recursive: true, force: true }));

  it('is read as it is when opened read-only, and upgraded in place with its rows kept', () => {
    const path = join(dir3, 'old.db');
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL');
    for (const m of migrations.slice(0, 4)) raw.exec(m);
    raw.pragma('user_version = 4');
    raw.prepare(`INSERT INTO runs (id, kind, status, created_at, inputs, params, counts, timings) VALUES (1, 'train', 'complete', 'then', '[]', '{}', '{}', '{}')`).run();
    const node = raw.prepare('INSERT INTO nodes (run_id, idx, key, type, degree) VALUES (1, ?, ?, ?, 1)');
    const vec = raw.prepare(`INSERT INTO vectors (run_id, kind, idx, dim, flags, vector) VALUES (1, 'fused', ?, 2, 0, ?)`);
    ['user:a', 'product:x', 'user:b'].forEach((key, idx) => {
      node.run(idx, key, key.startsWith('user') ? NodeType.user : NodeType.product);
      vec.run(idx, Buffer.from(new Float32Array([idx, idx + 0.5]).buffer));
    });
    raw.close();
    const check = (db: ReturnType<typeof openDatabase>): void => {
      const users = readVectorMatrix(db, 1, 'fused', NodeType.user);
      expect(Array.from(users.indices)).toEqual([0, 2]);
      expect(Array.from(users.data)).toEqual([0, 0.5, 2, 2.5]);
      expect(readVectors(db, 1, 'fused').keys).toEqual(['user:a', 'product:x', 'user:b']);
    };
    const ro = openDatabase(path, { readonly: true });
    expect(ro.pragma('user_version', { simple: true })).toBe(4);
    check(ro);
    ro.close();
    const rw = openDatabase(path);
    expect(rw.pragma('user_version', { simple: true })).toBe(schemaVersion);
    check(rw);
    rw.close();
  });
});

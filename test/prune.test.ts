/**
 * A database that does not grow without bound: `runs --delete` / `--keep-last`
 * remove a run with every row only it used and give the space back, the
 * skip-gram state is stored in half precision, and the WAL does not keep a
 * second copy of the last run.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { buildEdgeListCsr } from '../src/graph/build.js';
import { emptyCounts, type ReviewRecord } from '../src/ingest/records.js';
import { reviewTableOf } from '../src/ingest/table.js';
import { deleteRuns, fileBytes, runsBeyond, tableBytes } from '../src/store/prune.js';
import { hashText, listRuns, readSgnsState, tableCounts, writeRun, type RunWrite } from '../src/store/runs.js';
import { openDatabase } from '../src/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'graphprof-prune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nodes = 400;
const dim = 64;
const csr = buildEdgeListCsr({
  kind: 'edgelist',
  edges: Array.from({ length: nodes - 1 }, (_, i) => ({ src: `n${i}`, dst: `n${i + 1}`, weight: 1 })),
  counts: emptyCounts(),
  files: [],
});

/** A run of `n` reviews whose texts are `text0`.., the first `shared` of them shared with every other run. */
function run(tag: string, n: number, shared: number, parent?: number): RunWrite {
  const reviews: ReviewRecord[] = Array.from({ length: n }, (_, i) => ({
    reviewId: `${tag}-${i}`,
    userId: `u${i % 10}`,
    productId: `p${i % 7}`,
    rating: 4,
    text: i < shared ? `shared text ${i}` : `text ${tag} ${i} ${'x'.repeat(200)}`,
    summary: '',
    timestamp: i,
    source: { file: 'f', line: i + 2 },
  }));
  const state = Float32Array.from({ length: nodes * dim }, (_, i) => Math.sin(i));
  return {
    kind: parent ? 'refresh' : 'train',
    parentRunId: parent,
    inputs: [`${tag}.csv`],
    params: {},
    counts: { reviews: n },
    timings: {},
    csr,
    reviews: reviewTableOf(reviews),
    products: [{ productId: 'p0', title: `Title ${tag}`, categories: [], brand: '', price: null }],
    vectors: [{ kind: 'graph', dim, data: state.slice(0, nodes * dim) }],
    textCache: [{ modelId: 'm', entries: [...reviews.map((r) => ({ hash: hashText(r.text), vector: new Float32Array(32) })), { hash: hashText(`Title ${tag}`), vector: new Float32Array(32) }] }],
    sgnsState: { dim, input: state, output: state },
  };
}

describe('a bounded database', () => {
  it('stores the skip-gram state in half precision and reads it back to within float16 rounding', () => {
    const db = openDatabase(join(dir, 'state.db'));
    const id = writeRun(db, run('a', 10, 0));
    const back = readSgnsState(db, id)!;
    const want = Float32Array.from({ length: nodes * dim }, (_, i) => Math.sin(i));
    expect(back.input.length).toBe(want.length);
    for (let i = 0; i < want.length; i += 97) expect(Math.abs(back.input[i] - want[i])).toBeLessThanOrEqual(2 ** -11);
    // The rows are in the blocks table (sgns_state holds only their header); allow it a root page and its key's index page.
    const bytes = tableBytes(db).find((t) => t.table === 'sgns_state_blocks')!.bytes;
    expect(bytes).toBeLessThan(2 * nodes * dim * 4 * 0.6 + 2 * (db.pragma('page_size', { simple: true }) as number));
    // The WAL holds no second copy of the run once it is written.
    expect(statSync(join(dir, 'state.db-wal')).size).toBe(0);
    db.close();
  });

  it('--keep-last deletes older runs with what only they used, keeps what the rest use, and shrinks the file', () => {
    const path = join(dir, 'keep.db');
    const db = openDatabase(path);
    const first = writeRun(db, run('a', 300, 20));
    const second = writeRun(db, run('b', 300, 20, first));
    writeRun(db, run('c', 300, 20, second));
    const before = fileBytes(path);
    expect(runsBeyond(db, 2)).toEqual([first]);
    const r = deleteRuns(db, runsBeyond(db, 2));
    expect(r.deleted).toEqual([first]);
    expect(r.bytesBefore).toBe(before);
    expect(r.bytesAfter).toBeLessThan(before * 0.8);
    expect(listRuns(db).map((x) => [x.id, x.parentRunId])).toEqual([[second, null], [second + 1, second]]);
    const counts = tableCounts(db);
    expect(counts).toMatchObject({ runs: 2, reviews: 600, sgns_state: 2 });
    // Texts and cached vectors of run a alone are gone; shared ones and the kept runs' titles stay.
    expect(counts.texts).toBe(20 + 2 * 280);
    expect(counts.text_cache).toBe(20 + 2 * 280 + 2);
    db.close();
  });

  it('makes new files with 16 KB pages, and converts an older 4 KB-page file when it compacts it', () => {
    const fresh = openDatabase(join(dir, 'fresh.db'));
    expect(fresh.pragma('page_size', { simple: true })).toBe(16384);
    fresh.close();
    const path = join(dir, 'old-pages.db');
    const old = new Database(path);
    old.pragma('page_size = 4096');
    old.exec('CREATE TABLE placeholder (x); DROP TABLE placeholder;');
    old.close();
    const db = openDatabase(path);
    writeRun(db, run('a', 100, 0));
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    deleteRuns(db, []);
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(listRuns(db)).toHaveLength(1);
    db.close();
  });

  it('graphprof runs --delete refuses an unknown run, deletes a known one and prints the space', async () => {
    const path = join(dir, 'cli.db');
    const db = openDatabase(path);
    writeRun(db, run('a', 50, 0));
    writeRun(db, run('b', 50, 0));
    db.close();
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stdout.write;
    process.stderr.write = ((c: string) => (out.push(String(c)), true)) as typeof process.stderr.write;
    let unknown: number;
    let known: number;
    try {
      unknown = await main(['runs', '--db', path, '--delete', '9']);
      known = await main(['runs', '--db', path, '--delete', '1', '--space', '--json']);
    } finally {
      process.stdout.write = write;
      process.stderr.write = err;
    }
    expect(unknown).toBe(2);
    expect(out.join('')).toContain('no complete run with id 9');
    expect(known).toBe(0);
    const json = JSON.parse(out.join('').slice(out.join('').indexOf('{'))) as { runs: { id: number }[]; pruned: { deleted: number[] }; space: { bytesPerReview: number; tables: { table: string }[] } };
    expect(json.runs.map((x) => x.id)).toEqual([2]);
    expect(json.pruned.deleted).toEqual([1]);
    expect(json.space.bytesPerReview).toBeGreaterThan(0);
    expect(json.space.tables.map((t) => t.table)).toContain('sgns_state');
  });
});

/**
 * Issue 16 items 3, 4 and 5, with real processes: writers are serialised (no
 * lost update when two refreshes, or a refresh and a train, run at once; no
 * failure when processes create one database at once), the write lock is
 * tried before any work, and a Ctrl-C in any phase of any write command exits
 * 130 with nothing stored.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrain } from '../src/jobs/train.js';
import { listRuns, type RunInfo } from '../src/store/runs.js';
import { readRunShop } from '../src/store/shop.js';
import { openDatabase } from '../src/store/store.js';
import { repoRoot } from './helpers/paths.js';
import { quickTrain, quickTrainFlags, tinyShopCsv, writeTinyShop } from './helpers/tiny-shop.js';

const cli = join(repoRoot, 'bin', 'graphprof.js');
const helpers = join(repoRoot, 'test', 'helpers');
const built = existsSync(join(repoRoot, 'dist', 'src', 'cli', 'main.js'));
let dir: string;
let base: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-fault-'));
  base = writeTinyShop(dir, 'base.csv');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], script = cli): { proc: ChildProcess; done: Promise<Finished> } {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = once(proc, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null, stdout, stderr }));
  return { proc, done };
}

async function trainedDatabase(name: string): Promise<string> {
  const path = join(dir, name);
  const db = openDatabase(path);
  await runTrain(db, { files: [base], ...quickTrain });
  db.close();
  return path;
}

function runsOf(path: string): RunInfo[] {
  const db = openDatabase(path, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return listRuns(db);
  } finally {
    db.close();
  }
}

function reviewCount(path: string, runId: number): number {
  const db = openDatabase(path, { readonly: true });
  try {
    return readRunShop(db, runId).reviews.count;
  } finally {
    db.close();
  }
}

/** Resolves once `file` exists (polling). */
async function appears(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((r) => setTimeout(r, 10));
}

describe.skipIf(!built)('serialised writers (needs the build)', () => {
  it('three processes creating the same new databases at once never fail', { timeout: 60_000 }, async () => {
    const count = 30;
    const at = Date.now() + 1500;
    const kids = [0, 1, 2].map(() => start([dir, String(count), String(at), '25'], join(helpers, 'create-child.mjs')));
    const results = await Promise.all(kids.map((k) => k.done));
    const failures = results.flatMap((r) => (r.code === 0 ? (JSON.parse(r.stdout) as string[]) : [r.stderr]));
    expect(failures).toEqual([]);
  });

  it('two refreshes at once: each builds on the other or fails with exit 5, never on the same parent', { timeout: 60_000 }, async () => {
    const path = await trainedDatabase('two-refreshes.db');
    const a = writeTinyShop(dir, 'day-a.csv', { perUser: 1, first: 2000 });
    const b = writeTinyShop(dir, 'day-b.csv', { perUser: 1, first: 3000 });
    const kids = [a, b].map((f) => start(['refresh', '-i', f, '--db', path, '--quiet', '--threads', '1']));
    const results = await Promise.all(kids.map((k) => k.done));
    for (const r of results) expect([0, 5], r.stderr).toContain(r.code);
    const runs = runsOf(path);
    const refreshes = runs.filter((r) => r.kind === 'refresh');
    expect(refreshes).toHaveLength(results.filter((r) => r.code === 0).length);
    // A chain: every refresh's parent is the run before it.
    refreshes.forEach((r, i) => expect(r.parentRunId).toBe(i === 0 ? runs[0].id : refreshes[i - 1].id));
    const newest = runs[runs.length - 1];
    expect(reviewCount(path, newest.id)).toBe(120 + 30 * refreshes.length);
  });

  it('a refresh during a train builds on the train\'s run (or fails with exit 5)', { timeout: 60_000 }, async () => {
    const path = await trainedDatabase('train-and-refresh.db');
    const more = writeTinyShop(dir, 'more.csv', { users: 200, perUser: 6, products: 40, first: 5000 });
    const slow = ['--text-weight', '0', '--dim', '16', '--walks', '20', '--walk-length', '40', '--epochs', '3', '--threads', '1', '--clusters', '3', '--quiet'];
    const train = start(['train', '-i', base, more, '--db', path, ...slow]);
    await appears(`${path}-wal`);
    const refresh = start(['refresh', '-i', writeTinyShop(dir, 'day-c.csv', { perUser: 1, first: 4000 }), '--db', path, '--quiet', '--threads', '1']);
    const [t, r] = await Promise.all([train.done, refresh.done]);
    expect(t.code, t.stderr).toBe(0);
    expect([0, 5], r.stderr).toContain(r.code);
    const runs = runsOf(path);
    expect(runs.map((x) => x.kind)).toEqual(r.code === 0 ? ['train', 'train', 'refresh'] : ['train', 'train']);
    if (r.code === 0) expect(runs[2].parentRunId).toBe(runs[1].id);
  });

  it('the write lock is tried before any work: a locked database fails with exit 5 before the input is even read', { timeout: 60_000 }, async () => {
    const path = join(dir, 'locked.db');
    const holder = start([path, 'graph'], join(helpers, 'crash-child.mjs'));
    await new Promise<void>((resolve) => holder.proc.stdout?.on('data', (d: Buffer) => d.toString().includes('stage graph') && resolve()));
    // A bad row at line 2: reading the input first would fail with exit 3.
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'user_id,product_id,rating\nu1,,5\n');
    const r = await start(['train', '-i', bad, '--db', path, '--quiet']).done;
    holder.proc.kill('SIGKILL');
    await holder.done;
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/locked by another graphprof process/);
  });
});

describe.skipIf(!built)('Ctrl-C in every phase (needs the build)', () => {
  it('a SIGINT at the start of walks or skip-gram, or at any stage of the store, exits 130 and stores nothing', { timeout: 90_000 }, async () => {
    const path = await trainedDatabase('interrupted.db');
    // Walks are streamed into skip-gram (one phase); the learned fusion trains twice, a validation pass first.
    for (const point of ['phase:validation skip-gram', 'phase:skip-gram', 'store:run', 'store:vectors', 'store:complete']) {
      const r = await start([path, base, point], join(helpers, 'signal-child.mjs')).done;
      expect([point, r.stdout.trim()], r.stderr).toEqual([point, JSON.stringify({ code: 130 })]);
      expect(runsOf(path)).toHaveLength(1);
    }
  });

  it('ingest, train, refresh and eval exit 130 on Ctrl-C and store nothing', { timeout: 90_000 }, async () => {
    const path = await trainedDatabase('ctrl-c.db');
    // Several times a pipe's buffer: the first part is written only once the command is reading it, so its handler is installed.
    const input = Buffer.from(tinyShopCsv({ users: 2000, perUser: 4, products: 50, first: 6000 }));
    const cut = input.length - 1000;
    const commands: string[][] = [
      ['ingest'],
      ['train', ...quickTrainFlags],
      ['refresh', '--threads', '1'],
      ['eval', ...quickTrainFlags],
    ];
    for (const args of commands) {
      const kid = start([...args, '-i', '-', '--db', path, '--quiet']);
      await new Promise<void>((resolve, reject) => kid.proc.stdin?.write(input.subarray(0, cut), (err) => (err ? reject(err) : resolve())));
      kid.proc.kill('SIGINT');
      kid.proc.stdin?.end(input.subarray(cut));
      const r = await kid.done;
      expect([args[0], r.code, r.signal], r.stderr).toEqual([args[0], 130, null]);
      expect(r.stderr).toMatch(/cancelled/);
      expect(runsOf(path)).toHaveLength(1);
    }
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRuns, tableCounts, writeRun } from '../src/store/runs.js';
import { DatabaseLockedError, openDatabase } from '../src/store/store.js';
import { repoRoot } from './helpers/paths.js';

const child = join(repoRoot, 'test', 'helpers', 'crash-child.mjs');
const cli = join(repoRoot, 'bin', 'graphprof.js');
const built = existsSync(join(repoRoot, 'dist', 'src', 'store', 'runs.js'));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-crash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves when the child prints `line`. */
function waitFor(proc: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').includes(line)) resolve();
    });
    proc.on('exit', () => reject(new Error(`child exited before "${line}": ${out}`)));
  });
}

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.on('exit', () => resolve())));
}

function completeRuns(path: string): number[] {
  const db = openDatabase(path);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return listRuns(db).map((r) => r.id);
  } finally {
    db.close();
  }
}

describe.skipIf(!built)('crash safety (needs the build: npm install / npm run build)', () => {
  it('SIGKILL in the middle of every stage of the write leaves earlier runs intact and no partial run', { timeout: 300_000 }, async () => {
    const path = join(dir, 'stages.db');
    const first = spawn(process.execPath, [child, path]);
    await waitFor(first, 'done');
    await exited(first);
    expect(completeRuns(path)).toEqual([1]);
    for (const stage of ['run', 'graph', 'reviews', 'vectors', 'segments', 'cache', 'complete']) {
      const proc = spawn(process.execPath, [child, path, stage]);
      await waitFor(proc, `stage ${stage}`);
      proc.kill('SIGKILL');
      await exited(proc);
      expect(completeRuns(path)).toEqual([1]);
      const db = openDatabase(path);
      const counts = tableCounts(db);
      expect(counts.runs).toBe(1);
      expect(counts.nodes).toBe(2000);
      db.close();
    }
    // The next run succeeds.
    const last = spawn(process.execPath, [child, path]);
    await waitFor(last, 'done');
    expect(completeRuns(path)).toEqual([1, 2]);
  });

  it('SIGKILL of a real `graphprof train` at several moments never leaves a partial run', { timeout: 300_000 }, async () => {
    const path = join(dir, 'train.db');
    const args = [cli, 'train', '-i', join(repoRoot, 'data/sample/reviews.csv'), join(repoRoot, 'data/sample/products.csv'), '--db', path, '--quiet', '--walks', '2', '--threads', '2', '--clusters', '5'];
    for (const ms of [300, 1500, 4000]) {
      const proc = spawn(process.execPath, args, { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, ms));
      proc.kill('SIGKILL');
      await exited(proc);
      if (existsSync(path)) expect(completeRuns(path)).toEqual([]);
    }
    const ok = spawn(process.execPath, args, { stdio: 'ignore' });
    await exited(ok);
    expect(ok.exitCode).toBe(0);
    expect(completeRuns(path)).toEqual([1]);
  });

  it('a second process writing while another holds the lock fails with a clear message, corrupting nothing', async () => {
    const path = join(dir, 'lock.db');
    const holder = spawn(process.execPath, [child, path, 'graph']);
    await waitFor(holder, 'stage graph'); // inside its IMMEDIATE transaction
    const db = openDatabase(path, { busyTimeoutMs: 200 });
    expect(() => writeRun(db, { kind: 'train', inputs: [], params: {}, counts: {}, timings: {} })).toThrow(DatabaseLockedError);
    holder.kill('SIGKILL');
    await exited(holder);
    expect(writeRun(db, { kind: 'train', inputs: [], params: {}, counts: {}, timings: {} })).toBe(1);
    db.close();
    expect(completeRuns(path)).toEqual([1]);
  });
});

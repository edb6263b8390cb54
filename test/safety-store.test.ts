/**
 * Issue 16 items 2 and 8: a pseudonymised database stays pseudonymised with
 * one key (it keeps a fingerprint of the key, never the key), and the read
 * commands work on a database in a directory nobody may write.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as exportCommand } from '../src/cli/export.js';
import { command as runsCommand } from '../src/cli/runs.js';
import { command as segmentsCommand } from '../src/cli/segments.js';
import { command as train } from '../src/cli/train.js';
import { runIngest } from '../src/jobs/ingest.js';
import { runRefresh } from '../src/jobs/refresh.js';
import { runTrain } from '../src/jobs/train.js';
import { readRunShop } from '../src/store/shop.js';
import { listRuns } from '../src/store/runs.js';
import { openDatabase } from '../src/store/store.js';
import { GraphprofError } from '../src/util/errors.js';
import { pseudonymizer } from '../src/util/pseudonym.js';
import { runCommand } from './helpers/run-command.js';
import { quickTrain, writeTinyShop } from './helpers/tiny-shop.js';

let dir: string;
let reviews: string;
let later: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-safety-store-'));
  reviews = writeTinyShop(dir, 'reviews.csv');
  // New reviews by the same users, for refreshes.
  later = writeTinyShop(dir, 'later.csv', { perUser: 1, first: 1000 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, byte: number): string {
  const p = join(dir, name);
  writeFileSync(p, Buffer.alloc(32, byte));
  return p;
}

async function rejection(p: Promise<unknown>): Promise<GraphprofError> {
  const err = await p.then(
    () => new Error('succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GraphprofError);
  return err as GraphprofError;
}

describe('pseudonyms that stick', () => {
  it('--pseudonymize without a key file is a usage error, also when another flag follows', async () => {
    for (const args of [['--pseudonymize'], ['--pseudonymize', '--skip-invalid']]) {
      const e = await rejection(runCommand(train, ['train', '-i', reviews, '--db', join(dir, 'never.db'), ...args]));
      expect(e.exitCode).toBe(2);
      expect(e.message).toMatch(/--pseudonymize needs a key file/);
    }
    // The command line is checked before the handler opens the database: not even a file is made.
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });

  it('a pseudonymised database refuses writes without the key or with another key, and keeps no key', async () => {
    const path = join(dir, 'pseudo.db');
    const keyA = keyFile('a.key', 0xa1);
    const keyB = keyFile('b.key', 0xb2);
    const db = openDatabase(path);
    try {
      const first = await runTrain(db, { files: [reviews], ...quickTrain, pseudonymize: pseudonymizer(keyA) });
      const noKey = await rejection(runRefresh(db, { files: [later], threads: 1 }));
      expect(noKey.exitCode).toBe(2);
      expect(noKey.message).toMatch(/pseudonymised.*pass the same key file with --pseudonymize/);
      const otherKey = await rejection(runRefresh(db, { files: [later], threads: 1, pseudonymize: pseudonymizer(keyB) }));
      expect(otherKey.exitCode).toBe(2);
      expect(otherKey.message).toMatch(/not the key this database was pseudonymised with/);
      const rawTrain = await rejection(runTrain(db, { files: [reviews], ...quickTrain }));
      expect(rawTrain.exitCode).toBe(2);
      const rawIngest = await rejection(runIngest(db, { files: [reviews] }));
      expect(rawIngest.exitCode).toBe(2);
      expect(listRuns(db).map((r) => r.id)).toEqual([first.runId]);
      // The right key works, and returning users stay one user each.
      const refreshed = await runRefresh(db, { files: [later], threads: 1, pseudonymize: pseudonymizer(keyA) });
      expect(refreshed.users).toBe(first.users);
      const shop = readRunShop(db, refreshed.runId).reviews;
      const users = new Set(Array.from(shop.user, (u) => shop.userKeys[u]!));
      expect(users.size).toBe(first.users);
      expect([...users].every((u) => /^u[0-9a-f]{24}$/.test(u))).toBe(true);
    } finally {
      db.close();
    }
    const bytes = readFileSync(path);
    for (const key of [keyA, keyB]) {
      const k = readFileSync(key);
      for (const form of [k, Buffer.from(k.toString('hex')), Buffer.from(k.toString('base64'))]) expect(bytes.includes(form)).toBe(false);
    }
  });

  it('a database of raw ids refuses a pseudonymised write', async () => {
    const db = openDatabase(join(dir, 'raw.db'));
    try {
      await runTrain(db, { files: [reviews], ...quickTrain });
      const e = await rejection(runRefresh(db, { files: [later], threads: 1, pseudonymize: pseudonymizer(keyFile('c.key', 0xc3)) }));
      expect(e.exitCode).toBe(2);
      expect(e.message).toMatch(/holds raw user ids/);
      expect(listRuns(db)).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});

/**
 * Makes `d` a directory no process may create files in, root included: chattr +i
 * where the file system allows it, else plain permissions for a non-root user.
 * Returns how to undo it, or null when neither works here.
 */
function readOnlyDirectory(d: string): (() => void) | null {
  const probe = (): boolean => {
    try {
      writeFileSync(join(d, '.probe'), '');
      rmSync(join(d, '.probe'));
      return false;
    } catch {
      return true;
    }
  };
  if (spawnSync('chattr', ['+i', d]).status === 0) {
    if (probe()) return () => spawnSync('chattr', ['-i', d]);
    spawnSync('chattr', ['-i', d]);
  }
  chmodSync(d, 0o555);
  if (probe()) return () => chmodSync(d, 0o755);
  chmodSync(d, 0o755);
  return null;
}

describe('read-only databases', () => {
  const ro = (): string => join(dir, 'read-only');
  let undo: (() => void) | null = null;
  beforeAll(async () => {
    const source = join(dir, 'for-ro.db');
    const db = openDatabase(source);
    await runTrain(db, { files: [reviews], ...quickTrain });
    db.close();
    mkdirSync(ro());
    copyFileSync(source, join(ro(), 'shop.db'));
    undo = readOnlyDirectory(ro());
  });
  afterAll(() => undo?.());

  it('runs, segments and export read a database in a directory they cannot write, and write nothing there', async (ctx) => {
    if (undo === null) ctx.skip();
    const path = join(ro(), 'shop.db');
    const runs = JSON.parse(await runCommand(runsCommand, ['runs', '--db', path, '--json'])) as { kind: string }[];
    expect(runs.map((r) => r.kind)).toEqual(['train']);
    expect(await runCommand(segmentsCommand, ['segments', '--db', path])).toMatch(/segment/);
    const out = join(dir, 'from-ro.csv');
    await runCommand(exportCommand, ['export', '--db', path, '--format', 'csv', '--out', out, '--quiet']);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^id,/);
    expect(readdirSync(ro())).toEqual(['shop.db']);
  });

  it('a write command that cannot write says which path and why (exit 2)', async (ctx) => {
    if (undo === null) ctx.skip();
    for (const path of [join(ro(), 'shop.db'), join(ro(), 'new.db')]) {
      const e = await rejection(runCommand(train, ['train', '-i', reviews, '--db', path, '--text-weight', '0', '--quiet']));
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain(path);
      expect(e.message).toMatch(/cannot write .*the directory .*read-only is not writable/);
    }
    expect(readdirSync(ro())).toEqual(['shop.db']);
  });
});

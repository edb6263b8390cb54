/**
 * Issue 16 item 1: no command writes its output over the database (or its
 * -wal/-shm), over an input file or into a directory; an export does not
 * replace an existing file without --force and clears the partial files an
 * interrupted export left.
 */
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as embedGraph } from '../src/cli/embed-graph.js';
import { command as exportCommand } from '../src/cli/export.js';
import { command as report } from '../src/cli/report.js';
import { command as sample } from '../src/cli/sample.js';
import { runTrain } from '../src/jobs/train.js';
import { listRuns } from '../src/store/runs.js';
import { openDatabase } from '../src/store/store.js';
import { GraphprofError } from '../src/util/errors.js';
import { runCommand } from './helpers/run-command.js';
import { quickTrain, writeTinyShop } from './helpers/tiny-shop.js';

let dir: string;
let dbPath: string;
let dbBytes: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-safety-out-'));
  dbPath = join(dir, 'shop.db');
  const reviews = writeTinyShop(dir);
  const db = openDatabase(dbPath);
  await runTrain(db, { files: [reviews], ...quickTrain });
  db.close();
  dbBytes = readFileSync(dbPath);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command and returns the GraphprofError it failed with. */
async function failure(command: unknown, args: string[]): Promise<GraphprofError> {
  const err = await runCommand(command, args).then(
    () => new Error(`"${args.join(' ')}" succeeded`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GraphprofError);
  return err as GraphprofError;
}

function expectDatabaseIntact(): void {
  expect(readFileSync(dbPath).equals(dbBytes)).toBe(true);
  const db = openDatabase(dbPath, { readonly: true });
  expect(listRuns(db).map((r) => r.kind)).toEqual(['train']);
  db.close();
}

describe('output guards', () => {
  it('export and report refuse --out naming the database, its -wal/-shm, a symlink, a hard link or a relative path to it (exit 2)', async () => {
    const link = join(dir, 'elsewhere');
    mkdirSync(link);
    symlinkSync(dbPath, join(link, 'vectors.csv'));
    symlinkSync(dir, join(dir, 'via-dir'));
    linkSync(dbPath, join(dir, 'hard.csv'));
    const targets = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, join(link, 'vectors.csv'), join(dir, 'via-dir', 'shop.db'), join(dir, 'hard.csv'), relative(process.cwd(), dbPath)];
    for (const out of targets) {
      const e = await failure(exportCommand, ['export', '--db', dbPath, '--format', 'csv', '--out', out, '--force', '--quiet']);
      expect(e.exitCode).toBe(2);
      expect(e.message).toMatch(/--out .* is the database .*shop\.db/);
    }
    const e = await failure(report, ['report', '--db', dbPath, '--out', dbPath, '--quiet']);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/is the database/);
    expectDatabaseIntact();
    expect(readdirSync(dir).filter((f) => /partial|tmp/.test(f))).toEqual([]);
  });

  it('embed-graph refuses --out naming one of its inputs or the database, before any work', async () => {
    const edges = join(dir, 'edges.txt');
    writeFileSync(edges, 'a b\nb c\nc a\n');
    const e = await failure(embedGraph, ['embed-graph', '-i', edges, '--out', edges, '--quiet']);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/--out .*edges\.txt is the input file/);
    expect(readFileSync(edges, 'utf8')).toBe('a b\nb c\nc a\n');
    const d = await failure(embedGraph, ['embed-graph', '-i', edges, '--db', dbPath, '--out', dbPath, '--quiet']);
    expect(d.message).toMatch(/is the database/);
    expectDatabaseIntact();
  });

  it('sample refuses an --out directory where one of its files would be the database', async () => {
    const shopDir = join(dir, 'sample-out');
    mkdirSync(shopDir);
    const db = join(shopDir, 'reviews.csv');
    writeFileSync(db, 'not touched');
    const e = await failure(sample, ['sample', '--users', '20', '--out', shopDir, '--db', db, '--quiet']);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/is the database/);
    expect(readFileSync(db, 'utf8')).toBe('not touched');
  });

  it('a directory as --out is refused with a clear message and leaves nothing behind', async () => {
    const target = join(dir, 'a-directory');
    mkdirSync(target);
    const e = await failure(exportCommand, ['export', '--db', dbPath, '--format', 'csv', '--out', target, '--quiet']);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/--out .*a-directory is a directory; name a file/);
    const r = await failure(report, ['report', '--db', dbPath, '--out', target, '--quiet']);
    expect(r.exitCode).toBe(2);
    expect(r.message).toMatch(/--out .*a-directory is a directory; name a file/);
    expect(readdirSync(dir).filter((f) => /partial|tmp/.test(f))).toEqual([]);
    expect(readdirSync(target)).toEqual([]);
  });

  it('export refuses to replace an existing file unless --force', async () => {
    const out = join(dir, 'users.csv');
    writeFileSync(out, 'keep me');
    const e = await failure(exportCommand, ['export', '--db', dbPath, '--format', 'csv', '--out', out, '--quiet']);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/users\.csv exists; pass --force to replace it/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    // npy writes a second file beside the first: an existing ids file is protected too.
    const ids = join(dir, 'u.ids.tsv');
    writeFileSync(ids, 'keep me too');
    const n = await failure(exportCommand, ['export', '--db', dbPath, '--format', 'npy', '--out', join(dir, 'u.npy'), '--quiet']);
    expect(n.message).toMatch(/u\.ids\.tsv exists/);
    expect(existsSync(join(dir, 'u.npy'))).toBe(false);
    await runCommand(exportCommand, ['export', '--db', dbPath, '--format', 'csv', '--out', out, '--force', '--quiet']);
    expect(readFileSync(out, 'utf8')).toMatch(/^id,/);
  });

  it('the next export to a path clears the partial files an interrupted export left there', async () => {
    const out = join(dir, 'fresh.jsonl');
    const dead = `${out}.partial-999999999`;
    writeFileSync(dead, 'x'.repeat(1000));
    const other = join(dir, 'other.jsonl.partial-999999999');
    writeFileSync(other, 'not ours');
    await runCommand(exportCommand, ['export', '--db', dbPath, '--format', 'jsonl', '--out', out, '--quiet']);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect(statSync(out).size).toBeGreaterThan(0);
  });
});

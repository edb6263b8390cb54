/**
 * The whole command line is checked before any handler runs: a misspelled
 * flag, a value out of range or a missing required option exits 2 with a
 * suggestion, and no database, output file or directory appears.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { repoRoot } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'graphprof-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process; returns the exit code and what went to stderr and stdout. */
async function run(...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const err: string[] = [];
  const out: string[] = [];
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (err.push(String(c)), true));
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
  try {
    const code = await main(args);
    return { code, stderr: err.join(''), stdout: out.join('') };
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

const reviews = join(repoRoot, 'data', 'sample', 'reviews.csv');
const db = (): string => join(dir, 'never.db');

// One misspelled flag per command, with the flag it should suggest.
const misspelled: [string, string[], string][] = [
  ['train', ['train', '-i', reviews, '--cluster', '3'], '--clusters'],
  ['refresh', ['refresh', '-i', reviews, '--radus', '2'], '--radius'],
  ['ingest', ['ingest', '-i', reviews, '--skip-invalit'], '--skip-invalid'],
  ['eval', ['eval', '-i', reviews, '--text-weight', '0.5', '--textweights', '0.2'], '--text-weights'],
  ['segments', ['segments', '--detials'], '--details'],
  ['profile', ['profile', 'U0001', '--kk', '3'], '-k'],
  ['similar', ['similar', 'U0001', '--knid', 'text'], '--kind'],
  ['export', ['export', '--knid', 'text', '--format', 'npy', '--out', join(dir, 'x.npy')], '--kind'],
  ['report', ['report', '--max-point', '10', '--out', join(dir, 'r.html')], '--max-points'],
  ['embed-graph', ['embed-graph', '-i', reviews, '--out', join(dir, 'g.vec'), '--walk-lenght', '5'], '--walk-length'],
  ['inspect', ['inspect', '--rum', '1'], '--run'],
  ['runs', ['runs', '--jsno'], '--json'],
  ['sample', ['sample', '--out', join(dir, 'shop'), '--user', '20'], '--users'],
  ['models', ['models', 'list', '--jsn'], '--json'],
];

describe('the command line is checked before any work', () => {
  it.each(misspelled)('%s: a misspelled flag exits 2, suggests the right one, and does nothing', async (_name, args, suggestion) => {
    const r = await run(...args, '--db', db());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`did you mean ${suggestion}?`);
    expect(r.stdout).toBe('');
    expect(existsSync(db())).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a misspelled command suggests the nearest one', async () => {
    const r = await run('trian', '-i', reviews);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "trian"; did you mean "train"?');
  });

  it.each([
    [['--text-weight', '2'], '--text-weight 2: expected a number in [0, 1]'],
    [['--clusters', '500'], '--clusters 500: expected "auto" or an integer in [2, 100]'],
    [['--clusters', '1'], 'one segment would hold every user'],
    [['--threads', '1000'], '--threads 1000: expected an integer in [1, '],
    [['--dim', 'abc'], '--dim abc: expected an integer in [1, 4096]'],
    [['--min-alpha', '0.5', '--alpha', '0.1'], 'no larger than the starting one (--alpha)'],
    [['--map', 'user=reviewer'], '"user" is not one of review_id, user_id'],
  ])('train %j is refused before any phase: %s', async (flags, message) => {
    const r = await run('train', '-i', reviews, ...flags, '--db', db());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(db())).toBe(false);
  });

  it('says "--input is required" when -i is missing, and names no internal function', async () => {
    const r = await run('train', '--db', db());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--input is required');
    expect(r.stderr).not.toMatch(/readInputs|option "files"/);
    expect(existsSync(db())).toBe(false);
  });

  it('a library error names the flag, not the function, unless --verbose', async () => {
    const mixed = ['ingest', '-i', reviews, join(repoRoot, 'test', 'fixtures', 'ingest', 'edges.txt'), '--db', join(dir, 'mixed.db')];
    const plain = await run(...mixed);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^graphprof: --input is /);
    expect(plain.stderr).toContain('either edge lists only or shop files only');
    expect(plain.stderr).not.toContain('readInputs');
    const verbose = await run(...mixed, '--verbose');
    expect(verbose.stderr).toContain('readInputs: option "files"');
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
  });
});

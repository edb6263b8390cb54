/**
 * The README's library example, as printed there: it type-checks against the
 * package's declarations (strict) and runs against src/index.ts, in a scratch folder
 * that sees the committed sample shop as data/sample.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { repoRoot } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'graphprof-library-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readmeExample(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Library\n'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README.md: no ```ts block in the "Library" section');
  return m[1]!;
}

describe('the README library example', () => {
  const source = readmeExample();
  const local = source.replace("from 'graphprof'", `from ${JSON.stringify(join(repoRoot, 'src', 'index.js'))}`);

  // Against the published declarations (dist/src/index.d.ts), as a user of the package sees them.
  it.skipIf(!existsSync(join(repoRoot, 'dist', 'src', 'index.d.ts')))('imports only from "graphprof" and type-checks (strict) against the package types', () => {
    expect(source).toContain("from 'graphprof'");
    const file = join(dir, 'typed.mts');
    writeFileSync(file, source.replace("from 'graphprof'", `from ${JSON.stringify(join(repoRoot, 'dist', 'src', 'index.js'))}`));
    try {
      const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
      const args = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', file];
      execFileSync(process.execPath, [tsc, ...args], { cwd: repoRoot, encoding: 'utf8' });
    } catch (err) {
      throw new Error(`the README example does not type-check:\n${(err as { stdout?: string }).stdout ?? String(err)}`);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('runs: trains the sample shop, profiles a user and exports users.npy', async () => {
    symlinkSync(join(repoRoot, 'data'), join(dir, 'data'));
    const file = join(dir, 'example.ts');
    writeFileSync(file, local);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ')));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      process.chdir(cwd);
      log.mockRestore();
    }
    expect(printed[0]).toMatch(/^run 1: 300 users in 5 segments$/);
    expect(printed[1]).toMatch(/^\[.+\] \["P\d{4}"(,"P\d{4}"){4}\]$/);
    expect(existsSync(join(dir, 'users.npy'))).toBe(true);
    expect(readFileSync(join(dir, 'users.ids.tsv'), 'utf8').split('\n')[0]).toBe('id\ttype\tsegment');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

const cli = join(repoRoot, 'bin', 'graphprof.js');
const built = existsSync(join(repoRoot, 'dist', 'src', 'cli', 'main.js'));
let dir: string;

function graphprof(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, CI: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const commands = ['train', 'refresh', 'ingest', 'eval', 'segments', 'tags', 'drift', 'profile', 'similar', 'report', 'export', 'embed-graph', 'inspect', 'runs', 'sample', 'models'];

describe.skipIf(!built)('the graphprof command line (needs the build)', () => {
  it.each(commands)('%s --help shows examples', (name) => {
    const r = graphprof(name, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
  });

  it('ingest prints counts, stores a run, and runs/inspect read it back as JSON', () => {
    const files = ['reviews.csv', 'products.csv'].map((f) => join(repoRoot, 'data', 'sample', f));
    const ingest = graphprof('ingest', '-i', ...files, '--db', 'shop.db', '--json');
    expect(ingest.code).toBe(0);
    const summary = JSON.parse(ingest.stdout) as { runId: number; nodes: Record<string, number> };
    expect(summary.nodes).toMatchObject({ user: 300, product: 120, category: 8 });
    const runs = JSON.parse(graphprof('runs', '--db', 'shop.db', '--json').stdout) as { id: number; kind: string }[];
    expect(runs.map((r) => [r.id, r.kind])).toEqual([[summary.runId, 'ingest']]);
    const inspect = JSON.parse(graphprof('inspect', '--db', 'shop.db', '--json').stdout) as { components: { count: number } };
    expect(inspect.components.count).toBe(1);
  });

  it('bad input exits 3 naming file, line and field, without a stack trace, and stores nothing', () => {
    const bad = join(repoRoot, 'test', 'fixtures', 'ingest', 'rating-not-numeric.csv');
    const r = graphprof('ingest', '-i', bad, '--db', 'bad.db');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/rating-not-numeric\.csv:3: field "overall": rating not a number/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const runs = graphprof('runs', '--db', 'bad.db', '--json');
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });

  it('usage errors exit 2; --config supplies flags from a JSON file', () => {
    expect(graphprof('no-such-command').code).toBe(2);
    expect(graphprof('inspect', '--db', 'shop.db', '--run', 'x').code).toBe(2);
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ db: 'from-config.db', json: true }));
    const r = graphprof('ingest', '-i', join(repoRoot, 'data', 'sample', 'reviews.csv'), '--config', 'cfg.json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('runId', 1);
    expect(existsSync(join(dir, 'from-config.db'))).toBe(true);
  });

  it('--pseudonymize stores keyed hashes instead of user ids', () => {
    writeFileSync(join(dir, 'key'), 'a secret key of more than sixteen bytes');
    const r = graphprof('ingest', '-i', join(repoRoot, 'data', 'sample', 'reviews.csv'), '--db', 'pseudo.db', '--pseudonymize', 'key', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const q = spawnSync('node', ['-e', `const D=require(${JSON.stringify(join(repoRoot, 'node_modules', 'better-sqlite3'))}); const db=new D('pseudo.db'); console.log(JSON.stringify(db.prepare("select key from nodes where key like 'user:%' limit 3").pluck().all().concat(db.prepare('select distinct user_id from reviews limit 3').pluck().all())))`], { cwd: dir, encoding: 'utf8' });
    const keys = JSON.parse(q.stdout) as string[];
    for (const k of keys) {
      expect(k).toMatch(/^(user:)?u[0-9a-f]{24}$/);
      expect(k).not.toMatch(/U\d{4}/);
    }
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PCA } from 'ml-pca';
import yargs from 'yargs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { command } from '../src/cli/report.js';
import { globalOptions } from '../src/cli/options.js';
import { buildReport, writeReport } from '../src/report/index.js';
import { pca2 } from '../src/report/pca.js';
import { choosePoints } from '../src/report/project.js';
import { hits, label } from '../src/report/svg-graph.js';
import { segmentColour, segmentShape, textOn } from '../src/report/palette.js';
import { writeRun } from '../src/store/runs.js';
import { openDatabase } from '../src/store/store.js';
import { OptionError } from '../src/util/errors.js';
import { writeReportFixture, type Fixture } from './helpers/report-fixture.js';

let dir: string;
let dbPath: string;
let fixture: Fixture;
const fixed = new Date('2026-01-02T03:04:05Z');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-report-'));
  dbPath = join(dir, 'g.db');
  const db = openDatabase(dbPath);
  fixture = writeReportFixture(db, { users: 400, segments: 5, withEval: true });
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const countOf = (html: string, needle: string): number => html.split(needle).length - 1;

describe('report page', () => {
  it('places graph labels so that no two overlap, all inside the picture', () => {
    const db = openDatabase(join(dir, 'dense.db'));
    writeReportFixture(db, { users: 300, segments: 12, productsPerSegment: 8, sharedProducts: 10 });
    const { html } = buildReport(db, { generatedAt: fixed, productsPerSegment: 8 });
    db.close();
    const graph = html.slice(html.indexOf('data-chart="graph"'));
    const boxes = [...graph.matchAll(/<text class="(lp|ls)" x="([\d.]+)" y="([\d.]+)"(?: text-anchor="(start|end|middle)")?>([^<]*)<\/text>/g)].map((m) =>
      label(Number(m[2]), Number(m[3]), (m[4] ?? 'middle') as 'start' | 'end' | 'middle', m[5].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"), m[1] as 'lp' | 'ls'),
    );
    expect(boxes.length).toBeGreaterThan(20);
    for (let i = 0; i < boxes.length; i++) {
      expect(boxes[i].x0).toBeGreaterThanOrEqual(0);
      expect(boxes[i].x1).toBeLessThanOrEqual(1000);
      for (let j = i + 1; j < boxes.length; j++) expect(hits(boxes[i], boxes[j]), `${boxes[i].text} / ${boxes[j].text}`).toBe(false);
    }
  });

  it('leaves out a segment-table column that is empty for every segment (no categories in the data)', () => {
    const db = openDatabase(join(dir, 'no-categories.db'));
    writeReportFixture(db, { users: 60, segments: 3, noCategories: true });
    const plain = buildReport(db, { generatedAt: fixed }).html;
    db.close();
    const withCategories = openDatabase(dbPath, { readonly: true });
    const full = buildReport(withCategories, { generatedAt: fixed }).html;
    withCategories.close();
    expect(full).toContain('<th>Top categories</th>');
    expect(plain).not.toContain('<th>Top categories</th>');
    expect(plain).toContain('<th>Top products</th>');
  });

  it('draws one map mark per user, every segment, product and link of the graph', () => {
    const db = openDatabase(dbPath, { readonly: true });
    const { html, stats } = buildReport(db, { generatedAt: fixed });
    db.close();
    expect(stats).toMatchObject({ runId: fixture.runId, users: 400, mapPoints: 400, segments: 5, evalRunId: fixture.evalRunId });
    expect(countOf(html, 'data-u="')).toBe(400);
    expect(countOf(html, 'data-node="segment"')).toBe(5);
    expect(countOf(html, 'data-node="product"')).toBe(fixture.graphProducts);
    expect(countOf(html, 'data-edge="')).toBe(fixture.graphEdges);
    // Shared products link several segments, so there are fewer products than links.
    expect(fixture.graphProducts).toBeLessThan(fixture.graphEdges);
    expect(countOf(html, 'data-segment-row="')).toBe(5);
    expect(countOf(html, 'data-segment-card="')).toBe(5);
    for (let s = 0; s < 5; s++) expect(countOf(html, `class="pt s${s}"`)).toBe(80);
  });

  it('is self-contained: no external URL, scripts and styles inline, a CSP that forbids loading anything', () => {
    const db = openDatabase(dbPath, { readonly: true });
    const { html } = buildReport(db, { generatedAt: fixed });
    db.close();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/);
  });

  it('escapes stored text (product titles with markup)', () => {
    const db = openDatabase(dbPath, { readonly: true });
    const { html } = buildReport(db, { generatedAt: fixed });
    db.close();
    expect(html).toContain('&lt;b&gt;&amp;&lt;/b&gt;');
    expect(html).not.toContain('<b>&</b>');
  });

  it('shows the eval figures of the matching eval run', () => {
    const db = openDatabase(dbPath, { readonly: true });
    const { html } = buildReport(db, { generatedAt: fixed });
    db.close();
    expect(html).toContain('How well the profiles predict');
    expect(html).toContain('Recall@10');
    expect(html).toMatch(/Fused vectors \(used for segments\)<\/td><td class="n">0\.230<\/td><td class="n">0\.120</);
    expect(html).toContain('adjusted Rand index of <b>0.910</b>');
  });

  it('omits eval figures when no eval run is on the same data', () => {
    const path = join(dir, 'no-eval.db');
    const db = openDatabase(path);
    writeReportFixture(db, { users: 60, segments: 3 });
    // An eval of other data must not be shown either.
    writeRun(db, { kind: 'eval', inputs: ['other/reviews.csv'], params: {}, counts: { k: 10, users: 5, recall: { fused: 0.5 }, ndcg: { fused: 0.4 } }, timings: {} });
    const { html, stats } = buildReport(db, { generatedAt: fixed });
    db.close();
    expect(stats.evalRunId).toBeNull();
    expect(html).not.toContain('How well the profiles predict');
    expect(html).not.toContain('Recall@');
  });

  it('is deterministic: the same run gives the same file', () => {
    const db = openDatabase(dbPath, { readonly: true });
    const a = buildReport(db, { generatedAt: fixed }).html;
    const b = buildReport(db, { generatedAt: fixed }).html;
    const c = buildReport(db, { generatedAt: fixed, seed: 5 }).html;
    db.close();
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('caps the map at maxPoints with a per-segment sample and says so', () => {
    const db = openDatabase(dbPath, { readonly: true });
    const { html, stats } = buildReport(db, { generatedAt: fixed, maxPoints: 100 });
    db.close();
    expect(stats.mapPoints).toBe(100);
    expect(countOf(html, 'data-u="')).toBe(100);
    for (let s = 0; s < 5; s++) expect(countOf(html, `class="pt s${s}"`)).toBe(20);
    expect(html).toContain('The run has 400 users; 100 are drawn, sampled per segment');
  });

  it('rejects bad options and runs that cannot be reported, naming the problem', () => {
    const db = openDatabase(dbPath, { readonly: true });
    expect(() => buildReport(db, { maxPoints: 0 })).toThrow(OptionError);
    expect(() => buildReport(db, { maxPoints: 0 })).toThrow(/buildReport: option "maxPoints" is 0/);
    expect(() => buildReport(db, { run: 99 })).toThrow(/no complete run with id 99/);
    expect(() => buildReport(db, { run: fixture.evalRunId as number })).toThrow(/is an eval run; the report needs a train or refresh run/);
    db.close();
  });

  it('stays under 2 MB with 10 segments and 10,000 users', () => {
    const path = join(dir, 'big.db');
    const db = openDatabase(path);
    const f = writeReportFixture(db, { users: 10_000, segments: 10, seed: 3 });
    const { html, stats } = buildReport(db, { generatedAt: fixed });
    db.close();
    expect(stats.mapPoints).toBe(10_000);
    expect(countOf(html, 'data-node="segment"')).toBe(10);
    const bytes = writeReport(join(dir, 'big.html'), html);
    expect(bytes).toBe(statSync(join(dir, 'big.html')).size);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    expect(f.users).toBe(10_000);
  });
});

describe('map sample', () => {
  it('keeps every row when under the cap, in a seeded shuffled order', () => {
    const seg = Int32Array.from({ length: 50 }, (_, i) => i % 3);
    const rows = choosePoints(seg, 100, 1);
    expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...rows]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...choosePoints(seg, 100, 1)]).toEqual([...rows]);
  });

  it('samples in proportion, with a floor for small segments, never above the cap', () => {
    // 5,000 users in segment 0, 20 in segment 1, 1,000 in segment 2.
    const seg = Int32Array.from([...Array(5000).fill(0), ...Array(20).fill(1), ...Array(1000).fill(2)]);
    const rows = choosePoints(seg, 600, 9);
    const per = [0, 0, 0];
    for (const r of rows) per[seg[r]]++;
    expect(rows.length).toBeLessThanOrEqual(600);
    expect(new Set(rows).size).toBe(rows.length);
    expect(per[1]).toBe(20); // small segment kept whole
    expect(per[0] / per[2]).toBeGreaterThan(4.5);
    expect(per[0] / per[2]).toBeLessThan(5.5);
  });
});

describe('pca2', () => {
  it('agrees with ml-pca on the two leading components (up to sign)', () => {
    const rows = 120;
    const dim = 9;
    const m = new Float32Array(rows * dim);
    for (let i = 0; i < rows; i++) for (let j = 0; j < dim; j++) m[i * dim + j] = Math.sin(i * 0.7 + j * 1.3) * (j + 1) + Math.cos(i * 0.31) * (j % 3);
    const ours = pca2(m, dim);
    const data = Array.from({ length: rows }, (_, i) => Array.from(m.subarray(i * dim, (i + 1) * dim), Number));
    const ref = new PCA(data, { center: true }).predict(data, { nComponents: 2 });
    for (const [c, mine] of [[0, ours.x], [1, ours.y]] as const) {
      const theirs = Array.from({ length: rows }, (_, i) => ref.get(i, c));
      const sign = Math.sign(theirs[0]) === Math.sign(mine[0]) ? 1 : -1;
      for (let i = 0; i < rows; i++) expect(mine[i]).toBeCloseTo(sign * theirs[i], 3);
    }
    const explained = new PCA(data, { center: true }).getExplainedVariance();
    expect((ours.variance[0] + ours.variance[1]) / ours.totalVariance).toBeCloseTo(explained[0] + explained[1], 5);
  });

  it('finds a planted direction', () => {
    const dim = 6;
    const rows = 500;
    const m = new Float32Array(rows * dim);
    for (let i = 0; i < rows; i++) {
      const t = (i / rows - 0.5) * 10;
      m[i * dim + 2] = t;
      m[i * dim + 4] = t;
      m[i * dim + 0] = ((i * 37) % 11) / 11 - 0.5;
    }
    const p = pca2(m, dim);
    expect(p.variance[0] / p.totalVariance).toBeGreaterThan(0.99);
    // Projection on the first axis is t * sqrt(2) (up to a shift).
    expect(Math.abs(p.x[rows - 1] - p.x[0])).toBeCloseTo(((rows - 1) / rows) * 10 * Math.SQRT2, 3);
  });
});

describe('palette', () => {
  it('gives 30 segments 30 distinct colour/shape pairs and readable text on each colour', () => {
    const pairs = new Set(Array.from({ length: 30 }, (_, s) => `${segmentColour(s)}/${segmentShape(s)}`));
    expect(pairs.size).toBe(30);
    expect(textOn('#332288')).toBe('#FFFFFF');
    expect(textOn('#DDCC77')).toBe('#111111');
  });
});

describe('graphprof report command', () => {
  async function run(args: string[]): Promise<string> {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
      out.push(parts.join(' ') + '\n');
    });
    try {
      await globalOptions(yargs(args))
        .scriptName('graphprof')
        .command(command)
        .strict()
        .help()
        .exitProcess(false)
        .fail((msg, err) => {
          throw err ?? new Error(msg);
        })
        .parseAsync();
    } finally {
      spy.mockRestore();
      log.mockRestore();
    }
    return out.join('');
  }

  it('--json prints {out, bytes, users, segments} of the written file', async () => {
    const out = join(dir, 'cli.html');
    const printed = JSON.parse(await run(['report', '--db', dbPath, '--out', out, '--json'])) as Record<string, unknown>;
    expect(printed).toMatchObject({ out, bytes: statSync(out).size, users: 400, segments: 5, runId: fixture.runId });
    expect(readFileSync(out, 'utf8')).toContain('data-chart="map"');
  });

  it('prints a one-line summary for people and honours --run and --max-points', async () => {
    const out = join(dir, 'cli2.html');
    const printed = await run(['report', '--db', dbPath, '--run', String(fixture.runId), '-o', out, '--max-points', '50', '--quiet']);
    expect(printed).toMatch(/cli2\.html: \d+ KB, run 1, 5 segments, 400 users \(50 on the map\)/);
  });

  it('--help lists examples', async () => {
    const printed = await run(['report', '--help']);
    expect(printed).toContain('Examples:');
    expect(printed).toMatch(/graphprof report --db shop\.db --run 3\s+(a given run|--out)/);
    expect(printed).toContain('--max-points');
  });
});

/**
 * Issue 14 end to end on the sample shop: tags fitted by train and stored
 * with the run, stable segment ids across two trains and a refresh --refit,
 * segments --diff, drift and the nightly trigger's exit code, the export's
 * tags field, profile --explain; and Chinese tag phrases on
 * `sample --language zh` through the shop-trained encoder. One database is
 * trained once (two trains and two refreshes, fixed fusion to keep it fast)
 * and every test reads it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database as DB } from 'better-sqlite3';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../src/ingest/index.js';
import type { ShopData } from '../src/ingest/records.js';
import { emptyReviewTable, reviewRecords } from '../src/ingest/table.js';
import { rowsByTime, rowsWhere, withRows } from './helpers/review-rows.js';
import { mergeShop, runRefresh, type RefreshSummary } from '../src/jobs/refresh.js';
import { runTrain, type TrainSummary } from '../src/jobs/train.js';
import { command as driftCommand } from '../src/cli/drift.js';
import { command as exportCommand } from '../src/cli/export.js';
import { command as profileCommand } from '../src/cli/profile.js';
import { command as reportCommand } from '../src/cli/report.js';
import { command as segmentsCommand } from '../src/cli/segments.js';
import { command as tagsCommand } from '../src/cli/tags.js';
import { segmentMembership } from '../src/query/segments.js';
import type { TagTable } from '../src/query/tags.js';
import { generateSampleShop, sampleShopFiles } from '../src/sample/index.js';
import { readSegmentIdentity, readSegmentMatches } from '../src/store/segment-ids.js';
import { readTagModel, readTagScores } from '../src/store/tags.js';
import { openDatabase } from '../src/store/store.js';
import { readNodeKeys } from '../src/store/graph.js';
import type { TagExplanation } from '../src/tags/index.js';
import { ExitCode, GraphprofError } from '../src/util/errors.js';
import { repoRoot } from './helpers/paths.js';
import { runCommand } from './helpers/run-command.js';

const SAMPLE = join(repoRoot, 'data', 'sample');
const files = ['reviews.csv', 'products.csv'].map((f) => join(SAMPLE, f));
const opts = { threads: 2, walksPerNode: 4, clusters: 5, fusion: 'fixed' as const };
const USERS = 150;
const SEGMENTS = ['audiophiles', 'beauty-enthusiasts', 'budget-parents', 'outdoor-athletes', 'tech-early-adopters'];

let dir: string;
let dbPath: string;
let db: DB;
let first: TrainSummary;
let second: TrainSummary;
let refit: RefreshSummary;
let assigned: RefreshSummary;
let planted: Map<string, string>;

function plantedOf(groundTruthCsv: string): Map<string, string> {
  return new Map(groundTruthCsv.trim().split('\n').slice(1).map((l) => l.split(',') as [string, string]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-marketer-'));
  dbPath = join(dir, 'g.db');
  db = openDatabase(dbPath);
  planted = plantedOf(readFileSync(join(SAMPLE, 'ground_truth.csv'), 'utf8'));
  // The first 150 users (about 1,100 reviews) keep the test fast: encoding the texts is most of its time.
  const read = (await readInputs(files)) as ShopData;
  const keep = new Set([...planted.keys()].slice(0, USERS));
  const all = withRows(read, rowsWhere(read, (r) => keep.has(r.userId)));
  const byTime = rowsByTime(all);
  const cut = Math.floor(byTime.length * 0.9);
  const mid = Math.floor(byTime.length * 0.95);
  const old = withRows(all, byTime.slice(0, cut));
  first = await runTrain(db, { files, data: old, ...opts, seed: 1 });
  second = await runTrain(db, { files, data: old, ...opts, seed: 2 });
  refit = await runRefresh(db, { files: ['a.csv'], data: withRows(all, byTime.slice(cut, mid)), refit: true, threads: 2 });
  assigned = await runRefresh(db, { files: ['b.csv'], data: withRows(all, byTime.slice(mid)), threads: 2, onlyIfDrift: 0 });
  // The CLI opens the database itself (read-only).
  db.close();
  db = openDatabase(dbPath, { readonly: true });
}, 240_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (command: { command?: unknown }, ...args: string[]): Promise<string> => runCommand(command, [String(command.command).split(' ')[0]!, ...args, '--db', dbPath, '--quiet']);
const json = async <T>(command: { command?: unknown }, ...args: string[]): Promise<T> => JSON.parse(await cli(command, ...args, '--json')) as T;

/** Share of each planted segment's users having `tag` in a run (from the stored scores). */
function plantedShares(runId: number, tag: string, truth = planted): Record<string, number> {
  const s = readTagScores(db, runId)!;
  const keys = readNodeKeys(db, runId);
  const t = s.tags.indexOf(tag);
  expect(t, tag).toBeGreaterThanOrEqual(0);
  const T = s.tags.length;
  const has: Record<string, number> = {};
  const n: Record<string, number> = {};
  s.nodes.forEach((node, u) => {
    const seg = truth.get(keys[node]!.slice(5))!;
    n[seg] = (n[seg] ?? 0) + 1;
    has[seg] = (has[seg] ?? 0) + (s.score[u * T + t]! >= s.thresholds[t]! ? 1 : 0);
  });
  return Object.fromEntries(Object.keys(n).map((seg) => [seg, has[seg]! / n[seg]!]));
}

const best = (shares: Record<string, number>): string => Object.keys(shares).reduce((a, b) => (shares[a]! >= shares[b]! ? a : b));

describe('tags in the pipeline', () => {
  it('train stores a tag model and every user\'s scores; the planted habits come back as tags', () => {
    const model = readTagModel(db, first.runId)!;
    expect(model.tags.map((t) => t.name)).toEqual(expect.arrayContaining(['price-sensitive', 'complaint-prone', 'gift-buyer', 'early-adopter', 'interest:headphones-audio']));
    expect(readTagScores(db, first.runId)!.nodes).toHaveLength(first.users);
    expect(first.tags!.threshold).toBe(2);
    // Budget parents write about prices, tech early adopters about launches; the interest tags follow the planted categories.
    expect(best(plantedShares(first.runId, 'price-sensitive'))).toBe('budget-parents');
    expect(best(plantedShares(first.runId, 'early-adopter'))).toBe('tech-early-adopters');
    expect(best(plantedShares(first.runId, 'interest:baby-kids'))).toBe('budget-parents');
    expect(best(plantedShares(first.runId, 'interest:beauty-personal-care'))).toBe('beauty-enthusiasts');
    // Audiophiles and tech early adopters are planted with the most 1-2 star ratings.
    const c = plantedShares(first.runId, 'complaint-prone');
    for (const harsh of ['audiophiles', 'tech-early-adopters']) for (const kind of ['beauty-enthusiasts', 'budget-parents', 'outdoor-athletes']) expect(c[harsh]!, `${harsh} vs ${kind}`).toBeGreaterThan(c[kind]!);
  });

  it('refresh rescores every user with the base run\'s tag model', () => {
    const base = readTagModel(db, second.runId)!;
    const again = readTagModel(db, refit.runId)!;
    expect(again.quantiles).toEqual(base.quantiles);
    expect(readTagScores(db, refit.runId)!.nodes).toHaveLength(refit.users);
    expect(Object.keys(refit.tags!.counts)).toEqual(base.tags.map((t) => t.name));
  });

  it('graphprof tags --json lists every tag with its share, overall and per stable segment', async () => {
    const t = await json<TagTable>(tagsCommand, '--run', String(first.runId));
    expect(t.users).toBe(first.users);
    const ids = first.segments.map((s) => s.id).sort((a, b) => a - b);
    for (const tag of t.tags) {
      expect(tag.segments.map((s) => s.id)).toEqual(ids);
      const total = tag.segments.reduce((n, s) => n + s.users, 0);
      expect(total).toBe(tag.users);
      expect(tag.share).toBeCloseTo(tag.users / t.users, 3);
    }
    const price = t.tags.find((x) => x.tag === 'price-sensitive')!;
    const top = price.segments.reduce((a, b) => (a.share >= b.share ? a : b));
    expect(top.name).toMatch(/^Baby & Kids · /);
  });

  it('profile shows the user\'s tags and segment; --explain gives the reviews and facts behind each tag', async () => {
    const scores = readTagScores(db, first.runId)!;
    const keys = readNodeKeys(db, first.runId);
    const t = scores.tags.indexOf('complaint-prone');
    const T = scores.tags.length;
    let row = 0;
    for (let u = 0; u < scores.nodes.length; u++) if (scores.score[u * T + t]! > scores.score[row * T + t]!) row = u;
    const user = keys[scores.nodes[row]!]!.slice(5);
    const p = await json<{ segment: { id: number; name: string }; tags: { tag: string; has: boolean; score: number }[]; explanations: TagExplanation[] }>(profileCommand, user, '--run', String(first.runId), '--explain');
    expect(p.tags.find((x) => x.tag === 'complaint-prone')).toMatchObject({ has: true });
    expect(p.segment.name).toBe(first.segments.find((s) => s.id === p.segment.id)!.name);
    const e = p.explanations.find((x) => x.tag === 'complaint-prone')!;
    expect(e.score).toBeCloseTo(scores.score[row * T + t]!, 2);
    expect(e.behaviour.find((b) => b.signal === 'low-ratings')!.fact).toMatch(/^\d+ of \d+ ratings are 2 stars or less/);
    const own = new Set(reviewRecords(((await readInputs(files)) as ShopData).reviews).filter((r) => r.userId === user).map((r) => r.reviewId));
    expect(e.text!.matches.length).toBeGreaterThan(0);
    for (const m of e.text!.matches) expect(own.has(m.id!), m.id).toBe(true);
    const text = await cli(profileCommand, user, '--run', String(first.runId), '--explain');
    expect(text).toContain(`segment ${p.segment.id} "${p.segment.name}"`);
    expect(text).toMatch(/complaint-prone: yes \(score/);
  });

  it('export jsonl and parquet carry each user\'s tags (null for products)', async () => {
    const jsonl = join(dir, 'all.jsonl');
    await cli(exportCommand, '--run', String(first.runId), '--format', 'jsonl', '--type', 'all', '-o', jsonl);
    const rows = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; type: string; segment: number | null; tags: string[] | null });
    const scores = readTagScores(db, first.runId)!;
    const keys = readNodeKeys(db, first.runId);
    const T = scores.tags.length;
    const want = new Map(Array.from(scores.nodes, (n, u) => [keys[n]!, scores.tags.filter((_, t) => scores.score[u * T + t]! >= scores.thresholds[t]!)]));
    for (const r of rows) expect(r.tags, r.id).toEqual(r.type === 'user' ? want.get(r.id) : null);
    expect(rows.filter((r) => r.type === 'user' && r.tags!.length > 0).length).toBeGreaterThan(first.users / 2);
    const ids = new Set(first.segments.map((s) => s.id));
    for (const r of rows) if (r.type === 'user') expect(ids.has(r.segment!)).toBe(true);

    const pq = join(dir, 'users.parquet');
    await cli(exportCommand, '--run', String(first.runId), '--format', 'parquet', '-o', pq);
    const table = tableFromIPC(readParquet(readFileSync(pq)).intoIPCStream());
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toContain('tags:List<Utf8>');
    for (let i = 0; i < table.numRows; i++) {
      const r = table.get(i)!.toJSON() as { id: string; tags: { toArray(): string[] } | null };
      expect(Array.from(r.tags!.toArray()), r.id).toEqual(want.get(`user:${r.id}`));
    }
  });
});

describe('the report', () => {
  it('shows each segment\'s stable id and name, and the share of its users having each tag', async () => {
    const out = join(dir, 'report.html');
    await cli(reportCommand, '--run', String(second.runId), '--out', out);
    const html = readFileSync(out, 'utf8');
    const section = html.slice(html.indexOf('<section id="tags"'), html.indexOf('</section>', html.indexOf('<section id="tags"')));
    expect(section).toContain('<th>Tag</th><th class="n">All users</th>');
    const t = await json<TagTable>(tagsCommand, '--run', String(second.runId));
    const price = t.tags.find((x) => x.tag === 'price-sensitive')!;
    expect(section).toContain(`<tr><td>price-sensitive<div class="sub">${price.description}</div></td><td class="n">`);
    for (const s of second.segments) expect(html).toContain(`>${s.id}</span> ${s.name.replace(/&/g, '&amp;')}</td>`);
  });
});

describe('stable segment ids and names', () => {
  it('a second train keeps the first one\'s ids where the segments share members, and names every segment', () => {
    expect(first.segments.map((s) => s.id).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(second.match!.comparedRunId).toBe(first.runId);
    expect(second.match!.by).toBe('overlap');
    // Two seeds over the same reviews find the planted segments again: each one keeps its id.
    expect(second.match!.matched.length).toBe(5);
    const a = segmentMembership(db, first.runId);
    const b = segmentMembership(db, second.runId);
    let same = 0;
    a.users.forEach((u, i) => (same += b.segmentIds[b.users.indexOf(u)] === a.segmentIds[i] ? 1 : 0));
    expect(same / a.users.length).toBeGreaterThan(0.9);
    for (const s of second.segments) expect(s.name).toMatch(/^\S.* · \S/);
    expect(new Set(second.segments.map((s) => s.name)).size).toBe(5);
  });

  it('refresh --refit matches to its base run; new ids are above every id used before, vanished ones are stored', () => {
    const stored = readSegmentMatches(db, refit.runId);
    expect(stored.length).toBe((refit.match?.matched.length ?? 0) + (refit.match?.created.length ?? 0) + (refit.match?.vanished.length ?? 0));
    expect(stored.every((m) => m.comparedRunId === second.runId)).toBe(true);
    const before = readSegmentIdentity(db, second.runId);
    for (const c of refit.match!.created) expect(c.id).toBeGreaterThanOrEqual(before.nextId);
    expect(refit.match!.matched.length).toBeGreaterThanOrEqual(4);
    // Without --refit the segments (and ids) stay the base run's.
    expect(assigned.segments.map((s) => s.id)).toEqual(refit.segments.map((s) => s.id));
    expect(assigned.match).toBeUndefined();
  });

  it('segments shows stable ids and names; --diff lists who joined and left each segment', async () => {
    const s = await json<{ segments: { id: number; name: string; size: number }[]; nextSegmentId: number }>(segmentsCommand, '--run', String(refit.runId));
    expect(s.segments.map((x) => [x.id, x.name])).toEqual(refit.segments.map((x) => [x.id, x.name]));
    const d = await json<{ segments: { id: number; before: number; after: number; stayed: number; joined: { user: string; from: number | null }[]; left: { user: string; to: number | null }[] }[]; moved: number; newUsers: number }>(
      segmentsCommand,
      '--run',
      String(refit.runId),
      '--diff',
      String(second.runId),
    );
    const a = segmentMembership(db, second.runId);
    const b = segmentMembership(db, refit.runId);
    const before = new Map(a.users.map((u, i) => [u, a.segmentIds[i]!]));
    for (const seg of d.segments) {
      expect(seg.after).toBe(seg.stayed + seg.joined.length);
      expect(seg.before).toBe(seg.stayed + seg.left.length);
      for (const j of seg.joined) expect(j.from).toBe(before.get(j.user) ?? null);
    }
    let moved = 0;
    b.users.forEach((u, i) => (moved += before.has(u) && before.get(u) !== b.segmentIds[i] ? 1 : 0));
    expect(d.moved).toBe(moved);
    expect(d.newUsers).toBe(b.users.filter((u) => !before.has(u)).length);
    const text = await cli(segmentsCommand, '--run', String(refit.runId), '--diff', String(second.runId));
    expect(text).toMatch(new RegExp(`^segments of run ${refit.runId} against run ${second.runId}: ${moved} users changed segment`));
  });
});

describe('refresh with a reviews-only file', () => {
  it('keeps the stored titles and categories of the products it names (segment names and interest tags need them)', async () => {
    const stored = (await readInputs(files)) as ShopData;
    const [id, before] = [...stored.products][0]!;
    const bare = { productId: id, title: '', categories: [], brand: '', price: null };
    const merged = mergeShop(stored, { ...stored, reviews: emptyReviewTable(), products: new Map([[id, bare]]) }).data.products.get(id)!;
    expect(merged).toEqual(before);
    const renamed = mergeShop(stored, { ...stored, reviews: emptyReviewTable(), products: new Map([[id, { ...bare, title: 'New title' }]]) }).data.products.get(id)!;
    expect(renamed).toEqual({ ...before, title: 'New title' });
  });
});

describe('drift', () => {
  it('refresh reports the users whose vector moved past the threshold or whose segment changed', () => {
    const d = assigned.drift!;
    expect(d.threshold).toBe(0.1);
    expect(d.compared).toBeGreaterThan(0);
    expect(d.users.length).toBe(d.drifted);
    for (const u of d.users) {
      expect(u.vectorMoved || u.segmentChanged).toBe(true);
      expect(u.vectorMoved).toBe(u.distance > 0.1);
    }
    expect(d.share).toBeCloseTo(d.drifted / d.compared, 10);
    // --only-if-drift 0: any drift at all says retrain.
    expect(assigned.decision).toMatchObject({ retrain: d.drifted > 0, limit: 0 });
  });

  it('graphprof drift --json lists the stored drifted users; --limit sets the exit code', async () => {
    const out = await json<{ runId: number; drifted: number; users: { user: string; distance: number }[]; decision?: { retrain: boolean } }>(driftCommand, '--k', '10000');
    expect(out.runId).toBe(assigned.runId);
    expect(out.users.map((u) => u.user)).toEqual(assigned.drift!.users.map((u) => u.user));
    const calm = await json<{ decision: { retrain: boolean; reason: string } }>(driftCommand, '--limit', '1');
    expect(calm.decision.retrain).toBe(false);
    let code: number | undefined;
    try {
      await cli(driftCommand, '--limit', String(Math.max(0, assigned.drift!.share - 0.001)));
    } catch (err) {
      code = (err as GraphprofError).exitCode;
    }
    expect(code).toBe(ExitCode.retrain);
    await expect(cli(driftCommand, '--run', String(first.runId))).rejects.toThrow(`run ${first.runId} is a train run; drift is measured by a refresh`);
  });
});

describe('Chinese tag phrases on sample --language zh', () => {
  let zdb: DB;
  let zh: TrainSummary;
  let zhRefresh: RefreshSummary;
  let truth: Map<string, string>;
  beforeAll(async () => {
    const shop = generateSampleShop({ language: 'zh', users: USERS, seed: 7 });
    const out = join(dir, 'zh');
    await mkdir(out, { recursive: true });
    const written = sampleShopFiles(shop);
    for (const [name, text] of Object.entries(written)) await writeFile(join(out, name), text);
    truth = plantedOf(written['ground_truth.csv']);
    zdb = openDatabase(join(dir, 'zh.db'));
    const zfiles = [join(out, 'reviews.csv'), join(out, 'products.csv')];
    const data = (await readInputs(zfiles)) as ShopData;
    const byTime = rowsByTime(data);
    const cut = Math.floor(byTime.length * 0.9);
    zh = await runTrain(zdb, { files: zfiles, data: withRows(data, byTime.slice(0, cut)), ...opts });
    zhRefresh = await runRefresh(zdb, { files: ['new.csv'], data: withRows(data, byTime.slice(cut)), threads: 2 });
  }, 120_000);
  afterAll(() => zdb?.close());

  it('embeds the Chinese phrases with the shop-trained encoder and recovers the planted habits', () => {
    const model = readTagModel(zdb, zh.runId)!;
    expect(model.spaces.map((s) => s.id)).toEqual([zh.text.modelId]);
    expect(zh.text.modelId).toMatch(/^shop-sif-/);
    const space = model.spaces[0]!;
    expect(space.phrases).toEqual(expect.arrayContaining(['性价比高', '价格便宜']));
    expect(space.phrases.every((p) => /\p{Script=Han}/u.test(p))).toBe(true);
    const shares = (tag: string): Record<string, number> => {
      const saved = db;
      db = zdb;
      try {
        return plantedShares(zh.runId, tag, truth);
      } finally {
        db = saved;
      }
    };
    expect(best(shares('price-sensitive'))).toBe('budget-parents');
    expect(best(shares('early-adopter'))).toBe('tech-early-adopters');
    for (const seg of SEGMENTS) expect(shares('interest:耳机音响')[seg]!).toBeLessThanOrEqual(seg === 'audiophiles' ? 1 : 0.2);
    expect(shares('interest:耳机音响').audiophiles).toBeGreaterThanOrEqual(0.6);
  });

  it('a refresh embeds the new reviews with the stored shop encoder and rescores the Chinese tags in its space', () => {
    expect(zhRefresh.text.modelId).toBe(zh.text.modelId);
    const saved = db;
    db = zdb;
    try {
      expect(best(plantedShares(zhRefresh.runId, 'price-sensitive', truth))).toBe('budget-parents');
      expect(best(plantedShares(zhRefresh.runId, 'early-adopter', truth))).toBe('tech-early-adopters');
    } finally {
      db = saved;
    }
  });
});

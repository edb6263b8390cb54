/**
 * Text for shops that do not write English: the shop-trained SIF encoder,
 * `--text-model auto` routing with one vector block per encoder, and the
 * Chinese sample shop end to end — text-only segments recover the planted
 * ones, their terms are Chinese words, and a refresh embeds new reviews with
 * the stored shop model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database as DB } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../src/eval/metrics.js';
import { readInputs } from '../src/ingest/index.js';
import type { ShopData } from '../src/ingest/records.js';
import { rowsByTime, withRows } from './helpers/review-rows.js';
import { computeProfiles, type Profiles } from '../src/jobs/profiles.js';
import { runRefresh } from '../src/jobs/refresh.js';
import { runTrain } from '../src/jobs/train.js';
import { generateSampleShop, writeSampleShop, type SampleShop } from '../src/sample/index.js';
import { getRun } from '../src/store/runs.js';
import { openDatabase } from '../src/store/store.js';
import { encodeTexts, entityTextVectors, routeTexts, type EncodedTexts } from '../src/text/auto.js';
import { MemoryTextVectorCache } from '../src/text/cache.js';
import { normaliseText } from '../src/text/normalize.js';
import { encodeWithShopModel, loadShopModel, storeShopModel, trainShopEncoder } from '../src/text/shop-encoder.js';

/** Graph settings that make walks and skip-gram cheap: these tests are about text (text weight 1). */
const TEXT_ONLY = { textWeight: 1, walksPerNode: 1, walkLength: 10, dim: 16, threads: 2, seed: 42 } as const;

let dir: string;
let shop: SampleShop;
let data: ShopData;
let profiles: Profiles;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-text-shop-'));
  shop = generateSampleShop({ users: 150, seed: 42, language: 'zh' });
  const files = await writeSampleShop(shop, join(dir, 'zh'));
  data = (await readInputs(files.filter((f) => /reviews|products|users/.test(f)))) as ShopData;
  profiles = await computeProfiles(data, { ...TEXT_ONLY, clusters: 5 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('the Chinese sample shop, text only', () => {
  it('embeds every review with the shop-trained encoder', () => {
    expect(profiles.modelId).toMatch(/^shop-sif-128d@[0-9a-f]{16}$/);
    expect(Object.values(profiles.textStats.byModel)).toEqual([profiles.textStats.texts]);
    expect(profiles.textDim).toBe(128);
  });

  it('recovers the planted segments (ARI >= 0.9)', () => {
    const truth = new Map(shop.users.map((u) => [u.userId, u.segment]));
    const labels = shop.segments.map((s) => s.id);
    const planted = Int32Array.from(profiles.users.ids, (id) => labels.indexOf(truth.get(id)!));
    expect(adjustedRandIndex(planted, profiles.clustering!.assignment)).toBeGreaterThanOrEqual(0.9);
  });

  it('describes segments with Chinese words, not single characters or punctuation', () => {
    for (const s of profiles.segments) {
      expect(s.terms).toHaveLength(10);
      for (const t of s.terms) expect(t).toMatch(/^(\p{scx=Han}{2,}|[\p{L}\p{N}-]{3,})$/u);
      expect(s.terms.filter((t) => /^\p{scx=Han}+$/u.test(t)).length).toBeGreaterThanOrEqual(8);
      for (const snippet of s.snippets) expect(snippet.length).toBeLessThanOrEqual(201);
    }
  });
});

describe('shop-trained encoder', () => {
  it('stores and loads its model through the text cache, giving the same vectors', async () => {
    const texts = shop.reviews.slice(0, 400).map((r) => normaliseText(r.text)).filter((t) => t !== '');
    const model = await trainShopEncoder(texts, { seed: 7, threads: 1 });
    const cache = new MemoryTextVectorCache();
    storeShopModel(cache, model);
    const probe = [texts[0]!, texts[1]!, '完全没见过的词汇组合', 'zzz qqq'];
    const loaded = loadShopModel(cache, model.id, probe);
    expect(Array.from(encodeWithShopModel(loaded, probe).vectors)).toEqual(Array.from(encodeWithShopModel(model, probe).vectors));
    const v = encodeWithShopModel(model, probe).vectors;
    expect(dot(v.subarray(0, 128), v.subarray(0, 128))).toBeCloseTo(1, 5);
    // Only unknown words: no vector.
    expect(v.subarray(3 * 128).every((x) => x === 0)).toBe(true);
    // The common component is removed from the training texts' vectors.
    expect(Math.abs(dot(v.subarray(0, 128), model.pc))).toBeLessThan(1e-5);
    expect(() => loadShopModel(new MemoryTextVectorCache(), model.id, probe)).toThrow(/not in this database's text cache/);
  });
});

describe('auto: one block per encoder', () => {
  it('puts each entity\'s texts into its encoders\' blocks with weights √(share), so cross-encoder cosines are 0', () => {
    const enc: EncodedTexts = {
      blocks: [
        { route: 'transformer', modelId: 'a', dim: 2, rowOf: Int32Array.of(0, 1, -1, -1), vectors: Float32Array.of(1, 0, 0, 1) },
        { route: 'shop', modelId: 'b', dim: 2, rowOf: Int32Array.of(-1, -1, 0, 1), vectors: Float32Array.of(1, 0, 0, 0) },
      ],
      modelId: 'a + b',
      cacheModelIds: [],
      stats: { texts: 4, encoded: 4, cacheHits: 0, sessionRuns: 0, truncated: 0, byModel: {} },
    };
    // Entity 0: texts 0 and 1 (block a only); entity 1: text 2 (block b); entity 2: texts 0, 2 and 3 (3 has no known word).
    const { vectors, hasText, dim } = entityTextVectors(enc, { entity: Int32Array.of(0, 0, 1, 2, 2, 2), text: Uint32Array.of(0, 1, 2, 0, 2, 3) }, 4);
    expect(dim).toBe(4);
    const row = (e: number) => vectors.subarray(e * dim, (e + 1) * dim);
    expect(Array.from(row(0))).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2), 0, 0]);
    expect(Array.from(row(1))).toEqual([0, 0, 1, 0]);
    expect(Array.from(row(2)).map((x) => Math.round(x * 1e6) / 1e6)).toEqual([0.707107, 0, 0.707107, 0]);
    expect(Array.from(hasText)).toEqual([1, 1, 1, 0]);
    expect(dot(row(0), row(1))).toBe(0);
    expect(dot(row(2), row(2))).toBeCloseTo(1, 6);
  });

  it('routes within the encoders a refresh keeps from its base run', () => {
    const texts = ['Works great', '音色非常好', '10/10'];
    expect(routeTexts(texts, 'auto', undefined, {})).toEqual(['transformer', 'shop', 'transformer']);
    expect(routeTexts(texts, 'auto', ['transformer'], {})).toEqual(['transformer', 'transformer', 'transformer']);
    expect(routeTexts(texts, 'auto', ['shop'], {})).toEqual(['shop', 'shop', 'shop']);
    expect(routeTexts(texts, 'shop', undefined, {})).toEqual(['shop', 'shop', 'shop']);
    expect(routeTexts(texts, '/models/multilingual', undefined, {})).toEqual(['transformer', 'transformer', 'transformer']);
    expect(routeTexts(texts, 'auto', undefined, { GRAPHPROF_TEXT_MODEL: '/models/multilingual' })).toEqual(['transformer', 'transformer', 'transformer']);
  });

  it('sends English texts to USE-lite and Chinese ones to the shop encoder', async () => {
    const english = generateSampleShop({ users: 6, seed: 3 }).reviews.map((r) => r.text).filter((t) => t !== '').slice(0, 10);
    const chinese = shop.reviews.map((r) => r.text).filter((t) => t !== '').slice(0, 200);
    const texts = [...english, ...chinese, '10/10'].map(normaliseText);
    const enc = await encodeTexts(texts, { cache: new MemoryTextVectorCache(), threads: 2, seed: 1 });
    expect(enc.blocks.map((b) => [b.route, b.dim])).toEqual([['transformer', 512], ['shop', 128]]);
    expect(enc.modelId).toMatch(/^use-lite-int8@[0-9a-f]{16} \+ shop-sif-128d@[0-9a-f]{16}$/);
    const [t, s] = enc.blocks;
    expect(english.every((_, i) => t!.rowOf[i]! >= 0 && s!.rowOf[i] === -1)).toBe(true);
    expect(chinese.every((_, i) => s!.rowOf[english.length + i]! >= 0)).toBe(true);
    // No letters: the larger block (here the shop's).
    expect(s!.rowOf[texts.length - 1]).toBeGreaterThanOrEqual(0);
    expect(enc.cacheModelIds).toEqual([t!.modelId, s!.modelId, `${s!.modelId}#words`]);
  });
});

describe('refresh of a Chinese shop', () => {
  let db: DB;
  beforeAll(() => {
    db = openDatabase(join(dir, 'g.db'));
  });
  afterAll(() => db?.close());

  it('embeds the new reviews with the stored shop model, in the same space', async () => {
    const byTime = rowsByTime(data);
    const cut = Math.floor(byTime.length * 0.9);
    const old = withRows(data, byTime.slice(0, cut));
    const fresh = withRows(data, byTime.slice(cut));
    const trained = await runTrain(db, { files: ['zh.csv'], data: old, ...TEXT_ONLY, clusters: 5 });
    const refreshed = await runRefresh(db, { files: ['new.csv'], data: fresh, threads: 2 });
    expect(trained.text.modelId).toMatch(/^shop-sif-128d@/);
    expect(refreshed.text.modelId).toBe(trained.text.modelId);
    expect(getRun(db, refreshed.runId).params.shopTextModel).toBe(trained.text.modelId);
    expect(getRun(db, refreshed.runId).params.textRoutes).toEqual(['shop']);
    expect(refreshed.text.encoded).toBeGreaterThan(0);
    expect(refreshed.text.encoded).toBeLessThan(fresh.reviews.count + 1);
  });
});

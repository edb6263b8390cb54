/**
 * The sample-shop generator: determinism (byte-identical files per seed, the
 * committed data/sample reproduces), counts, CSV round trip, and the planted
 * structure (category preferences, rating habits, noise).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  generateSampleShop,
  MIN_REVIEWS_PER_USER,
  planSampleShop,
  ReviewCountDistribution,
  SAMPLE_FILES,
  SEGMENT_PROFILES,
  sampleShopFiles,
  writeSampleShop,
  type SampleShop,
} from '../src/sample/index.js';
import { buildCatalog } from '../src/sample/catalog.js';
import { ProductPicker, SCAN_PICK_MAX } from '../src/sample/generate.js';
import { fillTemplate } from '../src/sample/text.js';
import { Prng } from '../src/util/random.js';
import { command as sampleCommand } from '../src/cli/sample.js';
import { OptionError } from '../src/util/errors.js';
import { runCommand } from './helpers/run-command.js';
import { chiSquare, chiSquareCritical } from './walk-csr.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sampleDir = path.join(repoRoot, 'data', 'sample');

const shop = generateSampleShop({ seed: 42 });

/** The products each user reviewed; fails the test if a user reviews a product twice. */
function reviewedProducts(s: SampleShop): Map<string, Set<string>> {
  const perUser = new Map<string, Set<string>>();
  for (const r of s.reviews) {
    const seen = perUser.get(r.userId) ?? new Set<string>();
    expect(seen.has(r.productId)).toBe(false);
    seen.add(r.productId);
    perUser.set(r.userId, seen);
  }
  return perUser;
}

function rowsOf(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: false }) as Record<string, string>[];
}

describe('Prng', () => {
  it('matches the xoshiro128** reference outputs for state [1, 2, 3, 4]', () => {
    const g = Prng.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 6 }, () => g.nextU32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives independent streams per label and seed', () => {
    const a = new Prng(1, 'users').nextU32();
    expect(new Prng(1, 'users').nextU32()).toBe(a);
    expect(new Prng(1, 'reviews').nextU32()).not.toBe(a);
    expect(new Prng(2, 'users').nextU32()).not.toBe(a);
    expect(new Prng(2 ** 32 + 1, 'users').nextU32()).not.toBe(a);
  });
});

describe('generateSampleShop determinism', () => {
  it('gives byte-identical files for the same seed', () => {
    expect(sampleShopFiles(generateSampleShop({ seed: 42 }))).toEqual(sampleShopFiles(shop));
  });

  it('gives different reviews, users and catalog for another seed', () => {
    const a = sampleShopFiles(shop);
    const b = sampleShopFiles(generateSampleShop({ seed: 43 }));
    for (const f of ['reviews.csv', 'products.csv', 'ground_truth.csv'] as const) expect(b[f]).not.toBe(a[f]);
  });

  it('reproduces the committed data/sample byte for byte', async () => {
    const files = sampleShopFiles(generateSampleShop({ users: 300, seed: 42 }));
    for (const name of SAMPLE_FILES) {
      expect(await readFile(path.join(sampleDir, name), 'utf8'), name).toBe(files[name]);
    }
  });

  it('writeSampleShop writes exactly the serialised files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'graphprof-sample-'));
    try {
      const small = generateSampleShop({ users: 40, seed: 5, segments: 3, products: 30 });
      const written = await writeSampleShop(small, path.join(dir, 'nested', 'out'));
      expect(written.map((f) => path.basename(f))).toEqual([...SAMPLE_FILES]);
      const files = sampleShopFiles(small);
      for (const f of written) expect(await readFile(f, 'utf8')).toBe(files[path.basename(f) as keyof typeof files]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('generateSampleShop counts and validity', () => {
  it('has the requested users, products, segments and categories', () => {
    const s = generateSampleShop({ users: 123, products: 77, segments: 3, seed: 9 });
    expect(s.users).toHaveLength(123);
    expect(s.products).toHaveLength(77);
    expect(s.segments.map((x) => x.id)).toEqual(SEGMENT_PROFILES.slice(0, 3).map((p) => p.id));
    expect(new Set(s.users.map((u) => u.segment)).size).toBe(3);
    expect(new Set(s.products.map((p) => p.category))).toEqual(new Set(s.categories));
    expect(new Set(s.users.map((u) => u.userId)).size).toBe(123);
    expect(new Set(s.products.map((p) => p.productId)).size).toBe(77);
    expect(new Set(s.products.map((p) => p.title)).size).toBe(77);
  });

  it('defaults to 300 users, 120 products, 5 segments over 8 categories', () => {
    expect(shop.users).toHaveLength(300);
    expect(shop.products).toHaveLength(120);
    expect(shop.segments).toHaveLength(5);
    expect(shop.categories).toHaveLength(8);
  });

  it('gives every user at least 3 reviews, never two of the same product', () => {
    const perUser = reviewedProducts(shop);
    expect(perUser.size).toBe(shop.users.length);
    const counts = [...perUser.values()].map((s) => s.size);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(3);
    expect(counts.filter((c) => c > 15).length).toBeGreaterThan(0);
    expect(counts.filter((c) => c <= 15).length / counts.length).toBeGreaterThan(0.9);
  });

  it('references only known users and products; ids and timestamps are ordered and in the window', () => {
    const users = new Map(shop.users.map((u) => [u.userId, u]));
    const products = new Set(shop.products.map((p) => p.productId));
    const start = Date.UTC(2022, 0, 1) / 1000;
    const end = Date.UTC(2024, 0, 1) / 1000;
    let prev = -Infinity;
    shop.reviews.forEach((r, i) => {
      expect(users.has(r.userId) && products.has(r.productId)).toBe(true);
      expect(Number.isInteger(r.rating) && r.rating >= 1 && r.rating <= 5).toBe(true);
      expect(r.timestamp >= start && r.timestamp < end && r.timestamp >= prev).toBe(true);
      expect(r.timestamp).toBeGreaterThanOrEqual(Date.parse(`${users.get(r.userId)!.signupDate}T00:00:00Z`) / 1000);
      expect(r.reviewId).toBe(`R${String(i + 1).padStart(4, '0')}`);
      prev = r.timestamp;
    });
  });

  it('varies review length and leaves a few reviews without text', () => {
    const empty = shop.reviews.filter((r) => r.text === '').length / shop.reviews.length;
    expect(empty).toBeGreaterThan(0.01);
    expect(empty).toBeLessThan(0.06);
    const lengths = shop.reviews.filter((r) => r.text !== '').map((r) => r.text.length).sort((a, b) => a - b);
    expect(lengths[Math.floor(lengths.length * 0.1)]).toBeLessThan(100);
    expect(lengths[Math.floor(lengths.length * 0.9)]).toBeGreaterThan(300);
    expect(shop.reviews.some((r) => r.text.includes('\n\n'))).toBe(true);
  });

  it('rejects impossible options with an OptionError naming the option', () => {
    expect(() => generateSampleShop({ users: 0 })).toThrow(OptionError);
    expect(() => generateSampleShop({ users: 2.5 })).toThrow(/"users"/);
    expect(() => generateSampleShop({ segments: SEGMENT_PROFILES.length + 1 })).toThrow(/"segments"/);
    expect(() => generateSampleShop({ products: 10 })).toThrow(/"products"/);
    expect(() => generateSampleShop({ seed: -1 })).toThrow(/"seed"/);
  });

  it('works with every supported segment count', () => {
    for (let k = 1; k <= SEGMENT_PROFILES.length; k++) {
      const s = generateSampleShop({ users: 30, segments: k, products: 60, seed: k });
      expect(new Set(s.users.map((u) => u.segment)).size).toBe(Math.min(k, 30));
    }
  });
});

describe('sample CSV files', () => {
  const files = sampleShopFiles(shop);

  it('parse back with csv-parse into the same records, quoted commas, quotes and newlines included', () => {
    const rows = rowsOf(files['reviews.csv']);
    expect(Object.keys(rows[0])).toEqual(['review_id', 'user_id', 'product_id', 'rating', 'text', 'timestamp']);
    expect(rows).toHaveLength(shop.reviews.length);
    rows.forEach((row, i) => {
      const r = shop.reviews[i];
      expect(row).toEqual({
        review_id: r.reviewId,
        user_id: r.userId,
        product_id: r.productId,
        rating: String(r.rating),
        text: r.text,
        timestamp: String(r.timestamp),
      });
    });
    expect(rows.some((r) => r.text.includes(','))).toBe(true);
    expect(rows.some((r) => r.text.includes('"'))).toBe(true);
    expect(rows.some((r) => r.text.includes('\n'))).toBe(true);
  });

  it('have the documented columns and cover every user in the ground truth once', () => {
    const products = rowsOf(files['products.csv']);
    expect(Object.keys(products[0])).toEqual(['product_id', 'title', 'category']);
    expect(products).toHaveLength(shop.products.length);
    expect(Object.keys(rowsOf(files['users.csv'])[0])).toEqual(['user_id', 'signup_date']);
    const truth = rowsOf(files['ground_truth.csv']);
    expect(Object.keys(truth[0])).toEqual(['user_id', 'segment']);
    expect(truth.map((t) => t.user_id)).toEqual(shop.users.map((u) => u.userId));
    const known = new Set(shop.segments.map((s) => s.id));
    expect(truth.every((t) => known.has(t.segment))).toBe(true);
    const segments = rowsOf(files['segments.csv']);
    expect(segments.map((s) => s.segment)).toEqual(shop.segments.map((s) => s.id));
  });
});

describe('planted structure', () => {
  function bySegment(s: SampleShop): Map<string, { total: number; preferred: number; ratingSum: number }> {
    const segOf = new Map(s.users.map((u) => [u.userId, u.segment]));
    const catOf = new Map(s.products.map((p) => [p.productId, p.category]));
    const prefs = new Map(s.segments.map((x) => [x.id, x.preferredCategories]));
    const out = new Map<string, { total: number; preferred: number; ratingSum: number }>();
    for (const r of s.reviews) {
      const seg = segOf.get(r.userId)!;
      const e = out.get(seg) ?? { total: 0, preferred: 0, ratingSum: 0 };
      e.total++;
      if (prefs.get(seg)!.includes(catOf.get(r.productId)!)) e.preferred++;
      e.ratingSum += r.rating;
      out.set(seg, e);
    }
    return out;
  }

  it('sends most but not all of each segment\'s reviews to its preferred categories', () => {
    for (const seed of [42, 1234]) {
      const stats = bySegment(generateSampleShop({ seed }));
      expect(stats.size).toBe(5);
      for (const [seg, e] of stats) {
        const share = e.preferred / e.total;
        expect(share, seg).toBeGreaterThanOrEqual(0.7);
        expect(share, seg).toBeLessThanOrEqual(0.95);
      }
    }
  });

  it('gives segments their own rating habits', () => {
    const stats = bySegment(shop);
    const mean = (id: string): number => stats.get(id)!.ratingSum / stats.get(id)!.total;
    expect(mean('beauty-enthusiasts') - mean('audiophiles')).toBeGreaterThan(0.4);
    expect(mean('budget-parents') - mean('tech-early-adopters')).toBeGreaterThan(0.2);
  });

  it('writes in segment voices: a segment\'s topical words are rare in other segments\' reviews', () => {
    const segOf = new Map(shop.users.map((u) => [u.userId, u.segment]));
    const marker: Record<string, RegExp> = {
      'budget-parents': /\b(kids?|toddler|family|parent)\b/i,
      audiophiles: /\b(soundstage|treble|mids|DAC|listen\w*)\b/,
      'outdoor-athletes': /\b(trail|training|hike|run)\b/i,
      'beauty-enthusiasts': /\b(skin|skincare|complexion|vanity)\b/i,
      'tech-early-adopters': /\b(firmware|app|early adopter|spec sheet)\b/i,
    };
    for (const [seg, re] of Object.entries(marker)) {
      const own = shop.reviews.filter((r) => r.text && segOf.get(r.userId) === seg);
      const other = shop.reviews.filter((r) => r.text && segOf.get(r.userId) !== seg);
      const ownShare = own.filter((r) => re.test(r.text)).length / own.length;
      const otherShare = other.filter((r) => re.test(r.text)).length / other.length;
      expect(ownShare, seg).toBeGreaterThan(0.4);
      expect(otherShare, seg).toBeLessThan(0.1);
    }
  });

  it('shares generic phrases across segments', () => {
    const segOf = new Map(shop.users.map((u) => [u.userId, u.segment]));
    const writers = new Set(shop.reviews.filter((r) => r.text.includes('Arrived on time')).map((r) => segOf.get(r.userId)));
    expect(writers.size).toBe(5);
  });

  it('fills every template of every segment', () => {
    const rng = new Prng(3);
    const product = shop.products[0];
    for (const profile of SEGMENT_PROFILES) {
      for (const t of [...profile.topicalPositive, ...profile.topicalNegative, ...profile.persona]) {
        const text = fillTemplate(rng, t, profile, product);
        expect(text, `${profile.id}: ${t}`).not.toMatch(/[{}]/);
        expect(text.charAt(0)).toBe(text.charAt(0).toUpperCase());
      }
    }
  });
});

describe('sample shops at scale: long-tailed review counts, large catalogs, streamed files', () => {
  // 2,000 users, 1,200 products (150 per category: the binary-search picker), mean 9 reviews.
  const opts = { users: 2000, products: 1200, reviewsPerUser: 9, seed: 11 };
  const plan = planSampleShop(opts);
  const big = generateSampleShop(opts);

  it('draws review counts from a long tail with the requested mean', () => {
    const d = new ReviewCountDistribution(10, 2000);
    const rng = new Prng(1);
    const draws = Array.from({ length: 40_000 }, () => d.draw(rng));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(Math.min(...draws)).toBe(MIN_REVIEWS_PER_USER);
    expect(mean).toBeGreaterThan(9.3);
    expect(mean).toBeLessThan(10.7);
    const sorted = [...draws].sort((a, b) => a - b);
    expect(sorted[draws.length >> 1], 'median well below the mean').toBeLessThan(7);
    expect(sorted[Math.floor(draws.length * 0.999)], 'a heavy tail').toBeGreaterThan(100);
  });

  it('gives every user >= 3 distinct products and about the requested mean', () => {
    expect(plan.reviewCount).toBe(big.reviews.length);
    const perUser = reviewedProducts(big);
    expect(perUser.size).toBe(2000);
    const counts = [...perUser.values()].map((x) => x.size);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(3);
    const mean = big.reviews.length / 2000;
    expect(mean).toBeGreaterThan(8);
    expect(mean).toBeLessThan(10);
    expect(Math.max(...counts)).toBeGreaterThan(60);
  });

  it('concentrates reviews on popular products (Zipf-like) and keeps the planted preferences', () => {
    const perProduct = new Map<string, number>();
    for (const r of big.reviews) perProduct.set(r.productId, (perProduct.get(r.productId) ?? 0) + 1);
    const counts = [...perProduct.values()].sort((a, b) => b - a);
    const top = counts.slice(0, 12).reduce((a, b) => a + b, 0);
    expect(top / big.reviews.length, 'the top 1% of products').toBeGreaterThan(0.05);
    const segOf = new Map(big.users.map((u) => [u.userId, u.segment]));
    const catOf = new Map(big.products.map((p) => [p.productId, p.category]));
    const prefs = new Map(big.segments.map((x) => [x.id, x.preferredCategories]));
    const preferred = big.reviews.filter((r) => prefs.get(segOf.get(r.userId)!)!.includes(catOf.get(r.productId)!)).length;
    expect(preferred / big.reviews.length).toBeGreaterThan(0.75);
    expect(preferred / big.reviews.length).toBeLessThan(0.95);
  });

  it('streams the same bytes as the in-memory files, across chunk boundaries', async () => {
    expect(plan.reviewCount).toBeGreaterThan(4096 * 2);
    const files = sampleShopFiles(big);
    expect(sampleShopFiles(plan)).toEqual(files);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'graphprof-sample-plan-'));
    try {
      const progress: number[] = [];
      await writeSampleShop(planSampleShop(opts), dir, (done) => progress.push(done));
      for (const name of SAMPLE_FILES) expect(await readFile(path.join(dir, name), 'utf8'), name).toBe(files[name]);
      expect(progress[progress.length - 1]).toBe(plan.reviewCount);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('draws products of a large category exactly by popularity among the unreviewed ones', () => {
    const catalog = buildCatalog(new Prng(5, 'catalog'), ['Smart Home'], 3 * SCAN_PICK_MAX);
    const picker = new ProductPicker(catalog);
    const members = catalog.byCategory[0];
    // The user already reviewed the 20 most popular products and a few others.
    const byPopularity = [...members].sort((a, b) => catalog.popularity[b] - catalog.popularity[a]);
    const reviewed = new Set([...byPopularity.slice(0, 20), byPopularity[50], byPopularity[100]]);
    const rng = new Prng(9);
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const p = picker.pick(rng, 0, reviewed);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    const open = members.filter((p) => !reviewed.has(p));
    expect([...counts.keys()].every((p) => !reviewed.has(p))).toBe(true);
    const total = open.reduce((s, p) => s + catalog.popularity[p], 0);
    const stat = chiSquare(
      open.map((p) => counts.get(p) ?? 0),
      open.map((p) => catalog.popularity[p] / total),
    );
    expect(stat).toBeLessThan(chiSquareCritical(open.length - 1));
  });

  it('rejects a mean that is not above 3 or leaves no room in the catalog', () => {
    expect(() => planSampleShop({ reviewsPerUser: 3 })).toThrow(/"reviewsPerUser"/);
    expect(() => planSampleShop({ reviewsPerUser: Number.NaN })).toThrow(OptionError);
    expect(() => planSampleShop({ products: 120, reviewsPerUser: 31 })).toThrow(/products \/ 4/);
    expect(planSampleShop({ users: 5, products: 120, reviewsPerUser: 30 }).reviewCount).toBeGreaterThanOrEqual(15);
  });

  it('graphprof sample --reviews-per-user writes the library\'s bytes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'graphprof-sample-cli-scale-'));
    try {
      const printed = await runCommand(sampleCommand, [
        'sample', '--users', '300', '--products', '800', '--reviews-per-user', '12', '--seed', '4', '--out', dir, '--json',
      ]);
      const summary = JSON.parse(printed) as { reviews: number };
      const expected = planSampleShop({ users: 300, products: 800, reviewsPerUser: 12, seed: 4 });
      const files = sampleShopFiles(expected);
      expect(summary.reviews).toBe(expected.reviewCount);
      for (const name of SAMPLE_FILES) expect(await readFile(path.join(dir, name), 'utf8'), name).toBe(files[name]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

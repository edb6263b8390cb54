/**
 * Tags on the committed sample shop with the real USE-lite encoder: the
 * habits and vocabularies the generator plants per segment (src/sample/
 * segment-vocabulary.ts) come back as tags. The first 100 users (741 reviews)
 * keep the test fast; the claims below hold on them with a wide margin.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsWhere, withRows } from './helpers/review-rows.js';
import { reviewRecords } from '../src/ingest/table.js';
import { readInputs, type ShopData } from '../src/ingest/index.js';
import { openTextEncoder, type OpenedTextEncoder } from '../src/text/index.js';
import {
  DEFAULT_TAGS,
  deserializeTagModel,
  explainUserTags,
  fitTagModel,
  interestTags,
  scoreTags,
  serializeTagModel,
  tagInputFromRecords,
  type TagInput,
  type TagModel,
  type TagScores,
  type TextSpace,
} from '../src/tags/index.js';
import { repoRoot, sharedModel } from './helpers/paths.js';

const SAMPLE = path.join(repoRoot, 'data/sample');
const USERS = 100;

let encoder: OpenedTextEncoder;
let data: ShopData;
let userIds: string[];
let segmentOf: Map<string, string>;
let reviews: ShopData['reviews'];
let input: TagInput;
let space: TextSpace;
let model: TagModel;
let scores: TagScores;

beforeAll(async () => {
  data = (await readInputs(['reviews.csv', 'products.csv', 'users.csv'].map((f) => path.join(SAMPLE, f)))) as ShopData;
  const truth = readFileSync(path.join(SAMPLE, 'ground_truth.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  segmentOf = new Map(truth.map(([u, s]) => [u!, s!]));
  userIds = truth.slice(0, USERS).map(([u]) => u!);
  const keep = new Set(userIds);
  reviews = withRows(data, rowsWhere(data, (r) => keep.has(r.userId))).reviews;
  encoder = await openTextEncoder({ modelDir: sharedModel('use-lite') });
  const vectors = await encoder.encode(reviews.text);
  input = tagInputFromRecords({ userIds, reviews, products: data.products, textRow: (i) => (reviews.text[i]!.trim() ? i : -1) });
  space = { id: encoder.modelId, dim: encoder.dim, vectors };
  const categories = [...new Set([...data.products.values()].flatMap((p) => p.categories))].sort();
  ({ model, scores } = await fitTagModel([...DEFAULT_TAGS, ...interestTags(categories)], input, [{ ...space, encode: (t) => encoder.encode(t) }]));
});

afterAll(async () => {
  await encoder?.close();
});

const SEGMENTS = ['audiophiles', 'beauty-enthusiasts', 'budget-parents', 'outdoor-athletes', 'tech-early-adopters'];

/** Mean score and share of members having the tag, per planted segment. */
function bySegment(tag: string): Record<string, { mean: number; share: number; size: number }> {
  const t = scores.tags.indexOf(tag);
  expect(t).toBeGreaterThanOrEqual(0);
  const T = scores.tags.length;
  const out: Record<string, { mean: number; share: number; size: number }> = {};
  for (const seg of SEGMENTS) {
    let sum = 0;
    let n = 0;
    let has = 0;
    userIds.forEach((u, i) => {
      if (segmentOf.get(u) !== seg) return;
      sum += scores.score[i * T + t]!;
      has += scores.has[i * T + t]!;
      n++;
    });
    out[seg] = { mean: sum / n, share: has / n, size: n };
  }
  return out;
}

function best(tag: string): string {
  const s = bySegment(tag);
  return SEGMENTS.reduce((a, b) => (s[a]!.mean >= s[b]!.mean ? a : b));
}

describe('tags on the sample shop', () => {
  it('recovers the planted categories as interest tags', () => {
    const primary: Record<string, string> = {
      audiophiles: 'interest:headphones-audio',
      'beauty-enthusiasts': 'interest:beauty-personal-care',
      'budget-parents': 'interest:baby-kids',
      'outdoor-athletes': 'interest:sports-fitness',
      'tech-early-adopters': 'interest:smart-home',
    };
    for (const [seg, tag] of Object.entries(primary)) {
      const s = bySegment(tag);
      expect(best(tag), tag).toBe(seg);
      expect(s[seg]!.share, `${tag} in ${seg}`).toBeGreaterThanOrEqual(0.6);
      for (const other of SEGMENTS.filter((x) => x !== seg)) expect(s[other]!.share, `${tag} in ${other}`).toBeLessThanOrEqual(0.1);
    }
  });

  it('recovers planted voices and rating habits', () => {
    // Budget parents write about prices and coupons; tech early adopters about launches and firmware.
    expect(best('price-sensitive')).toBe('budget-parents');
    expect(best('early-adopter')).toBe('tech-early-adopters');
    // Audiophiles and tech early adopters are planted with 23% and 17% of ratings at 1-2 stars, the others with 7-10%.
    const c = bySegment('complaint-prone');
    for (const harsh of ['audiophiles', 'tech-early-adopters']) {
      for (const kind of ['beauty-enthusiasts', 'budget-parents', 'outdoor-athletes']) expect(c[harsh]!.mean, `${harsh} vs ${kind}`).toBeGreaterThan(c[kind]!.mean);
    }
  });

  it('gives a per-user sentiment that follows the user\'s ratings', () => {
    const meanRating = new Float64Array(USERS);
    const n = new Float64Array(USERS);
    reviews.rating.forEach((rating, i) => {
      meanRating[input.reviews.user[i]!] += rating;
      n[input.reviews.user[i]!]++;
    });
    for (let u = 0; u < USERS; u++) meanRating[u] /= n[u]!;
    expect(spearman(scores.sentiment, meanRating)).toBeGreaterThan(0.8);
  });

  it('tags a user when the score passes the threshold, and no tag covers most of the shop', () => {
    const T = scores.tags.length;
    for (let t = 0; t < T; t++) {
      let has = 0;
      for (let u = 0; u < USERS; u++) {
        const yes = scores.score[u * T + t]! >= (model.tags[t]!.threshold ?? model.threshold);
        expect(scores.has[u * T + t]).toBe(yes ? 1 : 0);
        has += yes ? 1 : 0;
      }
      expect(scores.counts[t]).toBe(has);
      expect(has / USERS, scores.tags[t]).toBeLessThanOrEqual(0.3);
    }
  });

  it('says what it could not use: Chinese phrases in an English-only encoder, brands the shop lacks', () => {
    // USE-lite's vocabulary is English: every Chinese phrase gets the same vector, so all are dropped.
    expect(model.warnings.some((w) => w.includes('cannot tell them apart') && w.includes('性价比高'))).toBe(true);
    expect(model.spaces[0]!.phrases.some((p) => /\p{Script=Han}/u.test(p))).toBe(false);
    expect(model.warnings).toContain('behaviour signal brand-repeat is not used: the products have no brands');
  });

  it('rescoring with the stored model gives the same scores', () => {
    const again = scoreTags(deserializeTagModel(serializeTagModel(model)), input, [space]);
    expect(again.score).toEqual(scores.score);
    expect(again.percentile).toEqual(scores.percentile);
    expect(again.has).toEqual(scores.has);
    expect(() => scoreTags(model, input, [{ ...space, id: 'another-model' }])).toThrow(/spaces\[0\].*the space the model was fitted with/);
  });

  it('explains a tag with the user\'s reviews and rating facts', () => {
    const t = scores.tags.indexOf('complaint-prone');
    const T = scores.tags.length;
    let user = 0;
    for (let u = 0; u < USERS; u++) if (scores.score[u * T + t]! > scores.score[user * T + t]!) user = u;
    const [e] = explainUserTags(model, input, [space], user, { tags: ['complaint-prone'], review: (k) => ({ id: reviews.reviewId[k]!, text: reviews.text[k]! }) });
    expect(e!.score).toBeCloseTo(scores.score[user * T + t]!, 3);
    expect(e!.has).toBe(true);
    const mine = reviewRecords(reviews).filter((r) => r.userId === userIds[user]);
    const low = mine.filter((r) => (r.rating as number) <= 2).length;
    expect(e!.behaviour[0]!.fact).toMatch(new RegExp(`^${low} of ${mine.length} ratings are 2 stars or less \\(shop \\d+%\\)$`));
    const m = e!.text!.matches;
    expect(m.length).toBe(3);
    expect(m[0]!.z).toBeGreaterThanOrEqual(m[1]!.z);
    expect(mine.map((r) => r.reviewId)).toContain(m[0]!.id);
    expect(model.tags[t]!.phrases).toContain(m[0]!.phrase);
    expect(e!.summary).toMatch(/^complaint-prone: yes \(score [\d.]+, threshold 2, percentile \d+\): \d+ of \d+ ratings/);
  });
});

function ranks(v: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Float64Array(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const ma = ra.reduce((x, y) => x + y, 0) / n;
  const mb = rb.reduce((x, y) => x + y, 0) / n;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

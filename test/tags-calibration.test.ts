/**
 * What "has a tag" means: the score is a z statistic against the shop's
 * typical user, so on a shop without structure about as many users pass the
 * threshold as the normal tail says, whatever share of users really has a
 * trait in a shop with structure. Also the statistics behind it.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../src/util/random.js';
import { fitTagModel, makeTag, normalQuantile, parseHook, percentileOf, shareZ, type TagInput } from '../src/tags/index.js';

/** Users with 3..12 reviews each; each review's product is in category "A" with probability pA(user). */
function shop(users: number, pA: (u: number) => number, seed: number): TagInput {
  const rng = new Prng(seed, 'tags-calibration');
  const user: number[] = [];
  const product: number[] = [];
  const rating: number[] = [];
  for (let u = 0; u < users; u++) {
    const n = 3 + rng.int(10);
    for (let k = 0; k < n; k++) {
      user.push(u);
      product.push(rng.chance(pA(u)) ? rng.int(10) : 10 + rng.int(10));
      rating.push(1 + rng.int(5));
    }
  }
  const count = 20;
  return {
    users,
    reviews: {
      user: Int32Array.from(user),
      product: Int32Array.from(product),
      rating: Float32Array.from(rating),
      time: new Float64Array(user.length).fill(NaN),
      text: new Int32Array(user.length).fill(-1),
    },
    products: { count, categoryOffsets: Uint32Array.from({ length: count + 1 }, (_, i) => i), categoryIndex: Uint32Array.from({ length: count }, (_, i) => (i < 10 ? 0 : 1)) },
    categories: ['A', 'B'],
  };
}

const TAGS = [
  makeTag('likes-a', { kind: 'interest', behaviour: [parseHook('category:A')] }),
  makeTag('harsh', { behaviour: [parseHook('low-ratings'), parseHook('-rating-mean')] }),
];

describe('tag calibration', () => {
  it('tags about 2% of users of a shop without structure', async () => {
    const { scores } = await fitTagModel(TAGS, shop(4000, () => 0.3, 1), []);
    for (let t = 0; t < TAGS.length; t++) {
      const share = scores.counts[t]! / scores.users;
      // P(Z >= 2) = 2.3% for a standard normal; discreteness of small counts keeps it near that.
      expect(share, TAGS[t]!.name).toBeGreaterThan(0.008);
      expect(share, TAGS[t]!.name).toBeLessThan(0.04);
    }
  });

  it('tags the users with a trait even when half the shop has it', async () => {
    const half = (u: number): boolean => u % 2 === 0;
    const input = shop(400, (u) => (half(u) ? 0.95 : 0.05), 2);
    const { scores } = await fitTagModel(TAGS, input, []);
    const n = new Float64Array(400);
    for (const u of input.reviews.user) n[u]++;
    let found = 0;
    let members = 0;
    for (let u = 0; u < 400; u++) {
      if (!half(u)) expect(scores.has[u * 2], `user ${u}`).toBe(0);
      // Evidence grows with the reviews: 3 of 3 in a category half the shop's reviews are in is z 1.53, 5 of 5 is 2.15.
      else if (n[u]! >= 6) {
        members++;
        found += scores.has[u * 2]!;
      }
    }
    expect(found / members).toBeGreaterThan(0.8);
    // A single-hook tag's score is exactly the binomial z of the user's share.
    const k = new Float64Array(400);
    input.reviews.product.forEach((p, i) => {
      if (p < 10) k[input.reviews.user[i]!]++;
    });
    const shopShare = k.reduce((a, b) => a + b, 0) / input.reviews.user.length;
    for (let u = 0; u < 400; u += 37) expect(scores.score[u * 2]).toBeCloseTo(shareZ(k[u]!, n[u]!, shopShare), 5);
  });

  it('tags recent and frequent reviewers from review times', async () => {
    const input = shop(300, () => 0.5, 3);
    const rng = new Prng(4, 'activity');
    const DAY = 86400;
    const end = 1_700_000_000;
    const time = input.reviews.time;
    const user = input.reviews.user;
    // Everyone reviews over two years; users 0..9 also wrote their last review within the last two days,
    // users 10..19 are new and wrote all their reviews within the last month (frequency counts from the first review on).
    for (let k = 0; k < time.length; k++) {
      const u = user[k]!;
      time[k] = u >= 10 && u < 20 ? end - rng.int(30 * DAY) : end - rng.int(730 * DAY);
    }
    for (let u = 0; u < 10; u++) time[user.indexOf(u)] = end - rng.int(2 * DAY);
    time[time.length - 1] = end;
    const tags = [makeTag('recently-active', { kind: 'activity', behaviour: [parseHook('recency')] }), makeTag('frequent-reviewer', { kind: 'activity', behaviour: [parseHook('frequency')] })];
    const { scores } = await fitTagModel(tags, input, []);
    const has = (t: number): number[] => Array.from({ length: 300 }, (_, u) => u).filter((u) => scores.has[u * 2 + t]);
    const last = new Float64Array(300).fill(-Infinity);
    for (let k = 0; k < time.length; k++) last[user[k]!] = Math.max(last[user[k]!]!, time[k]!);
    const recent = has(0);
    for (let u = 0; u < 10; u++) expect(recent, `user ${u}`).toContain(u);
    // The tagged are the most recent reviewers, and a minority.
    const oldestTagged = Math.min(...recent.map((u) => last[u]!));
    for (let u = 0; u < 300; u++) if (!recent.includes(u)) expect(last[u]!).toBeLessThan(oldestTagged);
    expect(recent.length / 300).toBeLessThanOrEqual(0.15);
    const frequent = has(1);
    for (let u = 10; u < 20; u++) expect(frequent, `user ${u}`).toContain(u);
    expect(frequent.length / 300).toBeLessThanOrEqual(0.15);
  });

  it('computes exact binomial mid-p z values and normal quantiles', () => {
    expect(shareZ(4, 4, 0.5)).toBeCloseTo(-normalQuantile(0.03125), 12);
    expect(shareZ(4, 4, 0.5)).toBeCloseTo(1.8627, 3);
    expect(shareZ(1, 1, 0.5)).toBeCloseTo(0.6745, 3);
    expect(shareZ(5, 10, 0.5)).toBeCloseTo(0, 12);
    expect(shareZ(0, 10, 0.5)).toBeCloseTo(-shareZ(10, 10, 0.5), 9);
    // A heavy user: 600 of 1000 at p = 0.5 is about 6.3 sd above, no underflow.
    expect(shareZ(600, 1000, 0.5)).toBeCloseTo(6.3, 0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361341, 5);
    expect(normalQuantile(1 - 1e-12)).toBeCloseTo(7.034484, 4);
  });

  it('reads percentiles from stored quantiles, ties in the middle', () => {
    const q = Float32Array.of(0, 1, 1, 1, 4);
    expect(percentileOf(q, 0, 5, 1)).toBe(50);
    expect(percentileOf(q, 0, 5, 2.5)).toBe(87.5);
    expect(percentileOf(q, 0, 5, -1)).toBe(0);
    expect(percentileOf(q, 0, 5, 9)).toBe(100);
    expect(percentileOf(q, 0, 5, NaN)).toBeNaN();
  });
});

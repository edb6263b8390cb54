/**
 * Stable segments: the Hungarian algorithm on hand-checkable matrices and
 * against brute force, id matching across runs (kept, created, vanished,
 * never reused), the per-segment diff, unique readable names, and drift on
 * constructed vectors.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../src/util/random.js';
import { computeDrift, decideRetrain } from '../src/segment/drift.js';
import { hungarian, initialSegmentIds, matchSegments, maxWeightMatching, membershipOf, segmentDiff } from '../src/segment/match.js';
import { nameSegments, repeatsCategory } from '../src/segment/name.js';
import { OptionError } from '../src/util/errors.js';

const total = (cost: number[][], colOf: Int32Array): number => Array.from(colOf).reduce((s, c, r) => s + cost[r]![c]!, 0);

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('Hungarian algorithm', () => {
  it('solves hand-checked square matrices', () => {
    const a = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    // 1 + 2 + 2: row 0 -> col 1, row 1 -> col 0, row 2 -> col 2.
    expect(Array.from(hungarian(Float64Array.from(a.flat()), 3, 3))).toEqual([1, 0, 2]);
    const b = [
      [9, 2, 7, 8],
      [6, 4, 3, 7],
      [5, 8, 1, 8],
      [7, 6, 9, 4],
    ];
    const colOf = hungarian(Float64Array.from(b.flat()), 4, 4);
    expect(Array.from(colOf)).toEqual([1, 0, 2, 3]);
    expect(total(b, colOf)).toBe(13);
  });

  it('handles rectangles, negative costs and empty matrices', () => {
    // 2 rows, 3 columns: the rows take columns 2 and 0.
    expect(Array.from(hungarian(Float64Array.of(5, 9, 1, 2, 8, 7), 2, 3))).toEqual([2, 0]);
    expect(Array.from(hungarian(Float64Array.of(-1, -5, -3, -2), 2, 2))).toEqual([1, 0]);
    expect(hungarian(new Float64Array(0), 0, 3).length).toBe(0);
    // Maximum weight, more rows than columns: one row stays unmatched.
    expect(Array.from(maxWeightMatching(Float64Array.of(0.9, 0.1, 0.8, 0.7, 0.2, 0.3), 3, 2))).toEqual([0, 1, -1]);
    expect(() => hungarian(Float64Array.of(1, NaN, 2, 3), 2, 2)).toThrow(/cost\[1\]/);
    expect(() => hungarian(Float64Array.of(1, 2), 2, 1)).toThrow(OptionError);
  });

  it('matches brute force on random matrices', () => {
    const rng = new Prng(3, 'hungarian');
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + rng.int(6);
      const m = n + rng.int(3);
      const cost = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.int(20) - 5));
      const got = total(cost, hungarian(Float64Array.from(cost.flat()), n, m));
      let best = Infinity;
      // Every injective map of rows to columns: permutations of the columns, first n taken.
      for (const p of permutations(m)) best = Math.min(best, cost.reduce((s, row, r) => s + row[p[r]!]!, 0));
      expect(got).toBe(best);
    }
  });
});

/** Users u0..u{n-1} with the given segment positions. */
const run = (assignment: number[], k: number) => ({ k, users: assignment.map((_, i) => `u${i}`), assignment: Int32Array.from(assignment) });

describe('stable segment ids', () => {
  it('keeps ids of matching segments, gives new ones fresh ids and never reuses one', () => {
    // Previous: three segments of 10 users with ids 5, 7, 9 (ids 10 and 11 were used by earlier runs).
    const prevAssign = Array.from({ length: 30 }, (_, i) => Math.floor(i / 10));
    const prev = { ...run(prevAssign, 3), ids: Int32Array.of(5, 7, 9), nextId: 12 };
    // Next: the same groups in another order (positions 1, 2, 0), two users moved, and 8 new users in a new segment 3.
    const nextAssign = prevAssign.map((s) => [1, 2, 0][s]!);
    nextAssign[0] = 2;
    nextAssign[15] = 0;
    const next = run([...nextAssign, ...Array.from({ length: 8 }, () => 3)], 4);
    const m = matchSegments(prev, next);
    expect(m.by).toBe('overlap');
    expect(Array.from(m.ids)).toEqual([9, 5, 7, 12]);
    expect(m.matched.map((x) => [x.segment, x.id])).toEqual([[0, 9], [1, 5], [2, 7]]);
    // New segment 1 is old segment 0 less u0: Jaccard 9 / 10.
    expect(m.matched[1]!.similarity).toBeCloseTo(0.9, 12);
    expect(m.created).toEqual([{ segment: 3, id: 12, closest: 5, similarity: 0 }]);
    expect(m.vanished).toEqual([]);
    expect(m.nextId).toBe(13);
  });

  it('reports a segment that dissolved and does not match below the minimum similarity', () => {
    // Previous segment 2 (id 2) is spread over the two others; the rest stays.
    const prev = { ...run([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], 3), ...initialSegmentIds(3) };
    const next = run([0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1], 2);
    const m = matchSegments(prev, next);
    expect(Array.from(m.ids)).toEqual([0, 1]);
    // Old segment 2 (u8..u11) vs new segment 0 (u0..u3, u8, u10): 2 in common of 8.
    expect(m.vanished).toEqual([{ id: 2, previous: 2, closest: 0, similarity: 0.25 }]);
    expect(m.nextId).toBe(3);
    // With a bar above the best overlap (4/6) nothing is kept.
    const strict = matchSegments(prev, next, { minSimilarity: 0.7 });
    expect(Array.from(strict.ids)).toEqual([3, 4]);
    expect(strict.vanished.map((v) => v.id)).toEqual([0, 1, 2]);
  });

  it('matches by centroid when the runs share a vector space', () => {
    const prev = { k: 3, dim: 2, centroids: Float32Array.of(1, 0, 0, 1, -1, 0), ids: Int32Array.of(0, 1, 2) };
    const next = { k: 3, dim: 2, centroids: Float32Array.of(0.1, 1, -1, 0.1, 1, 0.1) };
    const m = matchSegments(prev, next);
    expect(m.by).toBe('centroid');
    expect(Array.from(m.ids)).toEqual([1, 2, 0]);
    expect(() => matchSegments(prev, next, { by: 'overlap' })).toThrow(/previous\.users/);
    expect(() => matchSegments(prev, { ...next, dim: 3, centroids: new Float32Array(9) })).toThrow(/dim/);
  });

  it('lists per segment the users who joined and left', () => {
    const before = membershipOf(['a', 'b', 'c', 'd', 'e'], Int32Array.of(0, 0, 1, 1, 1), Int32Array.of(4, 6));
    const after = membershipOf(['a', 'b', 'c', 'd', 'f'], Int32Array.of(0, 1, 1, 0, 2), Int32Array.of(4, 6, 8));
    const d = segmentDiff(before, after);
    expect(d).toEqual({
      segments: [
        { id: 4, before: 2, after: 2, stayed: 1, joined: [{ user: 'd', from: 6 }], left: [{ user: 'b', to: 6 }] },
        { id: 6, before: 3, after: 2, stayed: 1, joined: [{ user: 'b', from: 4 }], left: [{ user: 'd', to: 4 }, { user: 'e', to: null }] },
        { id: 8, before: 0, after: 1, stayed: 0, joined: [{ user: 'f', from: null }], left: [] },
      ],
      moved: 2,
      newUsers: 1,
      goneUsers: 1,
    });
  });
});

describe('segment names', () => {
  it('names a segment from its top category and terms, in English and Chinese', () => {
    const names = nameSegments([
      { topCategories: ['Headphones & Audio', 'Electronics Accessories'], terms: ['headphones', 'soundstage', 'dac', 'vinyl'] },
      { topCategories: ['乐器'], terms: ['乐器', '音色', '吉他'] },
      { topCategories: [], terms: ['coupon', 'toddler'] },
      { topCategories: ['Pet Supplies'], terms: [] },
      { topCategories: [], terms: [], id: 4 },
    ]);
    expect(names).toEqual(['Headphones & Audio · soundstage, dac', '乐器 · 音色、吉他', 'coupon, toddler', 'Pet Supplies', 'Segment 4']);
    expect(repeatsCategory('Headphone', 'Headphones & Audio')).toBe(true);
    expect(repeatsCategory('audiophile', 'Headphones & Audio')).toBe(false);
  });

  it('keeps names unique: more terms, then the second category, then a number', () => {
    const names = nameSegments([
      { topCategories: ['Home & Kitchen', 'Baby & Kids'], terms: ['value', 'family', 'toddler'] },
      { topCategories: ['Home & Kitchen', 'Beauty'], terms: ['value', 'family', 'scent'] },
      { topCategories: ['Home & Kitchen', 'Baby & Kids'], terms: ['value', 'family'] },
      { topCategories: ['Home & Kitchen', 'Beauty'], terms: ['value', 'family'] },
      { topCategories: ['Home & Kitchen', 'Beauty'], terms: ['value', 'family'] },
    ]);
    expect(names).toEqual([
      'Home & Kitchen · value, family, toddler',
      'Home & Kitchen · value, family, scent',
      'Home & Kitchen & Baby & Kids · value, family',
      'Home & Kitchen & Beauty · value, family',
      'Home & Kitchen & Beauty · value, family (2)',
    ]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('stays within the length limit', () => {
    const [name] = nameSegments([{ topCategories: ['Musical Instruments, Amplifiers and Effects Pedals for Stage'], terms: ['overdrive', 'tube', 'reverb'] }], { maxChars: 40 });
    expect(name!.length).toBeLessThanOrEqual(40);
    expect(name).toBe('Musical Instruments, Amplif… · overdrive');
  });
});

describe('drift', () => {
  const unit = (deg: number): [number, number] => [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)];
  const prev = { ids: ['a', 'b', 'c', 'd', 'e'], dim: 2, vectors: Float32Array.from([0, 0, 0, 90, 45].flatMap(unit)), segments: Int32Array.of(1, 1, 1, 2, 2) };
  const next = { ids: ['f', 'd', 'c', 'b', 'a'], dim: 2, vectors: Float32Array.from([10, 90, 60, 10, 0].flatMap(unit)), segments: Int32Array.of(3, 1, 1, 1, 1) };

  it('finds users whose vector moved past the threshold or whose segment changed', () => {
    const r = computeDrift(prev, next, { threshold: 0.2 });
    // b moved 10 degrees (distance 0.015), c 60 degrees (0.5), d kept its vector but changed segment; e is gone, f new.
    expect(r).toMatchObject({ threshold: 0.2, compared: 4, drifted: 2, share: 0.5, vectorMoved: 1, segmentChanged: 1, newUsers: 1, goneUsers: 1, skipped: 0, listed: 2 });
    expect(r.users.map((u) => [u.user, u.from, u.to, u.vectorMoved, u.segmentChanged])).toEqual([
      ['c', 1, 1, true, false],
      ['d', 2, 1, false, true],
    ]);
    expect(r.users[0]!.distance).toBeCloseTo(0.5, 6);
    expect(r.distance.max).toBeCloseTo(0.5, 6);
    expect(r.distance.mean).toBeCloseTo((0 + (1 - Math.cos(Math.PI / 18)) + 0.5 + 0) / 4, 6);
    expect(computeDrift(prev, next, { threshold: 0.2, limit: 1 }).users.map((u) => u.user)).toEqual(['c']);
  });

  it('decides whether a nightly job should retrain', () => {
    const r = computeDrift(prev, next, { threshold: 0.2 });
    expect(decideRetrain(r, 0.5)).toEqual({ retrain: true, share: 0.5, limit: 0.5, reason: '50% of 4 users drifted (vector moved more than 0.2 or segment changed): at or above the 50% limit, retrain' });
    expect(decideRetrain(r, 0.6).retrain).toBe(false);
    expect(decideRetrain(computeDrift(prev, { ids: [], dim: 2, vectors: new Float32Array(0) }), 0).retrain).toBe(false);
    expect(() => decideRetrain(r, 10)).toThrow(/a share of users in \[0, 1\]/);
    expect(() => computeDrift(prev, { ...next, dim: 1, vectors: new Float32Array(5) })).toThrow(/vectors of different models cannot be compared/);
  });
});

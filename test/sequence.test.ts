import { describe, expect, it } from 'vitest';
import type { ReviewRecord } from '../src/ingest/records.js';
import { reviewTableOf } from '../src/ingest/table.js';
import { interactionsOf, type Interactions } from '../src/rank/interactions.js';
import { hasOrder, newestItems, nextItemScores, nextItemTransitions, sequenceUsers } from '../src/rank/sequence.js';
import { tuneSequence } from '../src/rank/tune.js';
import { walkAndSequenceUsers, walkEmbedding, walkPart, walkProducts, walkUsers } from '../src/rank/walk-part.js';
import { uniform } from '../src/util/random.js';

function review(user: number, item: number, day: number | null): ReviewRecord {
  return { reviewId: `r${user}-${item}`, userId: `u${user}`, productId: `i${item}`, rating: 5, text: '', summary: '', timestamp: day === null ? null : day * 86400, source: { file: 't', line: 1 } };
}
const rows = (prefix: string, n: number): Map<string, number> => new Map(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));
const shop = (rs: ReviewRecord[], users: number, items: number): Interactions => interactionsOf(reviewTableOf(rs), null, rows('u', users), rows('i', items));

/**
 * 4 users x 3 items, by day:
 *   u0: i0 (1), i1 (2)      u1: i0 i1 (1), i2 (3)      u2: i1 i2 (1)      u3: i2 (5)
 * Steps: i0->i1 (u0), i0<->i1 (u1, same day), i0->i2 and i1->i2 (u1), i1<->i2 (u2, same day).
 */
const x = shop([review(0, 0, 1), review(0, 1, 2), review(1, 0, 1), review(1, 1, 1), review(1, 2, 3), review(2, 1, 1), review(2, 2, 1), review(3, 2, 5)], 4, 3);

describe('next-item transitions', () => {
  it('counts steps between consecutive review times (same-time reviews both ways) and normalises each row', () => {
    const t = nextItemTransitions(x);
    const row = (i: number): number[] => {
      const out = [0, 0, 0];
      for (let e = t.offsets[i]; e < t.offsets[i + 1]; e++) out[t.next[e]] = t.share[e];
      return out;
    };
    // i0 -> i1 twice (u0, u1), i0 -> i2 once (u1); i1 -> i0 once (u1), i1 -> i2 twice (u1, u2); i2 -> i1 once (u2).
    expect(row(0)).toEqual([0, 2 / 3, 1 / 3]);
    expect(row(1)).toEqual([1 / 3, 0, 2 / 3]);
    expect(row(2)).toEqual([0, 1, 0]);
    expect(newestItems(x, 2)).toEqual([1, 2]);
    // u2's newest review time holds i1 and i2: the mean of their rows.
    const s = nextItemScores(x, t, 2);
    expect(s.get(0)).toBeCloseTo(1 / 6, 12);
    expect(s.get(1)).toBeCloseTo(1 / 2, 12);
    expect(s.get(2)).toBeCloseTo(1 / 3, 12);
    expect(hasOrder(x)).toBe(true);
    expect(hasOrder(shop([review(0, 0, null), review(0, 1, null), review(1, 1, null)], 2, 2))).toBe(false);
  });

  it('reproduces the next-item scores exactly in the walk part\'s product space at full rank', () => {
    const e = walkEmbedding(x, { alpha: 0.5, dim: 3, seed: 1 });
    const products = walkProducts(x, e, 0.2);
    const t = nextItemTransitions(x);
    const users = sequenceUsers(x, t, products, 3);
    for (let u = 0; u < 4; u++) {
      const want = nextItemScores(x, t, u);
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let c = 0; c < 3; c++) s += users[u * 3 + c] * products[j * 3 + c];
        expect(s).toBeCloseTo(want.get(j) ?? 0, 6);
      }
    }
  });

  it('adds weight x the transition score to the walk score, each over its own spread; weight 0 is the walk part unchanged', () => {
    const o = { alpha: 0.5, beta: 0.2, dim: 3, recencyDays: null, seed: 1 };
    const plain = walkPart(x, o);
    expect(walkPart(x, { ...o, sequence: 0 })).toEqual(plain);
    const mixed = walkPart(x, { ...o, sequence: 0.5 });
    const e = walkEmbedding(x, o);
    const halves = walkAndSequenceUsers(x, walkUsers(x, e, null), plain.products, 3, 1);
    expect(mixed.products).toEqual(plain.products);
    for (let c = 0; c < mixed.users.length; c++) expect(mixed.users[c]).toBeCloseTo(halves.walk[c] + 0.5 * halves.next[c], 6);
  });
});

describe('tuneSequence', () => {
  /**
   * Items on a cycle 0 -> 1 -> ... -> N-1 -> 0; each user reviews a run of
   * consecutive items on consecutive days and next reviews the item after the
   * run. Co-occurrence (RP3β) cannot tell which end of the run comes next;
   * transitions can.
   */
  function cycleShop(seed: number): { x: Interactions; tasks: { user: number; target: number }[] } {
    const N = 30;
    const U = 300;
    const rand = uniform(seed);
    const rs: ReviewRecord[] = [];
    const tasks: { user: number; target: number }[] = [];
    for (let u = 0; u < U; u++) {
      const start = Math.floor(rand() * N);
      const len = 2 + Math.floor(rand() * 4);
      for (let a = 0; a < len; a++) rs.push(review(u, (start + a) % N, a));
      tasks.push({ user: u, target: (start + len) % N });
    }
    return { x: shop(rs, U, N), tasks };
  }

  it('keeps transitions when the order predicts the next item, and scores better with them', () => {
    const { x: cx, tasks } = cycleShop(5);
    const walk = { alpha: 0.5, beta: 0, dim: 30, recencyDays: null };
    const tuned = tuneSequence({ x: cx, tasks, k: 3 }, walk, 7);
    expect(tuned.params.sequence).toBeGreaterThan(0);
    // Against the walk part alone (the grid's 0) on the same tasks.
    const ranks = tuned.ranks as Int32Array;
    const hits = Array.from(ranks).filter((r) => r >= 0 && r < 1).length;
    expect(hits / tasks.length).toBeGreaterThan(0.9);
  });

  it('stays off without timestamps, and when the order carries no signal', () => {
    const { x: cx, tasks } = cycleShop(5);
    const walk = { alpha: 0.5, beta: 0, dim: 30, recencyDays: null };
    const noTime = shop(
      Array.from({ length: cx.users }, (_, u) => Array.from(cx.userItems.subarray(cx.userOffsets[u], cx.userOffsets[u + 1]), (i) => review(u, i, null))).flat(),
      cx.users,
      cx.items,
    );
    expect(tuneSequence({ x: noTime, tasks, k: 3 }, walk, 7).params.sequence).toBe(0);
    // Targets drawn at random: nothing to learn from the order.
    const rand = uniform(11);
    const random = tasks.map((t) => ({ user: t.user, target: Math.floor(rand() * cx.items) }));
    expect(tuneSequence({ x: cx, tasks: random, k: 3 }, walk, 7).params.sequence).toBe(0);
  });
});

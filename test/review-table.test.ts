import { describe, expect, it } from 'vitest';
import { leaveLastOut, validationSplit } from '../src/eval/split.js';
import type { ReviewRecord } from '../src/ingest/records.js';
import { allRows, firstAppearance, ReviewTableBuilder, reviewAt, reviewRecords, reviewTableOf, rowsOfKeys, takeRows } from '../src/ingest/table.js';

const rec = (id: string, user: string, product: string, rating: number | null, timestamp: number | null, line: number, file = 'a.csv'): ReviewRecord => ({
  reviewId: id,
  userId: user,
  productId: product,
  rating,
  text: `text ${id}`,
  summary: `summary ${id}`,
  timestamp,
  source: { file, line },
  helpfulVotes: line === 3 ? 7 : null,
  verified: line === 2 ? true : line === 3 ? false : null,
});

describe('review table', () => {
  const records = [rec('r1', 'u1', 'p1', 5, 10, 2), rec('r2', 'u2', 'p1', null, null, 3), rec('r3', 'u1', 'p2', 4.7, 12, 4, 'b.csv'), rec('r4', 'u3', 'p3', 0, 9, 5, 'b.csv')];

  it('interns users, products and files in order of first appearance and reads every value back as given', () => {
    const t = reviewTableOf(records);
    expect(t.count).toBe(4);
    expect(t.userKeys).toEqual(['u1', 'u2', 'u3']);
    expect(Array.from(t.user)).toEqual([0, 1, 0, 2]);
    expect(t.productKeys).toEqual(['p1', 'p2', 'p3']);
    expect(t.files).toEqual(['a.csv', 'b.csv']);
    expect(Array.from(t.file)).toEqual([0, 0, 1, 1]);
    // Absent values are NaN / -1 in the columns and null again when read back; ratings keep their float64 value.
    expect(Number.isNaN(t.rating[1]!)).toBe(true);
    expect(Array.from(t.verified)).toEqual([1, 0, -1, -1]);
    expect(reviewRecords(t)).toEqual(records);
    expect(reviewAt(t, 2).rating).toBe(4.7);
  });

  it('grows past its first allocation without losing rows', () => {
    const b = new ReviewTableBuilder();
    for (let i = 0; i < 3000; i++) b.add({ reviewId: `r${i}`, userId: `u${i % 17}`, productId: `p${i % 5}`, rating: (i % 5) + 1, text: '', summary: '', timestamp: i }, 'f', i + 2);
    const t = b.finish();
    expect(t.count).toBe(3000);
    expect(t.user.length).toBe(3000);
    expect(t.userKeys).toHaveLength(17);
    expect(reviewAt(t, 2999)).toMatchObject({ reviewId: 'r2999', userId: 'u7', productId: 'p4', rating: 5, timestamp: 2999, source: { file: 'f', line: 3001 } });
  });

  it('names both places of a review id given twice', () => {
    expect(() => reviewTableOf([records[0]!, { ...records[2]!, reviewId: 'r1' }])).toThrow('reviewTableOf: review id "r1" occurs twice (b.csv:4, and row 1)');
  });

  it('cuts rows out as a table sharing the key lists; keys map to rows once per key', () => {
    const t = reviewTableOf(records);
    const part = takeRows(t, Uint32Array.of(3, 1));
    expect(part.userKeys).toBe(t.userKeys);
    expect(reviewRecords(part)).toEqual([records[3], records[1]]);
    expect(Array.from(firstAppearance(t.user, t.userKeys.length, Uint32Array.of(3, 2, 0)))).toEqual([2, 0]);
    expect(Array.from(rowsOfKeys(t.productKeys, new Map([['p3', 0], ['p1', 1]])))).toEqual([1, -1, 0]);
  });
});

describe('splits as rows', () => {
  // u1: 3 reviews (newest at time 9, a tie broken by the later row), u2: 3, u3: 1.
  const t = reviewTableOf([
    rec('a', 'u1', 'p1', 5, 9, 2),
    rec('b', 'u2', 'p1', 5, 1, 3),
    rec('c', 'u1', 'p2', 5, 3, 4),
    rec('d', 'u2', 'p2', 5, null, 5),
    rec('e', 'u1', 'p3', 5, 9, 6),
    rec('f', 'u3', 'p3', 5, 1, 7),
    rec('g', 'u2', 'p3', 5, 2, 8),
  ]);

  it('leave-last-out holds out each eligible user\'s newest row, ties to the later one, absent times oldest', () => {
    const s = leaveLastOut(t, 3);
    expect(Array.from(s.test)).toEqual([4, 6]);
    expect(Array.from(s.train)).toEqual([0, 1, 2, 3, 5]);
    // Inside a subset of rows, and only for the flagged users.
    const inner = leaveLastOut(t, 2, s.train, Uint8Array.of(0, 1, 0));
    expect(Array.from(inner.test)).toEqual([1]);
    expect(Array.from(inner.train)).toEqual([0, 2, 3, 5]);
  });

  it('the validation split draws its users from the training rows only', () => {
    const s = leaveLastOut(t, 3);
    const v = validationSplit(t, s.train, { maxUsers: 10, seed: 1 });
    // Fewer than 100 users have 3 training reviews, so 2 suffice: u1 and u2 each give up their newest training row.
    expect(Array.from(v.test)).toEqual([0, 1]);
    expect(Array.from(v.train)).toEqual([2, 3, 5]);
    expect(Array.from(leaveLastOut(t, 3, allRows(t.count)).test)).toEqual(Array.from(s.test));
  });
});

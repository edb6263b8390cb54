/**
 * Leave-last-out split: for every user with at least `minReviews` reviews, the
 * newest review (by timestamp; on a tie, the later one in the input) is held
 * out and the model is trained on everything else. Splits are rows of a
 * ReviewTable (ascending, in table order), not copies of reviews.
 */
import { allRows, rowsOfKeys } from '../ingest/table.js';
import type { ReviewTable } from '../ingest/records.js';
import type { ValidationTask } from '../rank/objective.js';
import { uniform } from '../util/random.js';

export interface HoldOutSplit {
  /** Rows trained on, in table order. */
  train: Uint32Array;
  /** One held-out row per evaluated user, in table order. */
  test: Uint32Array;
}

/**
 * Leave-last-out over the rows `rows` of `t` (default all). `eligible`: when
 * only some users may give up a review (validation users), a flag per
 * interned user; the others stay in train.
 */
export function leaveLastOut(t: ReviewTable, minReviews = 3, rows: Uint32Array = allRows(t.count), eligible?: Uint8Array): HoldOutSplit {
  const users = t.userKeys.length;
  const count = new Uint32Array(users);
  const last = new Int32Array(users).fill(-1);
  const newest = new Float64Array(users);
  for (const r of rows) {
    const u = t.user[r]!;
    if (eligible && !eligible[u]) continue;
    count[u]++;
    const ts = t.timestamp[r]!;
    const time = Number.isNaN(ts) ? -Infinity : ts;
    if (last[u]! < 0 || time >= newest[u]!) {
      last[u] = r;
      newest[u] = time;
    }
  }
  const held = new Uint8Array(t.count);
  let tests = 0;
  for (let u = 0; u < users; u++) {
    if (count[u]! < minReviews || count[u] === 0) continue;
    held[last[u]!] = 1;
    tests++;
  }
  const train = new Uint32Array(rows.length - tests);
  const test = new Uint32Array(tests);
  let a = 0;
  let b = 0;
  for (const r of rows) {
    if (held[r]) test[b++] = r;
    else train[a++] = r;
  }
  return { train, test };
}

export interface ValidationSplitOptions {
  /** Hold out for at most this many users (a seeded sample of the eligible ones). */
  maxUsers: number;
  seed: number;
  /** Users need this many reviews to give one up (2 is used when fewer than 100 users have 3). */
  minReviews?: number;
}

/**
 * The validation split inside a set of TRAINING rows: leave-last-out for a
 * bounded, seeded sample of users, so tuning and learned fusion never see the
 * evaluation's held-out reviews and the cost stays flat on large shops.
 */
export function validationSplit(t: ReviewTable, train: Uint32Array, o: ValidationSplitOptions): HoldOutSplit {
  const counts = new Uint32Array(t.userKeys.length);
  const order: number[] = []; // users in order of first appearance in `train`: the seeded sample draws from this order
  for (const r of train) if (counts[t.user[r]!]++ === 0) order.push(t.user[r]!);
  let min = o.minReviews ?? 3;
  let eligible = order.filter((u) => counts[u]! >= min);
  if (eligible.length < 100 && min > 2) {
    min = 2;
    eligible = order.filter((u) => counts[u]! >= min);
  }
  if (eligible.length > o.maxUsers) {
    const rand = uniform(o.seed);
    for (let i = eligible.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!];
    }
    eligible = eligible.slice(0, o.maxUsers);
  }
  const chosen = new Uint8Array(t.userKeys.length);
  for (const u of eligible) chosen[u] = 1;
  return leaveLastOut(t, min, train, chosen);
}

/** The validation task of each held-out row whose user has a row: rank the user's products, find the held-out one (-1: a product without a row). */
export function validationTasks(reviews: ReviewTable, test: Uint32Array, userRow: ReadonlyMap<string, number>, productRow: ReadonlyMap<string, number>): ValidationTask[] {
  const uOf = rowsOfKeys(reviews.userKeys, userRow);
  const pOf = rowsOfKeys(reviews.productKeys, productRow);
  const tasks: ValidationTask[] = [];
  for (const r of test) {
    const u = uOf[reviews.user[r]!]!;
    if (u >= 0) tasks.push({ user: u, target: pOf[reviews.product[r]!]! });
  }
  return tasks;
}

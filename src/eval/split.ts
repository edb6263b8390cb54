/**
 * Leave-last-out split: for every user with at least `minReviews` reviews, the
 * newest review (by timestamp; on a tie, the later one in the input) is held
 * out and the model is trained on everything else.
 */
import type { ReviewRecord } from '../ingest/records.js';
import { uniform } from '../util/random.js';

export interface HoldOutSplit {
  train: ReviewRecord[];
  /** One held-out review per evaluated user. */
  test: ReviewRecord[];
}

/**
 * `all`: when the candidates are a subset (validation users), the full review
 * list whose order the split keeps; held-out reviews come from `reviews` only.
 */
export function leaveLastOut(reviews: readonly ReviewRecord[], minReviews = 3, all: readonly ReviewRecord[] = reviews): HoldOutSplit {
  const byUser = new Map<string, number[]>();
  reviews.forEach((r, i) => {
    const list = byUser.get(r.userId);
    if (list) list.push(i);
    else byUser.set(r.userId, [i]);
  });
  const held = new Set<ReviewRecord>();
  for (const list of byUser.values()) {
    if (list.length < minReviews) continue;
    let last = list[0];
    for (const i of list) if ((reviews[i].timestamp ?? -Infinity) >= (reviews[last].timestamp ?? -Infinity)) last = i;
    held.add(reviews[last]);
  }
  const train: ReviewRecord[] = [];
  const test: ReviewRecord[] = [];
  for (const r of all) (held.has(r) ? test : train).push(r);
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
 * The validation split inside a set of TRAINING reviews: leave-last-out for a
 * bounded, seeded sample of users, so tuning and learned fusion never see the
 * evaluation's held-out reviews and the cost stays flat on large shops.
 */
export function validationSplit(train: readonly ReviewRecord[], o: ValidationSplitOptions): HoldOutSplit {
  const counts = new Map<string, number>();
  for (const r of train) counts.set(r.userId, (counts.get(r.userId) ?? 0) + 1);
  let min = o.minReviews ?? 3;
  let eligible = Array.from(counts).filter(([, n]) => n >= min).map(([u]) => u);
  if (eligible.length < 100 && min > 2) {
    min = 2;
    eligible = Array.from(counts).filter(([, n]) => n >= min).map(([u]) => u);
  }
  if (eligible.length > o.maxUsers) {
    const rand = uniform(o.seed);
    for (let i = eligible.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [eligible[i], eligible[j]] = [eligible[j], eligible[i]];
    }
    eligible = eligible.slice(0, o.maxUsers);
  }
  const chosen = new Set(eligible);
  return leaveLastOut(train.filter((r) => chosen.has(r.userId)), min, train);
}

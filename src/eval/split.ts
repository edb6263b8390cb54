/**
 * Leave-last-out split: for every user with at least `minReviews` reviews, the
 * newest review (by timestamp; on a tie, the later one in the input) is held
 * out and the model is trained on everything else.
 */
import type { ReviewRecord } from '../ingest/records.js';

export interface HoldOutSplit {
  train: ReviewRecord[];
  /** One held-out review per evaluated user. */
  test: ReviewRecord[];
}

export function leaveLastOut(reviews: readonly ReviewRecord[], minReviews = 3): HoldOutSplit {
  const byUser = new Map<string, number[]>();
  reviews.forEach((r, i) => {
    const list = byUser.get(r.userId);
    if (list) list.push(i);
    else byUser.set(r.userId, [i]);
  });
  const held = new Set<number>();
  for (const list of byUser.values()) {
    if (list.length < minReviews) continue;
    let last = list[0];
    for (const i of list) if ((reviews[i].timestamp ?? -Infinity) >= (reviews[last].timestamp ?? -Infinity)) last = i;
    held.add(last);
  }
  const train: ReviewRecord[] = [];
  const test: ReviewRecord[] = [];
  reviews.forEach((r, i) => (held.has(i) ? test : train).push(r));
  return { train, test };
}

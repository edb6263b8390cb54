/**
 * The binary user x item interaction matrix of a set of reviews (a user reviewed
 * a product at least once), in CSR form both ways: users -> items and
 * items -> users. Every recommender in src/rank/ reads only this.
 */
import type { ReviewTable } from '../ingest/records.js';
import { rowsOfKeys } from '../ingest/table.js';

export interface Interactions {
  users: number;
  items: number;
  /** users + 1 offsets into userItems; each user's items sorted ascending. */
  userOffsets: Uint32Array;
  userItems: Uint32Array;
  /** items + 1 offsets into itemUsers; each item's users sorted ascending. */
  itemOffsets: Uint32Array;
  itemUsers: Uint32Array;
  /** Newest review time (Unix seconds) of each (user, item) entry, aligned with userItems; NaN without timestamps. */
  itemTimes: Float64Array;
  /** Newest review time of each user; NaN without timestamps. */
  userTimes: Float64Array;
}

/** Items per user (the user's degree). */
export function userDegree(x: Interactions, u: number): number {
  return x.userOffsets[u + 1] - x.userOffsets[u];
}

/** Users per item (its popularity). */
export function itemDegree(x: Interactions, i: number): number {
  return x.itemOffsets[i + 1] - x.itemOffsets[i];
}

export function itemsOf(x: Interactions, u: number): Uint32Array {
  return x.userItems.subarray(x.userOffsets[u], x.userOffsets[u + 1]);
}

/** Interactions of the table rows `rows` (default all) whose user and product have rows; others are ignored. */
export function interactionsOf(
  reviews: ReviewTable,
  rows: Uint32Array | null,
  userRow: ReadonlyMap<string, number>,
  itemRow: ReadonlyMap<string, number>,
): Interactions {
  const users = userRow.size;
  const items = itemRow.size;
  const uOf = rowsOfKeys(reviews.userKeys, userRow);
  const iOf = rowsOfKeys(reviews.productKeys, itemRow);
  const times = new Map<number, number>();
  const n = rows ? rows.length : reviews.count;
  for (let k = 0; k < n; k++) {
    const r = rows ? rows[k]! : k;
    const u = uOf[reviews.user[r]!]!;
    const i = iOf[reviews.product[r]!]!;
    if (u < 0 || i < 0) continue;
    const key = u * items + i;
    const t = reviews.timestamp[r]!;
    const had = times.get(key);
    if (had === undefined || t > had) times.set(key, t);
  }
  return fromPairs(users, items, times);
}

/** From pair keys u * items + i with their newest review time. */
function fromPairs(users: number, items: number, times: Map<number, number>): Interactions {
  const keys = Float64Array.from(times.keys()).sort();
  const userOffsets = new Uint32Array(users + 1);
  const itemOffsets = new Uint32Array(items + 1);
  const userItems = new Uint32Array(keys.length);
  const itemTimes = new Float64Array(keys.length);
  const userTimes = new Float64Array(users).fill(NaN);
  for (let n = 0; n < keys.length; n++) {
    const u = Math.floor(keys[n] / items);
    const i = keys[n] - u * items;
    userOffsets[u + 1]++;
    itemOffsets[i + 1]++;
    userItems[n] = i;
    const t = times.get(keys[n]) as number;
    itemTimes[n] = t;
    if (Number.isNaN(userTimes[u]) || t > userTimes[u]) userTimes[u] = t;
  }
  for (let u = 0; u < users; u++) userOffsets[u + 1] += userOffsets[u];
  for (let i = 0; i < items; i++) itemOffsets[i + 1] += itemOffsets[i];
  const itemUsers = new Uint32Array(keys.length);
  const fill = itemOffsets.slice(0, items);
  for (let u = 0; u < users; u++) {
    for (let a = userOffsets[u]; a < userOffsets[u + 1]; a++) itemUsers[fill[userItems[a]]++] = u;
  }
  return { users, items, userOffsets, userItems, itemOffsets, itemUsers, itemTimes, userTimes };
}

/**
 * Weight of each of user u's items by recency: exp(-Δ / τ) with Δ the days
 * between the item's review and the user's newest one; all 1 when τ is null
 * or there are no timestamps.
 */
export function recencyWeights(x: Interactions, u: number, recencyDays: number | null, out = new Float64Array(userDegree(x, u))): Float64Array {
  const s = x.userOffsets[u];
  const n = x.userOffsets[u + 1] - s;
  const newest = x.userTimes[u];
  for (let a = 0; a < n; a++) {
    const dt = (newest - x.itemTimes[s + a]) / 86400;
    out[a] = recencyDays === null || !(dt > 0) ? 1 : Math.exp(-dt / recencyDays);
  }
  return out;
}

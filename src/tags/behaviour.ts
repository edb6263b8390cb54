/**
 * Per-user behaviour signals for tag hooks (names in BEHAVIOUR_SIGNALS), each
 * turned into a z statistic against a "typical user of this shop" null, so
 * hooks and text combine on one scale (see score.ts):
 *
 * - shares (low-ratings, high-ratings, early-reviews, brand-repeat,
 *   category:*): k of the user's n reviews have the property, the shop's
 *   share is p; z is the normal quantile of the exact binomial mid-p upper
 *   tail, P(X > k) + P(X = k) / 2 with X ~ Bin(n, p). 4 of 4 reviews in a
 *   category half the shop's reviews are in gives z = 1.86; 1 of 1 gives 0.67.
 * - means (rating-mean, rating-deviation): (user mean - shop mean) * sqrt(n) /
 *   shop sd of one review's value; rating-deviation's per-review value is the
 *   rating minus the product's mean from its other reviews (shrunk toward the
 *   shop mean with `productPrior` pseudo-reviews).
 * - activity: a robust z across users, (v - median) / (1.4826 MAD), as there
 *   is no per-review null; on log scales, as activity is heavily skewed:
 *   review-count log(1 + n), frequency log(reviews per 30 days), recency
 *   -log(1 + days since the last review).
 *
 * The null's parameters (shares, means, sds, medians) are learnt at fit time
 * and stored with the tag model, so a later scoring uses the same ones.
 * Each signal also keeps its raw fact (numerator, denominator) for explanations.
 */
import { BEHAVIOUR_SIGNALS, CATEGORY_SIGNAL_PREFIX, type FixedSignal } from './definition.js';
import type { TagInput } from './input.js';
import { normalQuantile, robustCenterScale } from './stats.js';

export const behaviourDefaults = {
  /** Pseudo-reviews at the shop mean added to each product's mean (rating-deviation). */
  productPrior: 3,
  /** A review is "early" when it is among the first this share of its product's reviews (by time). */
  earlyShare: 0.2,
  /** Floor of the activity span (days) for `frequency`, so a brand-new user is not "frequent". */
  minSpanDays: 30,
} as const;

const DAY = 86400;

/** The null a signal's z is measured against. */
export type SignalNull =
  | { kind: 'share'; p: number }
  | { kind: 'mean'; mean: number; sd: number }
  | { kind: 'robust'; center: number; scale: number };

export interface SignalValues {
  name: string;
  /** False when the shop has no data for it (no ratings, no times, no brands, unknown category): hooks on it are skipped. */
  available: boolean;
  /** Per user, z against the null; NaN where the user has no data. */
  z: Float32Array;
  /** Raw facts per user for explanations: numerator and denominator (meaning per signal, see describeSignal). */
  num: Float32Array;
  den: Float32Array;
  /** The shop's value of the raw fact (share, mean rating, mean activity). */
  shop: number;
  null: SignalNull;
  /** Why it is unavailable (for warnings). */
  reason?: string;
}

/** log P(X = j) for X ~ Bin(n, p), j = 0..n, by the pmf recurrence in log space (no underflow). */
function binomialLogPmf(n: number, p: number, out: Float64Array): void {
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  out[0] = n * lq;
  for (let j = 0; j < n; j++) out[j + 1] = out[j]! + Math.log((n - j) / (j + 1)) + lp - lq;
}

/** z of k successes in n trials against share p: normal quantile of the binomial mid-p upper tail. */
export function shareZ(k: number, n: number, p: number, scratch?: Float64Array): number {
  if (n <= 0) return NaN;
  if (p <= 0) return k > 0 ? 8 : 0;
  if (p >= 1) return k < n ? -8 : 0;
  const lp = scratch && scratch.length > n ? scratch : new Float64Array(n + 1);
  binomialLogPmf(n, p, lp);
  let max = -Infinity;
  for (let j = 0; j <= n; j++) max = Math.max(max, lp[j]!);
  let above = 0;
  let all = 0;
  for (let j = 0; j <= n; j++) {
    const v = Math.exp(lp[j]! - max);
    all += v;
    if (j > k) above += v;
    else if (j === k) above += v / 2;
  }
  const midp = Math.min(1 - 1e-16, Math.max(1e-300, above / all));
  return -normalQuantile(midp);
}

interface RatingTotals {
  n: Float64Array;
  sum: Float64Array;
  low: Float64Array;
  high: Float64Array;
  mean: number;
  sd: number;
  lowShare: number;
  highShare: number;
  rated: number;
}

function signal(name: string, users: number): SignalValues {
  return { name, available: true, z: new Float32Array(users).fill(NaN), num: new Float32Array(users), den: new Float32Array(users), shop: NaN, null: { kind: 'share', p: NaN } };
}

function unavailable(s: SignalValues, reason: string): SignalValues {
  s.available = false;
  s.z.fill(NaN);
  s.reason = reason;
  return s;
}

/** Share signal: num = k, den = n per user; null share from the model, else the shop's. */
function shareSignal(s: SignalValues, shopShare: number, fixed: SignalNull | undefined): SignalValues {
  const p = fixed?.kind === 'share' ? fixed.p : shopShare;
  s.shop = p;
  s.null = { kind: 'share', p };
  let maxN = 0;
  for (const d of s.den) maxN = Math.max(maxN, d);
  const scratch = new Float64Array(maxN + 1);
  for (let u = 0; u < s.z.length; u++) if (s.den[u]! > 0) s.z[u] = shareZ(s.num[u]!, s.den[u]!, p, scratch);
  return s;
}

/** Mean signal: num = the user's mean, den = n; z = (mean - null mean) * sqrt(n) / null sd. */
function meanSignal(s: SignalValues, shopMean: number, shopSd: number, fixed: SignalNull | undefined): SignalValues {
  const nul = fixed?.kind === 'mean' ? fixed : { kind: 'mean' as const, mean: shopMean, sd: shopSd };
  s.null = nul;
  s.shop = nul.mean;
  if (!(nul.sd > 0)) return unavailable(s, 'every review has the same value');
  for (let u = 0; u < s.z.length; u++) if (s.den[u]! > 0) s.z[u] = ((s.num[u]! - nul.mean) * Math.sqrt(s.den[u]!)) / nul.sd;
  return s;
}

/** Activity signal: value per user (NaN: no data) against a robust center and scale across users. */
function robustSignal(s: SignalValues, value: Float64Array, fixed: SignalNull | undefined): SignalValues {
  const nul = fixed?.kind === 'robust' ? fixed : { kind: 'robust' as const, ...robustCenterScale(value) };
  s.null = nul;
  if (!(nul.scale > 0)) return unavailable(s, 'every user has the same value');
  for (let u = 0; u < s.z.length; u++) if (Number.isFinite(value[u]!)) s.z[u] = (value[u]! - nul.center) / nul.scale;
  return s;
}

class SignalContext {
  private ratings?: RatingTotals;
  constructor(readonly input: TagInput) {}

  get scale(): { min: number; max: number } {
    return this.input.ratingScale ?? { min: 1, max: 5 };
  }

  totals(): RatingTotals {
    if (this.ratings) return this.ratings;
    const { users, reviews } = this.input;
    const n = new Float64Array(users);
    const sum = new Float64Array(users);
    const low = new Float64Array(users);
    const high = new Float64Array(users);
    const { min, max } = this.scale;
    const lowCut = min + (max - min) / 4 + 1e-9;
    let total = 0;
    let squares = 0;
    let rated = 0;
    let lows = 0;
    let highs = 0;
    for (let k = 0; k < reviews.user.length; k++) {
      const r = reviews.rating[k]!;
      if (!Number.isFinite(r)) continue;
      const u = reviews.user[k]!;
      n[u]++;
      sum[u] += r;
      total += r;
      squares += r * r;
      rated++;
      if (r <= lowCut) {
        low[u]++;
        lows++;
      }
      if (r >= max - 1e-9) {
        high[u]++;
        highs++;
      }
    }
    const mean = rated ? total / rated : NaN;
    const sd = rated > 1 ? Math.sqrt(Math.max(0, (squares - rated * mean * mean) / (rated - 1))) : NaN;
    this.ratings = { n, sum, low, high, rated, mean, sd, lowShare: rated ? lows / rated : NaN, highShare: rated ? highs / rated : NaN };
    return this.ratings;
  }

  timeRange(): { end: number; timed: number } {
    let end = -Infinity;
    let timed = 0;
    for (const t of this.input.reviews.time) {
      if (!Number.isFinite(t)) continue;
      timed++;
      if (t > end) end = t;
    }
    return { end, timed };
  }
}

function ratingSignal(ctx: SignalContext, name: 'rating-mean' | 'low-ratings' | 'high-ratings', fixed: SignalNull | undefined): SignalValues {
  const s = signal(name, ctx.input.users);
  const t = ctx.totals();
  if (t.rated === 0) return unavailable(s, 'no review has a rating');
  s.den.set(t.n);
  if (name === 'rating-mean') {
    for (let u = 0; u < s.z.length; u++) if (t.n[u]! > 0) s.num[u] = t.sum[u]! / t.n[u]!;
    return meanSignal(s, t.mean, t.sd, fixed);
  }
  s.num.set(name === 'low-ratings' ? t.low : t.high);
  return shareSignal(s, name === 'low-ratings' ? t.lowShare : t.highShare, fixed);
}

function ratingDeviation(ctx: SignalContext, fixed: SignalNull | undefined): SignalValues {
  const { users, reviews, products } = ctx.input;
  const s = signal('rating-deviation', users);
  const t = ctx.totals();
  if (t.rated === 0) return unavailable(s, 'no review has a rating');
  const pSum = new Float64Array(products.count);
  const pN = new Float64Array(products.count);
  for (let k = 0; k < reviews.user.length; k++) {
    const r = reviews.rating[k]!;
    const p = reviews.product[k]!;
    if (!Number.isFinite(r) || p < 0) continue;
    pSum[p] += r;
    pN[p]++;
  }
  const M = behaviourDefaults.productPrior;
  const g = t.mean;
  let total = 0;
  let squares = 0;
  let n = 0;
  for (let k = 0; k < reviews.user.length; k++) {
    const r = reviews.rating[k]!;
    const p = reviews.product[k]!;
    if (!Number.isFinite(r) || p < 0) continue;
    const dev = r - (pSum[p]! - r + M * g) / (pN[p]! - 1 + M);
    const u = reviews.user[k]!;
    s.num[u] += dev;
    s.den[u]++;
    total += dev;
    squares += dev * dev;
    n++;
  }
  for (let u = 0; u < users; u++) if (s.den[u]! > 0) s.num[u] = s.num[u]! / s.den[u]!;
  if (n === 0) return unavailable(s, 'no rated review has a product');
  const mean = total / n;
  const sd = n > 1 ? Math.sqrt(Math.max(0, (squares - n * mean * mean) / (n - 1))) : NaN;
  return meanSignal(s, mean, sd, fixed);
}

function activitySignal(ctx: SignalContext, name: 'review-count' | 'frequency' | 'recency', fixed: SignalNull | undefined): SignalValues {
  const { users, reviews } = ctx.input;
  const s = signal(name, users);
  const value = new Float64Array(users).fill(NaN);
  if (name === 'review-count') {
    for (const u of reviews.user) s.num[u]++;
    let total = 0;
    for (let u = 0; u < users; u++) {
      s.den[u] = 1;
      value[u] = Math.log1p(s.num[u]!);
      total += s.num[u]!;
    }
    s.shop = users ? total / users : NaN;
    return robustSignal(s, value, fixed);
  }
  const { end, timed } = ctx.timeRange();
  if (timed === 0) return unavailable(s, 'no review has a time');
  const first = new Float64Array(users).fill(Infinity);
  const last = new Float64Array(users).fill(-Infinity);
  const count = new Float64Array(users);
  for (let k = 0; k < reviews.user.length; k++) {
    const t = reviews.time[k]!;
    if (!Number.isFinite(t)) continue;
    const u = reviews.user[k]!;
    count[u]++;
    if (t < first[u]!) first[u] = t;
    if (t > last[u]!) last[u] = t;
  }
  let acc = 0;
  let active = 0;
  for (let u = 0; u < users; u++) {
    if (count[u]! === 0) continue;
    active++;
    if (name === 'frequency') {
      const span = Math.max(behaviourDefaults.minSpanDays, (end - first[u]!) / DAY);
      s.num[u] = count[u]!;
      s.den[u] = span;
      value[u] = Math.log((count[u]! / span) * 30);
      acc += (count[u]! / span) * 30;
    } else {
      const days = (end - last[u]!) / DAY;
      s.num[u] = days;
      s.den[u] = 1;
      value[u] = -Math.log1p(days);
      acc += days;
    }
  }
  s.shop = active ? acc / active : NaN;
  return robustSignal(s, value, fixed);
}

/** Review indices grouped by product (counting sort), each group sorted by time (ties by index). */
function reviewsByProduct(input: TagInput): { start: Uint32Array; order: Uint32Array } {
  const { reviews, products } = input;
  const start = new Uint32Array(products.count + 1);
  for (let k = 0; k < reviews.product.length; k++) {
    const p = reviews.product[k]!;
    if (p >= 0 && Number.isFinite(reviews.time[k]!)) start[p + 1]++;
  }
  for (let p = 0; p < products.count; p++) start[p + 1] += start[p]!;
  const order = new Uint32Array(start[products.count]!);
  const fill = start.slice(0, products.count);
  for (let k = 0; k < reviews.product.length; k++) {
    const p = reviews.product[k]!;
    if (p >= 0 && Number.isFinite(reviews.time[k]!)) order[fill[p]!++] = k;
  }
  for (let p = 0; p < products.count; p++) {
    order.subarray(start[p]!, start[p + 1]!).sort((a, b) => reviews.time[a]! - reviews.time[b]! || a - b);
  }
  return { start, order };
}

function earlyReviews(ctx: SignalContext, fixed: SignalNull | undefined): SignalValues {
  const { users, reviews, products } = ctx.input;
  const s = signal('early-reviews', users);
  const { start, order } = reviewsByProduct(ctx.input);
  if (order.length === 0) return unavailable(s, 'no review has both a product and a time');
  let early = 0;
  for (let p = 0; p < products.count; p++) {
    const n = start[p + 1]! - start[p]!;
    const cut = Math.ceil(behaviourDefaults.earlyShare * n);
    for (let i = 0; i < n; i++) {
      const u = reviews.user[order[start[p]! + i]!]!;
      s.den[u]++;
      if (i < cut) {
        s.num[u]++;
        early++;
      }
    }
  }
  return shareSignal(s, early / order.length, fixed);
}

function brandRepeat(ctx: SignalContext, fixed: SignalNull | undefined): SignalValues {
  const { users, reviews, products } = ctx.input;
  const s = signal('brand-repeat', users);
  const brand = products.brand;
  if (!brand) return unavailable(s, 'the products have no brands');
  let brands = 0;
  for (const b of brand) brands = Math.max(brands, b + 1);
  const keys: number[] = [];
  for (let k = 0; k < reviews.user.length; k++) {
    const p = reviews.product[k]!;
    const b = p >= 0 ? brand[p]! : -1;
    if (b >= 0) keys.push(reviews.user[k]! * brands + b);
  }
  if (keys.length === 0) return unavailable(s, 'no reviewed product has a brand');
  const sorted = Float64Array.from(keys).sort();
  let repeats = 0;
  for (let i = 0; i < sorted.length; i++) {
    const u = Math.floor(sorted[i]! / brands);
    s.den[u]++;
    if (i > 0 && sorted[i] === sorted[i - 1]) {
      s.num[u]++;
      repeats++;
    }
  }
  return shareSignal(s, repeats / sorted.length, fixed);
}

function categoryShare(ctx: SignalContext, name: string, fixed: SignalNull | undefined): SignalValues {
  const { users, reviews, products, categories } = ctx.input;
  const s = signal(name, users);
  const category = name.slice(CATEGORY_SIGNAL_PREFIX.length);
  const ci = categories.indexOf(category);
  if (ci < 0) return unavailable(s, `the shop has no category ${JSON.stringify(category)}`);
  let hits = 0;
  for (let k = 0; k < reviews.user.length; k++) {
    const u = reviews.user[k]!;
    s.den[u]++;
    const p = reviews.product[k]!;
    if (p < 0) continue;
    for (let j = products.categoryOffsets[p]!; j < products.categoryOffsets[p + 1]!; j++) {
      if (products.categoryIndex[j] === ci) {
        s.num[u]++;
        hits++;
        break;
      }
    }
  }
  return shareSignal(s, reviews.user.length ? hits / reviews.user.length : 0, fixed);
}

function computeOne(ctx: SignalContext, name: string, fixed: SignalNull | undefined): SignalValues {
  if (name.startsWith(CATEGORY_SIGNAL_PREFIX)) return categoryShare(ctx, name, fixed);
  switch (name as FixedSignal) {
    case 'rating-mean':
    case 'low-ratings':
    case 'high-ratings':
      return ratingSignal(ctx, name as 'rating-mean', fixed);
    case 'rating-deviation':
      return ratingDeviation(ctx, fixed);
    case 'review-count':
    case 'frequency':
    case 'recency':
      return activitySignal(ctx, name as 'frequency', fixed);
    case 'early-reviews':
      return earlyReviews(ctx, fixed);
    case 'brand-repeat':
      return brandRepeat(ctx, fixed);
  }
  throw new RangeError(`computeSignals: unknown signal ${JSON.stringify(name)}; expected one of ${Object.keys(BEHAVIOUR_SIGNALS).join(', ')} or ${CATEGORY_SIGNAL_PREFIX}<name>`);
}

/**
 * The named signals for every user, each computed once in O(reviews)
 * (early-reviews sorts each product's reviews by time). `nulls` fixes the
 * null parameters (from a fitted model); without it they come from `input`.
 */
export function computeSignals(input: TagInput, names: Iterable<string>, nulls?: Readonly<Record<string, SignalNull>>): Map<string, SignalValues> {
  const ctx = new SignalContext(input);
  const out = new Map<string, SignalValues>();
  for (const name of names) {
    if (out.has(name)) continue;
    const s = computeOne(ctx, name, nulls?.[name]);
    if (s.available && s.null.kind === 'share' && !nulls && !(s.null.p > 0 && s.null.p < 1)) unavailable(s, s.null.p === 0 ? 'no review has it' : 'every review has it');
    out.set(name, s);
  }
  return out;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const fmt = (x: number, digits = 1): string => (Math.round(x * 10 ** digits) / 10 ** digits).toString();

/** One sentence with the user's raw fact for a signal ("4 of 9 ratings are 2 stars or less (shop 9%)"). */
export function describeSignal(name: string, num: number, den: number, shop: number, scale = { min: 1, max: 5 }): string {
  if (name.startsWith(CATEGORY_SIGNAL_PREFIX)) return `${num} of ${den} reviews on ${name.slice(CATEGORY_SIGNAL_PREFIX.length)} products (shop ${pct(shop)})`;
  const lowCut = Math.floor(scale.min + (scale.max - scale.min) / 4 + 1e-9);
  switch (name as FixedSignal) {
    case 'rating-mean':
      return `mean rating ${fmt(num, 2)} over ${den} ratings (shop ${fmt(shop, 2)})`;
    case 'rating-deviation':
      return `rates ${fmt(Math.abs(num), 2)} stars ${num < 0 ? 'below' : 'above'} the other reviewers of the same products, over ${den} ratings`;
    case 'low-ratings':
      return `${num} of ${den} ratings are ${lowCut} stars or less (shop ${pct(shop)})`;
    case 'high-ratings':
      return `${num} of ${den} ratings are ${scale.max} stars (shop ${pct(shop)})`;
    case 'review-count':
      return `${num} reviews (shop mean ${fmt(shop)})`;
    case 'frequency':
      return `${num} reviews in ${Math.round(den)} days, ${fmt((num / den) * 30)} per 30 days (shop mean ${fmt(shop)})`;
    case 'recency':
      return `last review ${Math.round(num)} days before the newest review in the shop (shop mean ${Math.round(shop)})`;
    case 'early-reviews':
      return `${num} of ${den} reviews among the first fifth of their product's reviews (shop ${pct(shop)})`;
    case 'brand-repeat':
      return `${num} of ${den} reviews on a brand reviewed before (shop ${pct(shop)})`;
  }
  return `${name}: ${num} / ${den}`;
}

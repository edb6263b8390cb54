/**
 * Per-user behaviour signals for tag hooks (names in BEHAVIOUR_SIGNALS):
 * rating habits, activity, early reviewing, brand repeats and category
 * shares. Every share and mean is shrunk toward the shop's value with
 * `behaviourDefaults.prior` pseudo-reviews, so one review does not make an
 * extreme; product means for rating-deviation leave the review itself out
 * and are shrunk with `productPrior` pseudo-reviews at the shop mean.
 * Each signal also keeps its raw fact (numerator, denominator) for explanations.
 */
import { BEHAVIOUR_SIGNALS, CATEGORY_SIGNAL_PREFIX, type FixedSignal } from './definition.js';
import type { TagInput } from './input.js';

export const behaviourDefaults = {
  /** Pseudo-reviews at the shop's value added to every user's share or mean. */
  prior: 2,
  /** Pseudo-reviews at the shop mean added to each product's mean (rating-deviation). */
  productPrior: 3,
  /** A review is "early" when it is among the first this share of its product's reviews (by time). */
  earlyShare: 0.2,
  /** Floor of the activity span (days) for `frequency`, so a brand-new user is not "frequent". */
  minSpanDays: 30,
} as const;

const DAY = 86400;

export interface SignalValues {
  name: string;
  /** False when the shop has no data for it (no ratings, no times, no brands, unknown category): hooks on it are skipped. */
  available: boolean;
  /** Per user, the (shrunk) value the score uses; NaN where the user has no data. */
  value: Float32Array;
  /** Raw facts per user for explanations: numerator and denominator (meaning per signal, see describeSignal). */
  num: Float32Array;
  den: Float32Array;
  /** The shop's value of the raw fact (mean rating, share of low ratings, ...). */
  shop: number;
  /** Why it is unavailable (for warnings). */
  reason?: string;
}

interface RatingTotals {
  n: Float64Array;
  sum: Float64Array;
  low: Float64Array;
  high: Float64Array;
  globalMean: number;
  lowShare: number;
  highShare: number;
  rated: number;
}

function signal(name: string, users: number): SignalValues {
  return { name, available: true, value: new Float32Array(users).fill(NaN), num: new Float32Array(users), den: new Float32Array(users), shop: NaN };
}

function unavailable(s: SignalValues, reason: string): SignalValues {
  s.available = false;
  s.value.fill(NaN);
  s.reason = reason;
  return s;
}

/** value = (num + prior * shopShare) / (den + prior) for users with den > 0. */
function shrunkShare(s: SignalValues, shopShare: number): SignalValues {
  const P = behaviourDefaults.prior;
  s.shop = shopShare;
  for (let u = 0; u < s.value.length; u++) if (s.den[u]! > 0) s.value[u] = (s.num[u]! + P * shopShare) / (s.den[u]! + P);
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
    this.ratings = { n, sum, low, high, rated, globalMean: rated ? total / rated : NaN, lowShare: rated ? lows / rated : NaN, highShare: rated ? highs / rated : NaN };
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

function ratingSignal(ctx: SignalContext, name: 'rating-mean' | 'low-ratings' | 'high-ratings'): SignalValues {
  const s = signal(name, ctx.input.users);
  const t = ctx.totals();
  if (t.rated === 0) return unavailable(s, 'no review has a rating');
  s.den.set(t.n);
  if (name === 'rating-mean') {
    const P = behaviourDefaults.prior;
    s.shop = t.globalMean;
    for (let u = 0; u < s.value.length; u++) {
      if (t.n[u]! === 0) continue;
      s.num[u] = t.sum[u]! / t.n[u]!;
      s.value[u] = (t.sum[u]! + P * t.globalMean) / (t.n[u]! + P) - t.globalMean;
    }
    return s;
  }
  s.num.set(name === 'low-ratings' ? t.low : t.high);
  return shrunkShare(s, name === 'low-ratings' ? t.lowShare : t.highShare);
}

function ratingDeviation(ctx: SignalContext): SignalValues {
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
  const g = t.globalMean;
  for (let k = 0; k < reviews.user.length; k++) {
    const r = reviews.rating[k]!;
    const p = reviews.product[k]!;
    if (!Number.isFinite(r) || p < 0) continue;
    const others = (pSum[p]! - r + M * g) / (pN[p]! - 1 + M);
    const u = reviews.user[k]!;
    s.num[u] += r - others;
    s.den[u]++;
  }
  const P = behaviourDefaults.prior;
  s.shop = 0;
  for (let u = 0; u < users; u++) {
    if (s.den[u]! === 0) continue;
    s.value[u] = s.num[u]! / (s.den[u]! + P);
    s.num[u] = s.num[u]! / s.den[u]!; // the fact shown: mean deviation
  }
  return s;
}

function activitySignal(ctx: SignalContext, name: 'review-count' | 'frequency' | 'recency'): SignalValues {
  const { users, reviews } = ctx.input;
  const s = signal(name, users);
  if (name === 'review-count') {
    for (const u of reviews.user) s.num[u]++;
    let total = 0;
    for (let u = 0; u < users; u++) {
      s.den[u] = 1;
      s.value[u] = Math.log1p(s.num[u]!);
      total += s.num[u]!;
    }
    s.shop = users ? total / users : NaN;
    return s;
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
      s.value[u] = (count[u]! / span) * 30;
      acc += s.value[u]!;
    } else {
      const days = (end - last[u]!) / DAY;
      s.num[u] = days;
      s.den[u] = 1;
      s.value[u] = -days;
      acc += days;
    }
  }
  s.shop = active ? acc / active : NaN;
  return s;
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
    const group = order.subarray(start[p]!, start[p + 1]!);
    group.sort((a, b) => reviews.time[a]! - reviews.time[b]! || a - b);
  }
  return { start, order };
}

function earlyReviews(ctx: SignalContext): SignalValues {
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
  return shrunkShare(s, early / order.length);
}

function brandRepeat(ctx: SignalContext): SignalValues {
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
  return shrunkShare(s, repeats / sorted.length);
}

function categoryShare(ctx: SignalContext, name: string): SignalValues {
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
  return shrunkShare(s, reviews.user.length ? hits / reviews.user.length : 0);
}

function computeOne(ctx: SignalContext, name: string): SignalValues {
  if (name.startsWith(CATEGORY_SIGNAL_PREFIX)) return categoryShare(ctx, name);
  switch (name as FixedSignal) {
    case 'rating-mean':
    case 'low-ratings':
    case 'high-ratings':
      return ratingSignal(ctx, name as 'rating-mean');
    case 'rating-deviation':
      return ratingDeviation(ctx);
    case 'review-count':
    case 'frequency':
    case 'recency':
      return activitySignal(ctx, name as 'frequency');
    case 'early-reviews':
      return earlyReviews(ctx);
    case 'brand-repeat':
      return brandRepeat(ctx);
  }
  throw new RangeError(`computeSignals: unknown signal ${JSON.stringify(name)}; expected one of ${Object.keys(BEHAVIOUR_SIGNALS).join(', ')} or ${CATEGORY_SIGNAL_PREFIX}<name>`);
}

/** The named signals for every user (each computed once, in O(reviews), early-reviews O(reviews log reviews)). */
export function computeSignals(input: TagInput, names: Iterable<string>): Map<string, SignalValues> {
  const ctx = new SignalContext(input);
  const out = new Map<string, SignalValues>();
  for (const name of names) if (!out.has(name)) out.set(name, computeOne(ctx, name));
  for (const s of out.values()) {
    if (!s.available) continue;
    let finite = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of s.value) {
      if (!Number.isFinite(v)) continue;
      finite++;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (finite < 2 || hi - lo < 1e-9) unavailable(s, finite < 2 ? 'fewer than two users have data' : 'every user has the same value');
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
      return `${num} reviews in ${Math.round(den)} days, ${fmt((num / den) * 30)} per 30 days`;
    case 'recency':
      return `last review ${Math.round(num)} days before the newest review in the shop (shop mean ${Math.round(shop)})`;
    case 'early-reviews':
      return `${num} of ${den} reviews among the first fifth of their product's reviews (shop ${pct(shop)})`;
    case 'brand-repeat':
      return `${num} of ${den} reviews on a brand reviewed before (shop ${pct(shop)})`;
  }
  return `${name}: ${num} / ${den}`;
}

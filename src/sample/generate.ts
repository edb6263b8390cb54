/**
 * generateSampleShop: a seeded synthetic shop with planted customer segments.
 * Each segment buys mostly from its preferred categories, writes in its own
 * voice and has its own rating habits; a share of off-segment purchases and
 * generic sentences keeps recovery realistic rather than trivial. Independent
 * PRNG streams (catalog, users, reviews) mean e.g. the catalog of a seed does
 * not change when only the user count changes.
 *
 * Built for a million reviews: planSampleShop draws every review into typed
 * columns (texts are drawn but not kept: their generator state is), sorts them
 * into time order, and SamplePlan.reviews() writes each text again on the way
 * out, so memory stays at about 30 bytes per review.
 */
import type { Progress } from '../util/progress.js';
import { buildCatalog, padId, type Catalog, type SampleProduct } from './catalog.js';
import {
  categoriesFor,
  MIN_REVIEWS_PER_USER,
  resolveSampleOptions,
  type ResolvedSampleOptions,
  type SampleOptions,
} from './options.js';
import { Prng } from '../util/random.js';
import type { SegmentProfile } from './segment-vocabulary.js';
import { composeReviewText, type ReviewTextContext } from './text.js';

import { sampleVocabulary, type SampleVocabulary } from './vocabulary.js';

export { MIN_REVIEWS_PER_USER };

export interface SampleSegment {
  id: string;
  name: string;
  preferredCategories: string[];
  /** Expected star rating of the segment's rating habit. */
  meanRating: number;
}

export interface SampleUser {
  userId: string;
  /** YYYY-MM-DD (UTC). */
  signupDate: string;
  /** Planted segment id (the ground truth). */
  segment: string;
}

export interface SampleReview {
  reviewId: string;
  userId: string;
  productId: string;
  rating: number;
  /** '' for the few reviews without text. */
  text: string;
  /** Unix seconds. */
  timestamp: number;
}

export interface SampleShop {
  options: ResolvedSampleOptions;
  segments: SampleSegment[];
  categories: string[];
  users: SampleUser[];
  products: SampleProduct[];
  reviews: SampleReview[];
}

/** Review window: two years, 2022-01-01 .. 2024-01-01 UTC. */
const WINDOW_START = Date.UTC(2022, 0, 1) / 1000;
const WINDOW_END = Date.UTC(2024, 0, 1) / 1000;
const DAY = 86400;

/** Relative weights of a regular user writing 3, 4, ... 15 reviews. */
const REVIEW_COUNT_WEIGHTS = [16, 15, 14, 12, 10, 8, 7, 6, 5, 4, 3, 3, 2];
/** Share of heavy reviewers, who write HEAVY_MIN..HEAVY_MAX reviews. */
const HEAVY_SHARE = 0.05;
const HEAVY_MIN = 16;
const HEAVY_MAX = 30;
/** Mean and spread of a user's share of purchases outside the segment's categories. */
const OFF_SEGMENT_MEAN = 0.12;
const OFF_SEGMENT_SD = 0.04;
const EMPTY_TEXT_SHARE = 0.03;
/** Relative segment sizes, so segments are not all the same size. */
const SEGMENT_SIZE_WEIGHTS = [1.25, 0.9, 1.1, 1.0, 0.8, 1.05, 0.95, 0.85];

function meanRating(p: SegmentProfile): number {
  let total = 0;
  let sum = 0;
  p.ratingWeights.forEach((w, i) => {
    total += w;
    sum += w * (i + 1);
  });
  return sum / total;
}

/** Segment index per user: sizes follow SEGMENT_SIZE_WEIGHTS, order shuffled. */
function assignSegments(rng: Prng, users: number, segments: number): number[] {
  const weights = SEGMENT_SIZE_WEIGHTS.slice(0, segments);
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((users * w) / total));
  for (let i = 0, left = users - sizes.reduce((a, b) => a + b, 0); left > 0; i++, left--) sizes[i % segments]++;
  const labels: number[] = [];
  sizes.forEach((n, s) => {
    for (let i = 0; i < n; i++) labels.push(s);
  });
  return rng.shuffle(labels);
}

/**
 * The review count of the original mix: mostly MIN..15, HEAVY_SHARE heavy
 * reviewers with HEAVY_MIN..HEAVY_MAX.
 */
function originalReviewCount(rng: Prng, productCount: number): number {
  const n = rng.chance(HEAVY_SHARE)
    ? rng.range(HEAVY_MIN, HEAVY_MAX)
    : MIN_REVIEWS_PER_USER + rng.weighted(REVIEW_COUNT_WEIGHTS);
  return Math.min(n, productCount);
}

/** Longest review history of the long-tailed count. */
const MAX_REVIEWS_PER_USER = 2000;

/**
 * Index i of a cumulative weight table with probability proportional to
 * cumulative[i] - cumulative[i - 1] (one uniform draw, binary search).
 */
function drawFromCumulative(rng: Prng, cumulative: Float64Array): number {
  const u = rng.float() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Long-tailed review counts with a given mean: P(n) proportional to
 * (n - MIN + c)^-2.5 for n in [MIN, cap] (a power-law tail as in real review
 * logs), the shift c found by bisection so the mean is exact. Only +, *, / and
 * sqrt (correctly rounded everywhere), so the table is the same on every
 * platform.
 */
export class ReviewCountDistribution {
  /** cumulative[i]: total weight of counts MIN..MIN+i. */
  private readonly cumulative: Float64Array;

  constructor(
    readonly mean: number,
    readonly cap: number,
  ) {
    let lo = 1e-6;
    let hi = 1e9;
    for (let i = 0; i < 200 && hi / lo > 1 + 1e-12; i++) {
      const mid = Math.sqrt(lo * hi);
      if (this.meanFor(mid) < mean) lo = mid;
      else hi = mid;
    }
    this.cumulative = this.table(Math.sqrt(lo * hi));
  }

  private table(shift: number): Float64Array {
    const t = new Float64Array(this.cap - MIN_REVIEWS_PER_USER + 1);
    let total = 0;
    for (let i = 0; i < t.length; i++) {
      const x = i + shift;
      total += 1 / (x * x * Math.sqrt(x)); // x^-2.5
      t[i] = total;
    }
    return t;
  }

  private meanFor(shift: number): number {
    const t = this.table(shift);
    let sum = 0;
    for (let i = 0; i < t.length; i++) sum += (MIN_REVIEWS_PER_USER + i) * (t[i] - (i > 0 ? t[i - 1] : 0));
    return sum / t[t.length - 1];
  }

  draw(rng: Prng): number {
    return MIN_REVIEWS_PER_USER + drawFromCumulative(rng, this.cumulative);
  }
}

function isoDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

interface UserPlan {
  preferred: number[];
  others: number[];
  offShare: number;
  primaryShare: number;
}

function planUser(rng: Prng, profile: SegmentProfile, catalog: Catalog): UserPlan {
  const preferred = profile.categories.map((c) => catalog.categories.indexOf(c));
  const others = catalog.categories.map((_, i) => i).filter((i) => !preferred.includes(i));
  const offShare = Math.min(0.25, Math.max(0.02, rng.normal(OFF_SEGMENT_MEAN, OFF_SEGMENT_SD)));
  const primaryShare = Math.min(0.8, Math.max(0.5, rng.normal(0.65, 0.08)));
  return { preferred, others, offShare, primaryShare };
}

function pickCategory(rng: Prng, plan: UserPlan): number {
  if (plan.others.length > 0 && rng.chance(plan.offShare)) return rng.pick(plan.others);
  return rng.chance(plan.primaryShare) ? plan.preferred[0] : plan.preferred[1];
}

/**
 * Categories with at most this many products draw a product by one scan of
 * the unreviewed ones (the original draw, which data/sample was made with);
 * larger ones by binary search in cumulative popularity, redrawing products the
 * user already reviewed. Both draw with probability proportional to popularity
 * among the unreviewed products; only the second is fast for 20,000 products.
 */
export const SCAN_PICK_MAX = 64;
const REDRAWS_BEFORE_SCAN = 32;

export class ProductPicker {
  /** Per category, cumulative popularity of its products (byCategory order); null where the scan is used. */
  private readonly cumulative: (Float64Array | null)[];

  constructor(private readonly catalog: Catalog) {
    this.cumulative = catalog.byCategory.map((members) => {
      if (members.length <= SCAN_PICK_MAX) return null;
      const c = new Float64Array(members.length);
      let total = 0;
      members.forEach((p, i) => (c[i] = total += catalog.popularity[p]));
      return c;
    });
  }

  /** A product of the category this user has not reviewed yet (popular ones more likely), else any unreviewed one. */
  pick(rng: Prng, category: number, reviewed: Set<number>): number {
    const c = this.cumulative[category];
    if (c !== null) {
      const members = this.catalog.byCategory[category];
      for (let tries = 0; tries < REDRAWS_BEFORE_SCAN; tries++) {
        const p = members[drawFromCumulative(rng, c)];
        if (!reviewed.has(p)) return p;
      }
    }
    return this.scan(rng, category, reviewed);
  }

  private scan(rng: Prng, category: number, reviewed: Set<number>): number {
    const { catalog } = this;
    const candidates = catalog.byCategory[category].filter((p) => !reviewed.has(p));
    const pool = candidates.length > 0 ? candidates : catalog.products.map((_, i) => i).filter((p) => !reviewed.has(p));
    const weights = pool.map((p) => catalog.popularity[p]);
    return pool[rng.weighted(weights)];
  }
}

function drawRating(rng: Prng, profile: SegmentProfile, harshness: number): number {
  const r = 1 + rng.weighted(profile.ratingWeights);
  return Math.min(5, Math.max(1, r + harshness));
}

/** Growable columns of the reviews in generation order: no object per review. */
class ReviewTable {
  count = 0;
  user = new Uint32Array(1024);
  product = new Uint32Array(1024);
  rating = new Uint8Array(1024);
  timestamp = new Uint32Array(1024);
  /** 1 if the review has text, whose generator state is in textState[4i..4i+4). */
  hasText = new Uint8Array(1024);
  textState = new Uint32Array(4096);

  /** Index of a new review; its columns are the caller's to fill. */
  add(): number {
    if (this.count === this.user.length) {
      const grow = <T extends Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.user = grow(this.user, (n) => new Uint32Array(n));
      this.product = grow(this.product, (n) => new Uint32Array(n));
      this.rating = grow(this.rating, (n) => new Uint8Array(n));
      this.timestamp = grow(this.timestamp, (n) => new Uint32Array(n));
      this.hasText = grow(this.hasText, (n) => new Uint8Array(n));
      this.textState = grow(this.textState, (n) => new Uint32Array(n));
    }
    return this.count++;
  }
}

interface ShopModel {
  profiles: readonly SegmentProfile[];
  catalog: Catalog;
  picker: ProductPicker;
  counts: ReviewCountDistribution | null;
  vocabulary: SampleVocabulary;
}

function textContext(g: ShopModel, profile: SegmentProfile, productIndex: number, rating: number): ReviewTextContext {
  const product = g.catalog.products[productIndex];
  return { profile, product, rating, onSegment: profile.categories.includes(product.category), generic: g.vocabulary.generic, sentenceJoiner: g.vocabulary.sentenceJoiner };
}

/**
 * Draws one user's reviews into the table. A text is written only to advance
 * the stream; its generator state is kept so the same text can be written
 * again when the reviews are put in time order (see SamplePlan.reviews).
 */
function userReviews(rng: Prng, g: ShopModel, u: number, profile: SegmentProfile, signup: number, table: ReviewTable): void {
  const plan = planUser(rng, profile, g.catalog);
  // A few users rate a notch harsher or kinder than their segment.
  const harshness = rng.chance(0.85) ? 0 : rng.chance(0.5) ? -1 : 1;
  const productCount = g.catalog.products.length;
  const count = g.counts ? Math.min(g.counts.draw(rng), productCount) : originalReviewCount(rng, productCount);
  const reviewed = new Set<number>();
  const start = Math.max(signup, WINDOW_START);
  for (let i = 0; i < count; i++) {
    const p = g.picker.pick(rng, pickCategory(rng, plan), reviewed);
    reviewed.add(p);
    const rating = drawRating(rng, profile, harshness);
    const r = table.add();
    table.user[r] = u;
    table.product[r] = p;
    table.rating[r] = rating;
    table.hasText[r] = rng.chance(EMPTY_TEXT_SHARE) ? 0 : 1;
    if (table.hasText[r] === 1) {
      rng.saveState(table.textState, 4 * r);
      composeReviewText(rng, textContext(g, profile, p, rating));
    }
    table.timestamp[r] = start + rng.int(WINDOW_END - start);
  }
}

/**
 * A generated shop before its reviews are written out: users, products and
 * segments as objects, reviews as typed columns (about 30 bytes each) in time
 * order. reviews() recreates them one at a time, so a million reviews are
 * written without ever holding their texts.
 */
export class SamplePlan {
  constructor(
    readonly options: ResolvedSampleOptions,
    readonly segments: SampleSegment[],
    readonly categories: string[],
    readonly users: SampleUser[],
    readonly products: SampleProduct[],
    private readonly model: ShopModel,
    private readonly labels: readonly number[],
    private readonly table: ReviewTable,
    private readonly order: Uint32Array,
  ) {}

  get reviewCount(): number {
    return this.order.length;
  }

  /** The reviews in time order, each text written again from its saved generator state. */
  *reviews(): Generator<SampleReview, void, undefined> {
    const { model, labels, table, order } = this;
    for (let i = 0; i < order.length; i++) {
      const r = order[i];
      const u = table.user[r];
      const p = table.product[r];
      const rating = table.rating[r];
      const text =
        table.hasText[r] === 1
          ? composeReviewText(Prng.fromSaved(table.textState, 4 * r), textContext(model, model.profiles[labels[u]], p, rating))
          : '';
      yield {
        reviewId: padId('R', i + 1, order.length),
        userId: this.users[u].userId,
        productId: model.catalog.products[p].productId,
        rating,
        text,
        timestamp: table.timestamp[r],
      };
    }
  }
}

/** Generates a shop into a plan; same options, same shop. */
export function planSampleShop(opts: SampleOptions = {}, progress?: Progress): SamplePlan {
  const options = resolveSampleOptions(opts);
  const vocabulary = sampleVocabulary(options.language);
  const profiles = vocabulary.profiles.slice(0, options.segments);
  const categories = categoriesFor(options.segments, options.language);
  const catalog = buildCatalog(new Prng(options.seed, 'catalog'), categories, options.products, vocabulary.categories);
  const cap = Math.min(MAX_REVIEWS_PER_USER, Math.floor(options.products / 2));
  const model: ShopModel = {
    profiles,
    catalog,
    picker: new ProductPicker(catalog),
    counts: options.reviewsPerUser === null ? null : new ReviewCountDistribution(options.reviewsPerUser, cap),
    vocabulary,
  };

  const userRng = new Prng(options.seed, 'users');
  const reviewRng = new Prng(options.seed, 'reviews');
  const labels = assignSegments(userRng, options.users, options.segments);
  const users: SampleUser[] = [];
  const table = new ReviewTable();
  const reportEvery = Math.max(1, Math.floor(options.users / 100));
  for (let u = 0; u < options.users; u++) {
    // Signup spans a year before the window to well into it, so early reviews come from established users.
    const signup = WINDOW_START - 365 * DAY + userRng.int((365 + 500) * DAY);
    const profile = profiles[labels[u]];
    users.push({ userId: padId('U', u + 1, options.users), signupDate: isoDate(signup), segment: profile.id });
    userReviews(reviewRng, model, u, profile, signup, table);
    if (progress && ((u + 1) % reportEvery === 0 || u + 1 === options.users)) progress(u + 1, options.users, 'users');
  }

  // Time order; ties by user, then product id (ids are zero-padded, so their
  // numbers order like the strings). A user reviews a product once, so no two
  // reviews tie on all three.
  const productRank = Uint32Array.from(catalog.products, (p) => Number(p.productId.slice(1)));
  const { timestamp, user, product } = table;
  const order = new Uint32Array(table.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort(
    (a, b) => timestamp[a] - timestamp[b] || user[a] - user[b] || productRank[product[a]] - productRank[product[b]],
  );

  const segments = profiles.map((p) => ({
    id: p.id,
    name: p.name,
    preferredCategories: [...p.categories],
    meanRating: meanRating(p),
  }));
  return new SamplePlan(options, segments, categories, users, catalog.products, model, labels, table, order);
}

/** Generates the whole shop in memory; same options, same shop (see writeSampleShop for files). */
export function generateSampleShop(opts: SampleOptions = {}, progress?: Progress): SampleShop {
  const plan = planSampleShop(opts, progress);
  const { options, segments, categories, users, products } = plan;
  return { options, segments, categories, users, products, reviews: [...plan.reviews()] };
}

/**
 * generateSampleShop: a seeded synthetic shop with planted customer segments.
 * Each segment buys mostly from its preferred categories, writes in its own
 * voice and has its own rating habits; a share of off-segment purchases and
 * generic sentences keeps recovery realistic rather than trivial. Independent
 * PRNG streams (catalog, users, reviews) mean e.g. the catalog of a seed does
 * not change when only the user count changes.
 */
import type { Progress } from '../util/progress.js';
import { buildCatalog, padId, type Catalog, type SampleProduct } from './catalog.js';
import { categoriesFor, resolveSampleOptions, type ResolvedSampleOptions, type SampleOptions } from './options.js';
import { Prng } from './prng.js';
import type { SegmentProfile } from './segment-vocabulary.js';
import { composeReviewText } from './text.js';
import { sampleVocabulary, type SampleVocabulary } from './vocabulary.js';

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

export const MIN_REVIEWS_PER_USER = 3;
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

function reviewCount(rng: Prng, productCount: number): number {
  const n = rng.chance(HEAVY_SHARE)
    ? rng.range(HEAVY_MIN, HEAVY_MAX)
    : MIN_REVIEWS_PER_USER + rng.weighted(REVIEW_COUNT_WEIGHTS);
  return Math.min(n, productCount);
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

/** A product of the category this user has not reviewed yet (popular ones more likely), else any unreviewed one. */
function pickProduct(rng: Prng, catalog: Catalog, category: number, reviewed: Set<number>): number {
  const candidates = catalog.byCategory[category].filter((p) => !reviewed.has(p));
  const pool = candidates.length > 0 ? candidates : catalog.products.map((_, i) => i).filter((p) => !reviewed.has(p));
  const weights = pool.map((p) => catalog.popularity[p]);
  return pool[rng.weighted(weights)];
}

function drawRating(rng: Prng, profile: SegmentProfile, harshness: number): number {
  const r = 1 + rng.weighted(profile.ratingWeights);
  return Math.min(5, Math.max(1, r + harshness));
}

type DraftReview = Omit<SampleReview, 'reviewId'>;

function userReviews(
  rng: Prng,
  user: SampleUser,
  profile: SegmentProfile,
  catalog: Catalog,
  signup: number,
  vocabulary: SampleVocabulary,
): DraftReview[] {
  const plan = planUser(rng, profile, catalog);
  // A few users rate a notch harsher or kinder than their segment.
  const harshness = rng.chance(0.85) ? 0 : rng.chance(0.5) ? -1 : 1;
  const count = reviewCount(rng, catalog.products.length);
  const reviewed = new Set<number>();
  const start = Math.max(signup, WINDOW_START);
  const out: DraftReview[] = [];
  for (let i = 0; i < count; i++) {
    const p = pickProduct(rng, catalog, pickCategory(rng, plan), reviewed);
    reviewed.add(p);
    const product = catalog.products[p];
    const rating = drawRating(rng, profile, harshness);
    const onSegment = profile.categories.includes(product.category);
    const text = rng.chance(EMPTY_TEXT_SHARE) ? '' : composeReviewText(rng, { profile, product, rating, onSegment, generic: vocabulary.generic, sentenceJoiner: vocabulary.sentenceJoiner });
    const timestamp = start + rng.int(WINDOW_END - start);
    out.push({ userId: user.userId, productId: product.productId, rating, text, timestamp });
  }
  return out;
}

function compareDrafts(a: DraftReview, b: DraftReview): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (a.userId !== b.userId) return a.userId < b.userId ? -1 : 1;
  return a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
}

/** Generates the whole shop in memory; same options, same shop (see writeSampleShop for files). */
export function generateSampleShop(opts: SampleOptions = {}, progress?: Progress): SampleShop {
  const options = resolveSampleOptions(opts);
  const vocabulary = sampleVocabulary(options.language);
  const profiles = vocabulary.profiles.slice(0, options.segments);
  const categories = categoriesFor(options.segments, options.language);
  const catalog = buildCatalog(new Prng(options.seed, 'catalog'), categories, options.products, vocabulary.categories);

  const userRng = new Prng(options.seed, 'users');
  const reviewRng = new Prng(options.seed, 'reviews');
  const labels = assignSegments(userRng, options.users, options.segments);
  const users: SampleUser[] = [];
  const drafts: DraftReview[] = [];
  const reportEvery = Math.max(1, Math.floor(options.users / 100));
  for (let u = 0; u < options.users; u++) {
    // Signup spans a year before the window to well into it, so early reviews come from established users.
    const signup = WINDOW_START - 365 * DAY + userRng.int((365 + 500) * DAY);
    const profile = profiles[labels[u]];
    const user: SampleUser = { userId: padId('U', u + 1, options.users), signupDate: isoDate(signup), segment: profile.id };
    users.push(user);
    for (const r of userReviews(reviewRng, user, profile, catalog, signup, vocabulary)) drafts.push(r);
    if (progress && ((u + 1) % reportEvery === 0 || u + 1 === options.users)) progress(u + 1, options.users, 'users');
  }

  drafts.sort(compareDrafts);
  const reviews = drafts.map((d, i) => ({ reviewId: padId('R', i + 1, drafts.length), ...d }));
  const segments = profiles.map((p) => ({
    id: p.id,
    name: p.name,
    preferredCategories: [...p.categories],
    meanRating: meanRating(p),
  }));
  return { options, segments, categories, users, products: catalog.products, reviews };
}

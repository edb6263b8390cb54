/**
 * Options of the sample-shop generator and their defaults, resolved and
 * validated in one place so the CLI and the library agree.
 */
import { integerIn, OptionError } from '../util/errors.js';
import { MAX_SEGMENTS } from './segment-vocabulary.js';
import { SAMPLE_LANGUAGES, sampleVocabulary, type SampleLanguage } from './vocabulary.js';

export interface SampleOptions {
  /** Number of users (each writes at least MIN_REVIEWS_PER_USER reviews). */
  users?: number;
  /** PRNG seed: the same seed and options give byte-identical output. */
  seed?: number;
  /** Number of planted segments, 1..MAX_SEGMENTS. */
  segments?: number;
  /** Number of products, spread over the categories the segments prefer. */
  products?: number;
  /**
   * Mean reviews per user, drawn from a long-tailed (power-law) distribution
   * starting at MIN_REVIEWS_PER_USER. Null: the original mix (mostly 3..15,
   * 5% heavy reviewers with 16..30; mean about 7.7), which data/sample uses.
   */
  reviewsPerUser?: number | null;
  /** Language of the review text, titles and category names: en (default) or zh. */
  language?: SampleLanguage;
}

export type ResolvedSampleOptions = Required<SampleOptions>;

export const SAMPLE_DEFAULTS: ResolvedSampleOptions = {
  users: 300,
  seed: 42,
  segments: 5,
  products: 120,
  reviewsPerUser: null,
  language: 'en',
};

/** Fewer products per category would force users to review the same product twice. */
export const MIN_PRODUCTS_PER_CATEGORY = 4;
export const MAX_USERS = 1_000_000;
export const MAX_PRODUCTS = 1_000_000;
/** Every user writes at least this many reviews (leave-last-out evaluation needs 3). */
export const MIN_REVIEWS_PER_USER = 3;
export const MAX_MEAN_REVIEWS_PER_USER = 1000;
/** A long-tailed review count needs room above its mean: products >= this many times the mean. */
export const PRODUCTS_PER_MEAN_REVIEW = 4;

/** The categories a run with `segments` segments sells: the union of their preferences, in profile order. */
export function categoriesFor(segments: number, language: SampleLanguage = 'en'): string[] {
  const names: string[] = [];
  for (const profile of sampleVocabulary(language).profiles.slice(0, segments)) {
    for (const c of profile.categories) if (!names.includes(c)) names.push(c);
  }
  return names;
}

const requireInt = (option: string, value: number, lo: number, hi: number): number => integerIn('generateSampleShop', option, value, lo, hi);

export function resolveSampleOptions(opts: SampleOptions = {}): ResolvedSampleOptions {
  const r: ResolvedSampleOptions = {
    users: opts.users ?? SAMPLE_DEFAULTS.users,
    seed: opts.seed ?? SAMPLE_DEFAULTS.seed,
    segments: opts.segments ?? SAMPLE_DEFAULTS.segments,
    products: opts.products ?? SAMPLE_DEFAULTS.products,
    reviewsPerUser: opts.reviewsPerUser ?? SAMPLE_DEFAULTS.reviewsPerUser,
    language: opts.language ?? SAMPLE_DEFAULTS.language,
  };
  if (!(SAMPLE_LANGUAGES as readonly string[]).includes(r.language)) throw new OptionError('generateSampleShop', 'language', r.language, `one of ${SAMPLE_LANGUAGES.join(', ')}`);
  requireInt('users', r.users, 1, MAX_USERS);
  requireInt('seed', r.seed, 0, Number.MAX_SAFE_INTEGER);
  requireInt('segments', r.segments, 1, MAX_SEGMENTS);
  const minProducts = categoriesFor(r.segments).length * MIN_PRODUCTS_PER_CATEGORY;
  requireInt('products', r.products, minProducts, MAX_PRODUCTS);
  if (r.reviewsPerUser !== null) {
    const m = r.reviewsPerUser;
    const hi = Math.min(MAX_MEAN_REVIEWS_PER_USER, r.products / PRODUCTS_PER_MEAN_REVIEW);
    if (!Number.isFinite(m) || m <= MIN_REVIEWS_PER_USER || m > hi) {
      throw new OptionError(
        'generateSampleShop',
        'reviewsPerUser',
        m,
        `a number above ${MIN_REVIEWS_PER_USER} and at most ${hi} (${MAX_MEAN_REVIEWS_PER_USER}, and products / ${PRODUCTS_PER_MEAN_REVIEW})`,
      );
    }
  }
  return r;
}

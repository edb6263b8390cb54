/**
 * Public API of the sample-shop generator: graphprof's own seeded shop with
 * planted customer segments, used by data/sample/ and the recovery tests.
 */
export { generateSampleShop, planSampleShop, SamplePlan, ReviewCountDistribution, MIN_REVIEWS_PER_USER } from './generate.js';
export type { SampleShop, SampleSegment, SampleUser, SampleReview } from './generate.js';
export type { SampleProduct } from './catalog.js';
export { writeSampleShop, sampleShopFiles, SAMPLE_FILES } from './write.js';
export type { SampleFileName } from './write.js';
export { resolveSampleOptions, categoriesFor, SAMPLE_DEFAULTS } from './options.js';
export type { SampleOptions, ResolvedSampleOptions } from './options.js';
export { SEGMENT_PROFILES, MAX_SEGMENTS } from './segment-vocabulary.js';
export { SAMPLE_LANGUAGES, type SampleLanguage } from './vocabulary.js';

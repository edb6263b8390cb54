/**
 * Public API of per-user tags: definitions (tag files, built-in defaults,
 * interest tags per category), fitting and scoring (text similarity to the
 * tags' phrases in one or more text spaces, behaviour hooks, calibration
 * against the shop), explanations, and storage of a fitted model.
 */
export { BEHAVIOUR_SIGNALS, CATEGORY_SIGNAL_PREFIX, TAG_KINDS, checkTag, makeTag, parseHook } from './definition.js';
export type { BehaviourHook, TagDefinition, TagKind, TagPolarity, TagProblem } from './definition.js';
export { parseTagFile, readTagFile } from './file.js';
export { DEFAULT_TAGS, interestTags, slug } from './defaults.js';
export { behaviourDefaults, computeSignals, describeSignal, shareZ, type SignalNull, type SignalValues } from './behaviour.js';
export { checkTagInput, scriptFilter, tagInputFromRecords } from './input.js';
export type { FitTextSpace, RecordsForTags, TagInput, TagProducts, TagReviews, TextSpace } from './input.js';
export { fitTagModel, scoreTags, tagDefaults } from './score.js';
export { normalQuantile, percentileOf } from './stats.js';
export type { FitOptions, SignalStats, SpaceModel, TagModel, TagScores } from './score.js';
export { explainUserTags } from './explain.js';
export type { ExplainOptions, HookFact, ReviewMatch, TagExplanation } from './explain.js';
export { deserializeTagModel, serializeTagModel } from './model-io.js';

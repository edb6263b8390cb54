/**
 * What a tag is: a readable name, describing phrases in any language, and
 * optional behaviour hooks (a named per-user signal computed from ratings,
 * times, products and categories, see behaviour.ts). A tag needs phrases, a
 * hook, or both. Tag files (file.ts) and the built-in set (defaults.ts) both
 * produce these; validation here is shared by both so a bad built-in tag
 * fails the same way a bad file does.
 */

/** What kind of label a tag is; only used to group tags in outputs. */
export const TAG_KINDS = ['interest', 'sentiment', 'intent', 'activity', 'trait'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

/** Sentiment tags say which way they point, so a per-user sentiment can be derived from them. */
export type TagPolarity = 'positive' | 'negative';

export interface BehaviourHook {
  /** A signal name from BEHAVIOUR_SIGNALS, or `category:<name>`. */
  signal: string;
  /** +1: a high signal speaks for the tag; -1: a low one does. */
  sign: 1 | -1;
  /** Relative weight beside the text evidence (whose weight is TagDefinition.textWeight). */
  weight: number;
}

export interface TagDefinition {
  name: string;
  kind: TagKind;
  polarity?: TagPolarity;
  description: string;
  /** Describing phrases, any language; each is compared with every review. */
  phrases: string[];
  behaviour: BehaviourHook[];
  /** Weight of the text evidence beside the hooks' weights. */
  textWeight: number;
  /** Score (z against the shop's typical user, see score.ts) from which a user has the tag; undefined: the scorer's default (2). */
  threshold?: number;
}

/** The behaviour signals a hook can name (behaviour.ts says how each becomes a z statistic). */
export const BEHAVIOUR_SIGNALS = {
  'rating-mean': "the user's mean star rating, relative to the shop's mean",
  'rating-deviation': "how much kinder (or harsher) the user rates than the other reviewers of the same products",
  'low-ratings': 'share of ratings in the lowest quarter of the scale (1 or 2 of 5 stars)',
  'high-ratings': 'share of ratings at the top of the scale (5 of 5 stars)',
  'review-count': 'number of reviews (log scale)',
  frequency: 'reviews per 30 days since the first review (log scale)',
  recency: 'how recently the user last reviewed (days before the newest review in the shop, log scale, negated)',
  'early-reviews': "share of reviews among the first fifth of their product's reviews",
  'brand-repeat': 'share of reviews on a brand the user reviewed before',
} as const;
export type FixedSignal = keyof typeof BEHAVIOUR_SIGNALS;
export const CATEGORY_SIGNAL_PREFIX = 'category:';

export function isKnownSignal(name: string): boolean {
  return Object.hasOwn(BEHAVIOUR_SIGNALS, name) || (name.startsWith(CATEGORY_SIGNAL_PREFIX) && name.length > CATEGORY_SIGNAL_PREFIX.length);
}

export const TAG_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}_.:-]{0,63}$/u;
export const MAX_PHRASE_CHARS = 200;

/** A problem in a tag definition, located by the field path ("complaint-prone.behaviour[1]"); the file reader adds file and line. */
export interface TagProblem {
  field: string;
  reason: string;
}

/** Checks a complete definition; returns the first problem, or null. */
export function checkTag(tag: TagDefinition): TagProblem | null {
  const at = (f: string): string => `${tag.name}.${f}`;
  if (!TAG_NAME_PATTERN.test(tag.name)) {
    return { field: tag.name, reason: `tag name ${JSON.stringify(tag.name)} must start with a letter or digit and hold at most 64 letters, digits, "_", ".", ":" or "-"` };
  }
  if (!(TAG_KINDS as readonly string[]).includes(tag.kind)) return { field: at('kind'), reason: `${JSON.stringify(tag.kind)} is not one of ${TAG_KINDS.join(', ')}` };
  if (tag.polarity !== undefined && tag.polarity !== 'positive' && tag.polarity !== 'negative') {
    return { field: at('polarity'), reason: `${JSON.stringify(tag.polarity)} is not "positive" or "negative"` };
  }
  const seen = new Set<string>();
  for (const [i, p] of tag.phrases.entries()) {
    if (p.trim() === '') return { field: at(`phrases[${i}]`), reason: 'an empty phrase' };
    if (p.length > MAX_PHRASE_CHARS) return { field: at(`phrases[${i}]`), reason: `${p.length} characters; a phrase holds at most ${MAX_PHRASE_CHARS}` };
    if (seen.has(p)) return { field: at(`phrases[${i}]`), reason: `${JSON.stringify(p)} is listed twice` };
    seen.add(p);
  }
  for (const [i, h] of tag.behaviour.entries()) {
    if (!isKnownSignal(h.signal)) {
      return { field: at(`behaviour[${i}]`), reason: `unknown signal ${JSON.stringify(h.signal)}; expected one of ${Object.keys(BEHAVIOUR_SIGNALS).join(', ')} or ${CATEGORY_SIGNAL_PREFIX}<category name>` };
    }
    if (!(Number.isFinite(h.weight) && h.weight > 0)) return { field: at(`behaviour[${i}].weight`), reason: `${h.weight} is not a number > 0` };
  }
  if (!(Number.isFinite(tag.textWeight) && tag.textWeight >= 0)) return { field: at('text-weight'), reason: `${tag.textWeight} is not a number >= 0` };
  const hasText = tag.phrases.length > 0 && tag.textWeight > 0;
  if (!hasText && tag.behaviour.length === 0) return { field: tag.name, reason: 'a tag needs describing phrases (with text-weight > 0) or a behaviour hook' };
  if (tag.threshold !== undefined && !Number.isFinite(tag.threshold)) return { field: at('threshold'), reason: `${tag.threshold} is not a number` };
  return null;
}

/** A tag's fields with the defaults filled in (kind trait, text weight 1, hook weight 1). */
export function makeTag(name: string, fields: Partial<Omit<TagDefinition, 'name'>> = {}): TagDefinition {
  return {
    name,
    kind: fields.kind ?? 'trait',
    ...(fields.polarity ? { polarity: fields.polarity } : {}),
    description: fields.description ?? '',
    phrases: fields.phrases ?? [],
    behaviour: fields.behaviour ?? [],
    textWeight: fields.textWeight ?? 1,
    ...(fields.threshold !== undefined ? { threshold: fields.threshold } : {}),
  };
}

/** "low-ratings" -> {signal: low-ratings, sign: +1}; "-rating-deviation" -> sign -1. */
export function parseHook(text: string, weight = 1): BehaviourHook {
  const negated = text.startsWith('-');
  return { signal: negated ? text.slice(1) : text, sign: negated ? -1 : 1, weight };
}

/**
 * Writes the text of one sample review from templates: the writer's segment
 * voice (topical sentences on products of the segment's categories, persona
 * sentences on anything), mixed with generic shop sentences. Sentiment
 * follows the star rating; length varies from a few words to two paragraphs.
 */
import type { Prng } from '../util/random.js';
import type { SampleProduct } from './catalog.js';
import { GENERIC_SENTENCES, type GenericSentences, type SegmentProfile } from './segment-vocabulary.js';

export interface ReviewTextContext {
  profile: SegmentProfile;
  product: SampleProduct;
  /** Star rating 1..5. */
  rating: number;
  /** True when the product is in one of the writer's preferred categories. */
  onSegment: boolean;
  /** Sentences any customer writes (default: the English ones). */
  generic?: GenericSentences;
  /** Between two sentences (default: a space). */
  sentenceJoiner?: string;
}

/** Relative weights of a review having 1, 2, ... 9 sentences. */
const SENTENCE_COUNT_WEIGHTS = [14, 20, 20, 16, 11, 8, 5, 4, 2];
/** Sentences per review at which a review may be split into two paragraphs. */
const PARAGRAPH_MIN_SENTENCES = 6;

type Source = 'topical' | 'persona' | 'generic';

/** [topical, persona, generic] weights: off-segment reviews keep only a trace of the voice. */
const SOURCE_WEIGHTS: Record<'on' | 'off', readonly [number, number, number]> = {
  on: [0.5, 0.12, 0.38],
  off: [0, 0.3, 0.7],
};

const SOURCES: readonly Source[] = ['topical', 'persona', 'generic'];

/** Fills `{slot}` placeholders; a slot without a value list is a vocabulary bug and throws. */
export function fillTemplate(rng: Prng, template: string, profile: SegmentProfile, product: SampleProduct): string {
  const text = template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (slot === 'item') return product.noun;
    if (slot === 'brand') return product.brand;
    const values = profile.slots[slot];
    if (!values || values.length === 0) {
      throw new RangeError(`fillTemplate: segment "${profile.id}" has no values for slot {${slot}} in "${template}"`);
    }
    return rng.pick(values);
  });
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function genericPool(rng: Prng, rating: number, generic: GenericSentences): readonly string[] {
  const u = rng.float();
  if (rating >= 4) return u < 0.8 ? generic.positive : generic.neutral;
  if (rating === 3) {
    if (u < 0.6) return generic.neutral;
    return u < 0.8 ? generic.positive : generic.negative;
  }
  return u < 0.75 ? generic.negative : generic.neutral;
}

function topicalPool(rng: Prng, profile: SegmentProfile, rating: number): readonly string[] {
  if (rating >= 4) return profile.topicalPositive;
  if (rating === 3) return rng.chance(0.5) ? profile.topicalPositive : profile.topicalNegative;
  return profile.topicalNegative;
}

function pickTemplate(rng: Prng, ctx: ReviewTextContext): string {
  const source = SOURCES[rng.weighted(SOURCE_WEIGHTS[ctx.onSegment ? 'on' : 'off'])];
  if (source === 'topical') return rng.pick(topicalPool(rng, ctx.profile, ctx.rating));
  if (source === 'persona') return rng.pick(ctx.profile.persona);
  return rng.pick(genericPool(rng, ctx.rating, ctx.generic ?? GENERIC_SENTENCES));
}

/** The text of one review (never empty; the caller decides which reviews have no text). */
export function composeReviewText(rng: Prng, ctx: ReviewTextContext): string {
  const count = 1 + rng.weighted(SENTENCE_COUNT_WEIGHTS);
  const used = new Set<string>();
  const sentences: string[] = [];
  for (let i = 0; i < count; i++) {
    let template = pickTemplate(rng, ctx);
    // A repeated template reads like a bug; a few redraws are enough with these pool sizes.
    for (let tries = 0; used.has(template) && tries < 4; tries++) template = pickTemplate(rng, ctx);
    if (used.has(template)) continue;
    used.add(template);
    sentences.push(fillTemplate(rng, template, ctx.profile, ctx.product));
  }
  const joiner = ctx.sentenceJoiner ?? ' ';
  if (sentences.length >= PARAGRAPH_MIN_SENTENCES && rng.chance(0.5)) {
    const cut = sentences.length >> 1;
    return `${sentences.slice(0, cut).join(joiner)}\n\n${sentences.slice(cut).join(joiner)}`;
  }
  return sentences.join(joiner);
}

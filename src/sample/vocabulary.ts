/**
 * The languages the sample shop writes: its segments' voices, the sentences
 * any customer writes, the product catalog, and how sentences are joined
 * (with a space in English, directly after Chinese punctuation).
 */
import { CATEGORIES, type CategoryDef } from './catalog-vocabulary.js';
import { CATEGORIES_ZH } from './catalog-vocabulary-zh.js';
import { GENERIC_SENTENCES, SEGMENT_PROFILES, type GenericSentences, type SegmentProfile } from './segment-vocabulary.js';
import { GENERIC_SENTENCES_ZH, SEGMENT_PROFILES_ZH } from './segment-vocabulary-zh.js';

export const SAMPLE_LANGUAGES = ['en', 'zh'] as const;
export type SampleLanguage = (typeof SAMPLE_LANGUAGES)[number];

export interface SampleVocabulary {
  readonly profiles: readonly SegmentProfile[];
  readonly generic: GenericSentences;
  readonly categories: readonly CategoryDef[];
  /** Between two sentences of a paragraph. */
  readonly sentenceJoiner: string;
}

const VOCABULARIES: Record<SampleLanguage, SampleVocabulary> = {
  en: { profiles: SEGMENT_PROFILES, generic: GENERIC_SENTENCES, categories: CATEGORIES, sentenceJoiner: ' ' },
  zh: { profiles: SEGMENT_PROFILES_ZH, generic: GENERIC_SENTENCES_ZH, categories: CATEGORIES_ZH, sentenceJoiner: '' },
};

export function sampleVocabulary(language: SampleLanguage): SampleVocabulary {
  return VOCABULARIES[language];
}

/**
 * The one word segmenter of graphprof, used wherever text is split into
 * words: segment terms (c-TF-IDF) and snippets (src/segment/describe.ts), the
 * shop-trained text encoder (shop-encoder.ts) and language routing
 * (route.ts).
 *
 * Words come from Unicode word segmentation:
 *   - runs of scripts written without spaces (Han, Hiragana, Katakana, Thai,
 *     Lao, Khmer, Myanmar) go through Intl.Segmenter with granularity "word"
 *     (ICU's dictionary segmentation, shipped with Node): 这个吉他的音色非常好
 *     → 这个 | 吉他 | 的 | 音色 | 非常 | 好;
 *   - every other run is cut by the same UAX #29 rule for scripts with spaces
 *     — a word is a run of letters, marks and digits — with one regular
 *     expression, plus two joins: letters or digits across one apostrophe or
 *     hyphen form one word ("don't", "wi-fi", "three-year-old", as the
 *     previous English-only splitter kept them), digits across "." or ","
 *     form one number ("3.5", "1,000"). Measured on the Musical Instruments
 *     reviews: 0.5 s for the 935k words against 5.2 s through
 *     Intl.Segmenter, with the same words but for these joins.
 * Text is NFKC-normalised first (full-width Latin becomes ASCII), words are
 * lower-cased, and the typographic apostrophe ’ becomes '.
 *
 * terms() keeps the words that can describe something: no stop word (en, zh
 * and the review's own language, see stopwords.ts and language.ts), at least
 * one letter, a leading number of a compound
 * dropped ("10-mile" → "mile"), and at least 3 characters — 2 in scripts
 * written without spaces, where most words have two characters and single
 * characters are mostly particles.
 */
import { languageOf } from './language.js';
import { isStopWord } from './stopwords.js';

/** Scripts that need dictionary segmentation (Script_Extensions, so ー and 々 stay inside their words). */
const DICTIONARY = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Thai}\\p{scx=Lao}\\p{scx=Khmer}\\p{scx=Myanmar}';
const RUNS = new RegExp(`([${DICTIONARY}]+)|[^${DICTIONARY}]+`, 'gu');
const DICTIONARY_CHAR = new RegExp(`[${DICTIONARY}]`, 'u');
const ALNUM = '[\\p{L}\\p{M}\\p{N}]';
const SPACED_WORD = new RegExp(`${ALNUM}+(?:(?:['\\-]|(?<=\\p{N})[.,](?=\\p{N}))${ALNUM}+)*`, 'gu');
const LETTER = /\p{L}/u;
const LEADING_NUMBER = /^(?:\p{N}+[.,]?)+-/u;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Every word of `text`, lower-cased, in order (stop words included). */
export function words(text: string): string[] {
  const out: string[] = [];
  const t = text.normalize('NFKC').replace(/\u2019/g, "'");
  for (const run of t.matchAll(RUNS)) {
    if (run[1] !== undefined) {
      for (const s of segmenter.segment(run[1])) if (s.isWordLike) out.push(s.segment.toLowerCase());
      continue;
    }
    for (const m of run[0].matchAll(SPACED_WORD)) out.push(m[0].toLowerCase());
  }
  return out;
}

/** True for a word written in a script without spaces (its minimum term length is 2). */
export function isDictionaryScriptWord(word: string): boolean {
  return DICTIONARY_CHAR.test(word);
}

/** The content word `word` (of a text in `language`) stands for in terms(), or undefined when it says nothing about a segment. */
export function termOf(word: string, language?: string): string | undefined {
  const w = word.replace(LEADING_NUMBER, '');
  if (!LETTER.test(w) || isStopWord(w, language)) return undefined;
  let chars = 0;
  for (const _ of w) chars++;
  return chars >= (isDictionaryScriptWord(w) ? 2 : 3) ? w : undefined;
}

/** The words of `text` that can describe a segment (see the file comment). */
export function terms(text: string): string[] {
  const out: string[] = [];
  const ws = words(text);
  const language = languageOf(ws);
  for (const w of ws) {
    const t = termOf(w, language);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/**
 * `text` (whitespace collapsed) cut to at most `max` characters with "…":
 * at the last space when one is within the last 20 characters (as for
 * English before), else at the last word boundary there (scripts without
 * spaces), else at max - 20.
 */
export function cutAtWord(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const head = clean.slice(0, max);
  const space = head.lastIndexOf(' ');
  if (space >= max - 20) return head.slice(0, space) + '…';
  let cut = max - 20;
  for (const s of segmenter.segment(head)) if (s.index >= cut && s.index > 0) cut = s.index;
  return head.slice(0, cut) + '…';
}

/**
 * The language of a review, from its words (words.ts): first by script, then,
 * for Latin script, by which language's function words it uses.
 *
 *   - no letters at all (a rating like "5/5!!", emoji): 'none';
 *   - words in Han script (no kana) at least as many as Latin-script words: 'zh';
 *     with Hiragana/Katakana: 'ja'; Thai, Lao, Khmer, Myanmar: 'other';
 *   - Latin-script words the majority: the language among en, de, fr, es, it,
 *     pt, nl whose stop words (stopwords.ts) the text uses most; another
 *     language than English needs at least 2 such words and more than
 *     English has, so short English reviews ("Great son gift") stay English;
 *   - any other script the majority (Cyrillic, Arabic, Devanagari, ...): 'other'.
 */
import { STOP_WORD_BIT, stopWordBits, type StopWordLanguage } from './stopwords.js';

export type Language = 'en' | 'zh' | 'ja' | 'de' | 'fr' | 'es' | 'it' | 'pt' | 'nl' | 'other' | 'none';

const HAN = /\p{scx=Han}/u;
const KANA = /[\p{scx=Hiragana}\p{scx=Katakana}]/u;
const SOUTHEAST_ASIAN = /[\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]/u;
const LATIN = /\p{scx=Latin}/u;
const LETTER = /\p{L}/u;
const LATIN_LANGUAGES: readonly StopWordLanguage[] = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl'];
const LATIN_BITS = LATIN_LANGUAGES.map((l) => STOP_WORD_BIT.get(l)!);

/**
 * A word of ASCII characters only is Latin script when it has a letter and no
 * script's word otherwise: ASCII letters are the only ASCII characters in
 * \p{L}, all of them in \p{scx=Latin} and none in the other scripts (a test
 * checks all 128). Most review words are ASCII, and a loop over their
 * characters is cheaper than the four or five property tests.
 */
function asciiLetters(w: string): boolean | undefined {
  let letter = false;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c > 0x7f) return undefined;
    if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) letter = true;
  }
  return letter;
}

export function languageOf(words: readonly string[]): Language {
  let han = 0;
  let kana = 0;
  let southeast = 0;
  let latin = 0;
  let other = 0;
  for (const w of words) {
    const ascii = asciiLetters(w);
    if (ascii !== undefined) {
      if (ascii) latin++;
    } else if (KANA.test(w)) kana++;
    else if (HAN.test(w)) han++;
    else if (SOUTHEAST_ASIAN.test(w)) southeast++;
    else if (LATIN.test(w)) latin++;
    else if (LETTER.test(w)) other++;
  }
  const cjk = han + kana;
  if (cjk + southeast + latin + other === 0) return 'none';
  if (cjk > 0 && cjk >= latin && cjk >= other && cjk >= southeast) return kana > 0 ? 'ja' : 'zh';
  if (latin > other && latin > southeast) return latinLanguage(words);
  return 'other';
}

function latinLanguage(words: readonly string[]): Language {
  // hits[i]: words of the text among LATIN_LANGUAGES[i]'s stop words
  const hits = new Uint32Array(LATIN_LANGUAGES.length);
  for (const w of words) {
    const bits = stopWordBits(w);
    if (bits === 0) continue;
    for (let i = 0; i < LATIN_BITS.length; i++) if (bits & LATIN_BITS[i]!) hits[i]!++;
  }
  let best: StopWordLanguage = 'en';
  let bestHits = hits[0]!;
  for (let i = 1; i < LATIN_LANGUAGES.length; i++) {
    const h = hits[i]!;
    if (h >= 2 && h > bestHits) {
      best = LATIN_LANGUAGES[i]!;
      bestHits = h;
    }
  }
  return best;
}

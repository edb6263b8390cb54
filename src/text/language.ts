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
import { STOP_WORDS, type StopWordLanguage } from './stopwords.js';

export type Language = 'en' | 'zh' | 'ja' | 'de' | 'fr' | 'es' | 'it' | 'pt' | 'nl' | 'other' | 'none';

const HAN = /\p{scx=Han}/u;
const KANA = /[\p{scx=Hiragana}\p{scx=Katakana}]/u;
const SOUTHEAST_ASIAN = /[\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]/u;
const LATIN = /\p{scx=Latin}/u;
const LETTER = /\p{L}/u;
const LATIN_LANGUAGES: readonly StopWordLanguage[] = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl'];

export function languageOf(words: readonly string[]): Language {
  let han = 0;
  let kana = 0;
  let southeast = 0;
  let latin = 0;
  let other = 0;
  for (const w of words) {
    if (KANA.test(w)) kana++;
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
  const hits = new Map<StopWordLanguage, number>(LATIN_LANGUAGES.map((l) => [l, 0]));
  for (const w of words) for (const l of LATIN_LANGUAGES) if (STOP_WORDS[l].has(w)) hits.set(l, hits.get(l)! + 1);
  const en = hits.get('en')!;
  let best: StopWordLanguage = 'en';
  let bestHits = en;
  for (const l of LATIN_LANGUAGES) {
    const h = hits.get(l)!;
    if (l !== 'en' && h >= 2 && h > bestHits) {
      best = l;
      bestHits = h;
    }
  }
  return best;
}

/**
 * The word segmenter (src/text/words.ts), stop words and language guess:
 * Chinese is cut into words, English compounds stay whole, snippets are cut
 * at word boundaries in any script, and the segment terms of English shops are
 * the ones the previous English-only splitter gave (the committed sample shop
 * and the Musical Instruments reviews).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { routeOf } from '../src/text/auto.js';
import { languageOf } from '../src/text/language.js';
import { cutAtWord, terms, words } from '../src/text/words.js';
import { repoRoot, sharedData } from './helpers/paths.js';

describe('words', () => {
  it('cuts Chinese into words, not characters', () => {
    expect(words('这个吉他的音色非常好')).toEqual(['这个', '吉他', '的', '音色', '非常', '好']);
    expect(words('这个Fender吉他，音色非常好！')).toEqual(['这个', 'fender', '吉他', '音色', '非常', '好']);
  });

  it('keeps English compounds and contractions whole, numbers with their separators, NFKC-folded and lower-cased', () => {
    expect(words("I don’t like the 10-mile USB-C cable's 3.5 mm jack, 1,000 times! ＦＵＬＬ naïve")).toEqual([
      'i', "don't", 'like', 'the', '10-mile', 'usb-c', "cable's", '3.5', 'mm', 'jack', '1,000', 'times', 'full', 'naïve',
    ]);
  });

  it('keeps only describing words as terms: no stop words, no single Chinese characters, no numbers', () => {
    expect(terms('这个吉他的音色非常好，我很喜欢。')).toEqual(['吉他', '音色', '很喜欢']);
    expect(terms("I don't like the 10-mile cable, it's great for 24-bit sound")).toEqual(['like', 'mile', 'cable', 'great', 'sound']);
    // Stop words of the review's own language only: "son" is Spanish for "are", but an English word here.
    expect(terms('Great gift for my son')).toEqual(['great', 'gift', 'son']);
    expect(terms('Son muy buenas cuerdas y el sonido es claro')).toEqual(['buenas', 'cuerdas', 'sonido', 'claro']);
  });

  it('cuts snippets at a word boundary in any script', () => {
    expect(cutAtWord('the quick brown fox jumps over the lazy dog', 12)).toBe('the quick…');
    const zh = '这个吉他的音色非常好我很喜欢琴颈的手感也不错';
    const cut = cutAtWord(zh, 10);
    expect(cut.endsWith('…')).toBe(true);
    const kept = cut.slice(0, -1);
    expect(zh.startsWith(kept)).toBe(true);
    // The cut falls between two words of the segmentation.
    const ws = words(zh);
    let joined = '';
    const boundaries = new Set([0]);
    for (const w of ws) boundaries.add((joined += w).length);
    expect(boundaries.has(kept.length)).toBe(true);
  });
});

describe('language', () => {
  it('tells English, Chinese, other Latin-script languages and texts without letters apart', () => {
    const lang = (t: string) => languageOf(words(t));
    expect(lang('This guitar sounds amazing and the neck is smooth')).toBe('en');
    expect(lang('Great son gift')).toBe('en');
    expect(lang('这个吉他的音色非常好')).toBe('zh');
    expect(lang('这款Fender吉他的音色非常好')).toBe('zh');
    expect(lang('Das ist ein sehr gutes Produkt und die Qualität ist super')).toBe('de');
    expect(lang('Отличная гитара')).toBe('other');
    expect(lang('5/5 !!! 👍')).toBe('none');
    expect(routeOf('Works great')).toBe('transformer');
    expect(routeOf('音色非常好')).toBe('shop');
    expect(routeOf('10/10')).toBeUndefined();
  });

  it('classes all-ASCII words as the script properties do (languageOf skips the property tests for them)', () => {
    const otherScripts = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]/u;
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      const letter = /\p{L}/u.test(ch);
      expect(otherScripts.test(ch)).toBe(false);
      expect(/\p{scx=Latin}/u.test(ch)).toBe(letter);
      expect(languageOf([ch])).toBe(letter ? 'en' : 'none');
    }
    expect(languageOf(['3.5', '1,000'])).toBe('none');
    expect(languageOf(['das', 'ist', 'gut', 'und', 'die'])).toBe('de');
  });
});

/** The English-only splitter segment terms used before words.ts (src/segment/describe.ts at dcff47b). */
const PREVIOUS_STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    "im ive dont didnt doesnt cant wont isnt thats its it's i'm i've don't didn't doesn't can't won't isn't that's one get got also would really much even well still use used using make made bit lot thing things way go going"
  ).split(/\s+/),
);
function previousSplitter(text: string): string[] {
  return (text.toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []).map((w) => w.replace(/^'+|'+$/g, '')).filter((w) => w.length > 2 && !PREVIOUS_STOP_WORDS.has(w));
}

/** Class-based TF-IDF scores per segment, as describeSegments computes them. */
function scores(docs: readonly [number, string][], k: number, split: (t: string) => string[]): Map<string, number>[] {
  const per = Array.from({ length: k }, () => new Map<string, number>());
  const overall = new Map<string, number>();
  const count = new Float64Array(k);
  for (const [seg, text] of docs) {
    for (const t of split(text)) {
      per[seg]!.set(t, (per[seg]!.get(t) ?? 0) + 1);
      overall.set(t, (overall.get(t) ?? 0) + 1);
      count[seg]!++;
    }
  }
  const mean = count.reduce((a, b) => a + b, 0) / k;
  return per.map((m, seg) => new Map([...m].filter(([, n]) => n >= 2).map(([t, n]) => [t, (n / count[seg]!) * Math.log(1 + mean / overall.get(t)!)])));
}
const top10 = (m: Map<string, number>): string[] => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([t]) => t);

describe('English segment terms are unchanged by the new segmenter', () => {
  it('gives the previous terms on the committed sample shop (planted segments)', () => {
    const truth = new Map((parse(readFileSync(`${repoRoot}/data/sample/ground_truth.csv`), { columns: true }) as { user_id: string; segment: string }[]).map((r) => [r.user_id, r.segment]));
    const labels = [...new Set(truth.values())];
    const reviews = parse(readFileSync(`${repoRoot}/data/sample/reviews.csv`), { columns: true }) as { user_id: string; text: string }[];
    const docs = reviews.map((r): [number, string] => [labels.indexOf(truth.get(r.user_id)!), r.text]);
    const before = scores(docs, labels.length, previousSplitter).map(top10);
    const after = scores(docs, labels.length, terms).map(top10);
    expect(after).toEqual(before);
  });

  it('gives the same top terms on 5,000 Musical Instruments reviews, in an order that differs only between near-ties', () => {
    const rows = parse(readFileSync(sharedData('amazon-musical-instruments/Musical_instruments_reviews.csv')), { columns: true, relax_quotes: true }) as { reviewerID: string; reviewText?: string }[];
    const users = new Map<string, number>();
    const docs = rows.slice(0, 5000).map((r): [number, string] => {
      if (!users.has(r.reviewerID)) users.set(r.reviewerID, users.size);
      return [users.get(r.reviewerID)! % 8, r.reviewText ?? ''];
    });
    const before = scores(docs, 8, previousSplitter);
    const after = scores(docs, 8, terms);
    before.forEach((b, seg) => {
      const old = top10(b);
      const now = top10(after[seg]!);
      expect(new Set(now)).toEqual(new Set(old));
      // Where the order differs, the two terms' previous scores are within 1% of each other.
      now.forEach((t, i) => {
        if (t !== old[i]) expect(Math.abs(b.get(t)! - b.get(old[i]!)!) / b.get(t)!).toBeLessThan(0.01);
      });
    });
  });
});

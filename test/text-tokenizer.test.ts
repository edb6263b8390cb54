/**
 * The fast SentencePiece Unigram path (src/text/unigram.ts) gives exactly the
 * ids @lenml/tokenizers gives for USE-lite's tokenizer.json: on real reviews
 * (Amazon Musical Instruments, text and summary), on the reference texts, and
 * on edge cases — equal-score segmentations, unknown characters in runs,
 * characters NFKC rewrites, "▁" inside the text, spaces at the ends.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../src/text/normalize.js';
import { loadTokenizer } from '../src/text/tokenizer.js';
import { unigramShapeOf } from '../src/text/unigram.js';
import { sharedData, sharedModel } from './helpers/paths.js';

const dir = sharedModel('use-lite');

const EDGE_CASES = [
  '',
  'a',
  '  leading and trailing spaces  ',
  'Leeeeeeeeeet meeeeee Saaaaaaay thiiiis',
  'rooms.............serves it\'s purpose',
  '777 7777 77777 ::: :) :-) ): ://',
  '☃☃☃ x ☃ 😀😀 great 😀',
  '这个吉他的音色非常好，我很喜欢。',
  'مرحبا بالعالم',
  'Ǆ ﬁ ① ｆｕｌｌｗｉｄｔｈ',
  'a\u2581b \u2581\u2581c',
  'x\u0000y\ufffdz',
];

describe('fast Unigram tokenizer', () => {
  it('applies to the USE-lite tokenizer.json and not to other shapes', () => {
    const json = JSON.parse(readFileSync(`${dir}/tokenizer.json`, 'utf8')) as Record<string, unknown>;
    expect(unigramShapeOf(json)?.vocab.length).toBe(8000);
    expect(unigramShapeOf({ ...json, pre_tokenizer: { type: 'Metaspace' } })).toBeUndefined();
    expect(unigramShapeOf({ ...json, added_tokens: [{ id: 1, content: '<s>' }] })).toBeUndefined();
    expect(unigramShapeOf({ ...json, model: { type: 'WordPiece', vocab: {} } })).toBeUndefined();
  });

  it('gives the library\'s ids on 1,000 real reviews, their summaries and edge cases', async () => {
    const rows = parse(readFileSync(sharedData('amazon-musical-instruments/Musical_instruments_reviews.csv')), { columns: true, relax_quotes: true }) as Record<string, string>[];
    const texts = rows.slice(0, 1000).flatMap((r) => [r.reviewText ?? '', r.summary ?? '']);
    const reference = JSON.parse(readFileSync(`${dir}/reference_embeddings.json`, 'utf8')) as { items: { text: string }[] };
    const all = [...texts.map(normaliseText), ...reference.items.map((r) => r.text), ...EDGE_CASES, ...EDGE_CASES.map(normaliseText)];
    const fast = await loadTokenizer(dir);
    const lib = await loadTokenizer(dir, { fast: false });
    const differing = all.filter((t) => fast.encodeContent(t).join(',') !== lib.encodeContent(t).join(','));
    expect(differing).toEqual([]);
    expect(fast.vocabSize).toBe(lib.vocabSize);
    expect(fast.prefix).toEqual(lib.prefix);
    expect(fast.suffix).toEqual(lib.suffix);
  });
});

/**
 * Tags on a small mixed shop: Chinese reviews in a Chinese text space,
 * English reviews in USE-lite's, one tag file with phrases in both languages.
 * Each space embeds only the phrases of its script, reviews are standardised
 * within their own space, and planted groups of users come back as tags in
 * either language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../src/util/random.js';
import { openTextEncoder, type OpenedTextEncoder } from '../src/text/index.js';
import { explainUserTags, fitTagModel, interestTags, parseTagFile, scriptFilter, tagInputFromRecords, type FitTextSpace, type TagInput, type TagScores } from '../src/tags/index.js';
import { reviewTableOf } from '../src/ingest/table.js';
import { encodeWithShopModel, trainShopEncoder } from '../src/text/shop-encoder.js';
import { sharedModel } from './helpers/paths.js';

const TAG_FILE = `
price-sensitive: [cheap, good value for money, bought it on sale, 性价比高, 价格便宜, 很划算, 打折]
complaint-prone:
  kind: sentiment
  polarity: negative
  phrases: [it broke, returned it, 质量太差, 坏了, 退货, 客服态度差]
  behaviour: low-ratings
gift-buyer: [a birthday gift, a present for a friend, 送给朋友的礼物, 生日礼物, 送人]
`;

type Group = 'price' | 'complaint' | 'gift' | 'plain' | 'en-price' | 'en-complaint' | 'en-gift' | 'en-plain';

const ZH: Record<'price' | 'complaint' | 'gift' | 'plain', string[]> = {
  price: ['这个价格很划算，性价比高。', '趁打折的时候买的，比别家便宜很多。', '用了优惠券，价格便宜，值得。', '性价比很高，学生党也买得起。'],
  complaint: ['用了几天就坏了，质量太差。', '已经退货了，非常失望。', '客服态度差，一直不回复。', '做工粗糙，收到就坏了。'],
  gift: ['买来送给朋友的生日礼物，她很喜欢。', '包装精美，很适合送人。', '送给爸爸的礼物，他天天在用。', '给女朋友的生日礼物，很满意。'],
  plain: ['物流很快，东西收到了。', '和描述一致，还可以。', '颜色和图片差不多。', '用了一段时间，感觉一般。'],
};
const EN: Record<'en-price' | 'en-complaint' | 'en-gift' | 'en-plain', string[]> = {
  'en-price': ['Great value for money, I bought it on sale.', 'Cheap and it works, cost far less than other stores.', 'Used a coupon and got a real bargain.'],
  'en-complaint': ['It broke after two days, so I returned it.', 'Poor quality, it stopped working within a week.', 'Customer service never answered my emails.'],
  'en-gift': ['I gave it to my sister for her birthday and she loved it.', 'A lovely gift for a friend, nicely wrapped.', 'Got this as a Christmas present for my dad.'],
  'en-plain': ['Arrived on time and well packaged.', 'It does what it says.', 'The color is slightly different from the photos.'],
};

interface Review {
  userId: string;
  productId: string;
  rating: number;
  timestamp: number;
  text: string;
}

function makeShop(): { users: { id: string; group: Group }[]; reviews: Review[]; products: Map<string, { categories: string[]; brand: string }> } {
  const rng = new Prng(7, 'tags-zh');
  const products = new Map<string, { categories: string[]; brand: string }>();
  for (let p = 0; p < 16; p++) products.set(`P${p}`, { categories: [p < 8 ? '乐器' : '美妆'], brand: '' });
  const plan: [Group, number][] = [['price', 15], ['complaint', 15], ['gift', 15], ['plain', 25], ['en-price', 8], ['en-complaint', 8], ['en-gift', 8], ['en-plain', 12]];
  const users: { id: string; group: Group }[] = [];
  const reviews: Review[] = [];
  for (const [group, count] of plan) {
    for (let i = 0; i < count; i++) {
      const id = `${group}-${i}`;
      users.push({ id, group });
      const english = group.startsWith('en-');
      const pool = english ? EN[group as 'en-price'] : ZH[group as 'price'];
      const plainPool = english ? EN['en-plain'] : ZH.plain;
      // Instrument buyers are the first half of each group, beauty buyers the second.
      const base = i < count / 2 ? 0 : 8;
      for (let k = 0; k < 4; k++) {
        const text = `${rng.pick(pool)}${english ? ' ' : ''}${rng.pick(plainPool)}`;
        const rating = group === 'complaint' || group === 'en-complaint' ? 1 + rng.int(2) : 4 + rng.int(2);
        reviews.push({ userId: id, productId: `P${base + ((i + k * 3) % 8)}`, rating, timestamp: 1_700_000_000 + rng.int(10_000_000), text });
      }
    }
  }
  return { users, reviews, products };
}

let use: OpenedTextEncoder;
let scores: TagScores;
let shop: ReturnType<typeof makeShop>;
let fitted: Awaited<ReturnType<typeof fitTagModel>>;
let spaces: FitTextSpace[];
let input: TagInput;

beforeAll(async () => {
  shop = makeShop();
  const isZh = scriptFilter(['Han']);
  const zhRows: number[] = [];
  const enRows: number[] = [];
  const row = shop.reviews.map((r) => (isZh(r.text) ? zhRows : enRows).push(shop.reviews.indexOf(r)) - 1);
  use = await openTextEncoder({ modelDir: sharedModel('use-lite') });
  // The Chinese space is graphprof's own: the SIF encoder trained on the shop's Chinese reviews (src/text/shop-encoder.ts), as `--text-model auto` routes them.
  const zhTexts = zhRows.map((k) => shop.reviews[k]!.text);
  const zh = await trainShopEncoder(zhTexts, { seed: 7, threads: 1 });
  spaces = [
    { id: use.modelId, dim: use.dim, vectors: await use.encode(enRows.map((k) => shop.reviews[k]!.text)), encode: (t) => use.encode(t), acceptsPhrase: scriptFilter(['Han'], 'none') },
    { id: zh.id, dim: zh.dim, vectors: encodeWithShopModel(zh, zhTexts).vectors, encode: async (t) => encodeWithShopModel(zh, t).vectors, acceptsPhrase: isZh },
  ];
  input = tagInputFromRecords({
    userIds: shop.users.map((u) => u.id),
    reviews: reviewTableOf(shop.reviews.map((r, i) => ({ ...r, reviewId: `R${i}`, summary: '', source: { file: 'tags-zh', line: i + 1 } }))),
    products: shop.products,
    textRow: (i) => row[i]!,
    spaceOf: (i) => (isZh(shop.reviews[i]!.text) ? 1 : 0),
  });
  const tags = [...parseTagFile(TAG_FILE, 'zh-tags.yaml'), ...interestTags(['乐器', '美妆'])];
  fitted = await fitTagModel(tags, input, spaces);
  scores = fitted.scores;
});

afterAll(async () => {
  await use?.close();
});

function tagged(tag: string): Group[] {
  const t = scores.tags.indexOf(tag);
  const T = scores.tags.length;
  return shop.users.filter((_, u) => scores.has[u * T + t] === 1).map((u) => u.group);
}

function meanScore(tag: string, group: Group): number {
  const t = scores.tags.indexOf(tag);
  const T = scores.tags.length;
  const rows = shop.users.flatMap((u, i) => (u.group === group ? [scores.score[i * T + t]!] : []));
  return rows.reduce((a, b) => a + b, 0) / rows.length;
}

describe('tags with Chinese phrases', () => {
  it('embeds each phrase only in the space of its script', () => {
    const [en, zh] = fitted.model.spaces;
    expect(en!.phrases).toEqual(['cheap', 'good value for money', 'bought it on sale', 'it broke', 'returned it', 'a birthday gift', 'a present for a friend']);
    expect(zh!.phrases).toContain('性价比高');
    expect(zh!.phrases.every((p) => /\p{Script=Han}/u.test(p))).toBe(true);
    // The shop-trained encoder knows only the shop's words: a phrase none of whose words a review uses has no vector and is said so.
    for (const w of fitted.model.warnings) expect(w).toMatch(new RegExp(`^text space ${zh!.id}: \\d+ phrases have no vector \\(outside the encoder's vocabulary\\)|^tag interest:`));
  });

  it('finds the planted groups in both languages', () => {
    const planted: Record<string, Group[]> = {
      'price-sensitive': ['price', 'en-price'],
      'complaint-prone': ['complaint', 'en-complaint'],
      'gift-buyer': ['gift', 'en-gift'],
    };
    for (const [tag, groups] of Object.entries(planted)) {
      const got = tagged(tag);
      const hits = got.filter((g) => groups.includes(g)).length;
      const members = shop.users.filter((u) => groups.includes(u.group)).length;
      expect(hits / got.length, `${tag} precision`).toBeGreaterThanOrEqual(0.9);
      expect(hits / members, `${tag} recall`).toBeGreaterThanOrEqual(0.8);
      for (const g of groups) expect(got.filter((x) => x === g).length, `${tag} in ${g}`).toBeGreaterThan(0);
    }
    for (const g of ['complaint', 'gift', 'plain'] as const) expect(meanScore('price-sensitive', 'price')).toBeGreaterThan(meanScore('price-sensitive', g) + 1);
  });

  it('makes interest tags from Chinese category names', () => {
    // The first half of every group buys instruments (乐器), the second half beauty products (美妆). The category
    // names never occur in the reviews, so the shop encoder has no vector for them and the evidence is the category
    // share alone: 4 of 4 reviews in a category that half the shop's reviews are in is weak evidence (a one-sided
    // binomial tail of 1/16; the scores of these users lie between 1.8 and the threshold of 2), so nobody *has*
    // the tag; the score still separates the halves completely.
    const t = scores.tags.indexOf('interest:乐器');
    expect(t).toBeGreaterThanOrEqual(0);
    const T = scores.tags.length;
    const firstHalf = (u: number): boolean => Number(shop.users[u]!.id.split('-').pop()) < shop.users.filter((x) => x.group === shop.users[u]!.group).length / 2;
    let lowestIn = Infinity;
    let highestOut = -Infinity;
    for (let u = 0; u < shop.users.length; u++) {
      const v = scores.score[u * T + t]!;
      if (firstHalf(u)) lowestIn = Math.min(lowestIn, v);
      else highestOut = Math.max(highestOut, v);
      if (scores.has[u * T + t]) expect(firstHalf(u), shop.users[u]!.id).toBe(true);
    }
    expect(lowestIn).toBeGreaterThan(highestOut);
  });

  it('explains a Chinese tag with the matching review and phrase', () => {
    const user = shop.users.findIndex((u) => u.group === 'gift');
    const [e] = explainUserTags(fitted.model, input, spaces, user, { tags: ['gift-buyer'], review: (k) => ({ id: `R${k}`, text: shop.reviews[k]!.text }) });
    expect(e!.has).toBe(true);
    const m = e!.text!.matches[0]!;
    expect(['送给朋友的礼物', '生日礼物', '送人']).toContain(m.phrase);
    expect(shop.reviews[m.review]!.userId).toBe(shop.users[user]!.id);
    expect(m.snippet).toBe(shop.reviews[m.review]!.text);
    expect(e!.summary).toMatch(/^gift-buyer: yes .*closest review R\d+ matches "(送给朋友的礼物|生日礼物|送人)"/);
  });
});

/**
 * The built-in tags for shops, used when no tag file is given: price
 * sensitivity, quality focus, gift buying, repeat-purchase intent, early
 * adoption, brand loyalty, complaints, positive and negative sentiment, and
 * activity. Phrases are in English and Chinese; each language's phrases only
 * count in a text space whose encoder can embed them (see score.ts). Interest
 * tags depend on the shop's categories and come from interestTags().
 */
import { CATEGORY_SIGNAL_PREFIX, checkTag, makeTag, parseHook, type TagDefinition } from './definition.js';

const hooks = (...names: string[]) => names.map((n) => parseHook(n));

export const DEFAULT_TAGS: readonly TagDefinition[] = [
  makeTag('price-sensitive', {
    kind: 'intent',
    description: 'looks for low prices, deals and value for money',
    phrases: [
      'cheap', 'good value for money', 'a real bargain', 'great price', 'bought it on sale', 'used a coupon', 'affordable',
      'cheaper than other stores', 'on a tight budget',
      '性价比高', '价格便宜', '很划算', '打折的时候买的', '用了优惠券', '预算有限',
    ],
  }),
  makeTag('quality-focused', {
    kind: 'trait',
    description: 'cares about build quality, materials and durability',
    phrases: [
      'excellent build quality', 'well made', 'premium materials', 'durable and sturdy', 'worth paying more for quality',
      'solid construction', 'attention to detail', 'fit and finish are superb',
      '质量很好', '做工精细', '用料扎实', '非常耐用', '品质一流',
    ],
  }),
  makeTag('gift-buyer', {
    kind: 'intent',
    description: 'buys for other people',
    phrases: [
      'bought it as a gift', 'a birthday present', 'a Christmas gift', 'gave it to my friend', 'a present for my husband',
      'a present for my wife', 'my mom loved the gift', 'gift for my son',
      '送给朋友的礼物', '生日礼物', '买来送人', '送给家人', '圣诞礼物',
    ],
  }),
  makeTag('repeat-buyer', {
    kind: 'intent',
    description: 'says they will buy again or already rebought',
    phrases: [
      'I would buy it again', 'ordering another one', 'my second purchase', 'will definitely buy again', 'stocked up',
      'bought a spare', 'repurchased',
      '还会再买', '已经回购', '第二次购买', '囤货',
    ],
  }),
  makeTag('early-adopter', {
    kind: 'trait',
    description: 'buys the newest products first',
    phrases: [
      'pre-ordered it', 'the newest version', 'first generation device', 'the latest model', 'firmware update',
      'bought it as soon as it came out', 'new features', 'the latest technology', 'early adopter',
      '新品首发', '第一时间入手', '最新款', '固件更新', '抢先体验',
    ],
    behaviour: hooks('early-reviews'),
  }),
  makeTag('brand-loyal', {
    kind: 'trait',
    description: 'sticks to brands they know',
    phrases: [
      'my favourite brand', 'I always buy this brand', 'loyal customer', 'another purchase from this brand', 'never disappoints',
      'I trust this brand',
      '一直用这个牌子', '老顾客了', '信赖这个品牌', '这个牌子从不让人失望',
    ],
    behaviour: hooks('brand-repeat'),
  }),
  makeTag('complaint-prone', {
    kind: 'sentiment',
    polarity: 'negative',
    description: 'writes critical reviews and rates low',
    phrases: [
      'it broke', 'stopped working', 'returned it', 'waste of money', 'customer service never replied',
      'arrived damaged', 'fell apart', 'not worth the money', 'very disappointed',
      '质量太差', '用了几天就坏了', '已经退货', '客服态度很差', '浪费钱', '非常失望',
    ],
    behaviour: hooks('low-ratings'),
  }),
  makeTag('positive', {
    kind: 'sentiment',
    polarity: 'positive',
    description: 'enthusiastic, rates kindly',
    phrases: [
      'I love it', 'excellent', 'highly recommend', 'works perfectly', 'very happy with it', 'five stars', 'perfect',
      'exceeded my expectations',
      '非常满意', '强烈推荐', '很喜欢', '五星好评', '超出预期',
    ],
    behaviour: hooks('rating-deviation', 'high-ratings'),
  }),
  makeTag('negative', {
    kind: 'sentiment',
    polarity: 'negative',
    description: 'unhappy, rates harshly',
    phrases: [
      'terrible', 'do not buy', 'poor quality', 'the worst purchase', 'very disappointed', 'awful',
      'nothing like the description',
      '太差了', '不推荐', '很失望', '差评', '与描述不符',
    ],
    behaviour: hooks('-rating-deviation', '-rating-mean'),
  }),
  makeTag('frequent-reviewer', {
    kind: 'activity',
    description: 'reviews often',
    behaviour: [parseHook('frequency'), parseHook('review-count', 0.5)],
  }),
  makeTag('recently-active', {
    kind: 'activity',
    description: 'reviewed recently',
    behaviour: hooks('recency'),
  }),
];

/** "Headphones & Audio" -> "headphones-audio" (letters and digits of any script are kept). */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 55);
}

/**
 * One interest tag per category ("interest:headphones-audio"): the share of
 * the user's reviews in the category, with the category's name as a phrase
 * at a lower weight. Callers pass the shop's categories they want tags for
 * (e.g. the most reviewed ones).
 */
export function interestTags(categories: readonly string[]): TagDefinition[] {
  const taken = new Set<string>();
  const out: TagDefinition[] = [];
  for (const category of categories) {
    let name = `interest:${slug(category) || 'category'}`;
    for (let i = 2; taken.has(name); i++) name = `interest:${slug(category)}-${i}`;
    taken.add(name);
    const tag = makeTag(name, {
      kind: 'interest',
      description: `reviews ${category} products`,
      phrases: [category],
      textWeight: 0.5,
      behaviour: [parseHook(`${CATEGORY_SIGNAL_PREFIX}${category}`)],
    });
    const problem = checkTag(tag);
    if (problem) throw new RangeError(`interestTags: category ${JSON.stringify(category)}: ${problem.field}: ${problem.reason}`);
    out.push(tag);
  }
  return out;
}

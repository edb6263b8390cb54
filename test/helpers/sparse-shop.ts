/**
 * Sparse shops for the "never worse than its best part" checks, seeded.
 *
 * It stands in for a sparse third-party export (~10k reviews, ~4k products,
 * ~1,500 connected pieces) on which graph vectors ranked below random, text
 * helped a little and popularity beat everything. Products have a long-tailed
 * (Zipf) popularity; users write few reviews (at least `minReviews`, then
 * geometric). With `topics`, each product has a topic, each user prefers one
 * (a share `topicShare` of their picks; the rest follow global popularity) and
 * review texts name the topic's things, so text carries what little signal
 * co-reviews do. Without topics every pick is independent: co-reviews carry
 * nothing beyond popularity, and there is no text.
 */
import type { ReviewRecord, ReviewTable, ShopData } from '../../src/ingest/records.js';
import { reviewRecords, reviewTableOf } from '../../src/ingest/table.js';
import { emptyCounts } from '../../src/ingest/records.js';
import { uniform } from '../../src/util/random.js';

export interface SparseShopOptions {
  users: number;
  products: number;
  seed: number;
  zipf?: number;
  minReviews?: number;
  /** Mean reviews per user beyond minReviews (geometric). */
  extraReviews?: number;
  topics?: number;
  topicShare?: number;
}

const THINGS = [
  ['guitar strings', 'capo', 'pick'], ['violin bow', 'rosin', 'chin rest'], ['drum sticks', 'snare', 'cymbal'], ['microphone', 'pop filter', 'boom arm'],
  ['shampoo', 'conditioner', 'hair mask'], ['lipstick', 'lip liner', 'gloss'], ['face cream', 'serum', 'toner'], ['nail polish', 'top coat', 'nail file'],
  ['tent', 'sleeping bag', 'camp stove'], ['hiking boots', 'trail socks', 'gaiters'], ['backpack', 'hydration bladder', 'rain cover'], ['headlamp', 'lantern', 'batteries'],
  ['coffee grinder', 'espresso beans', 'milk frother'], ['chef knife', 'cutting board', 'sharpener'], ['cast iron pan', 'dutch oven', 'spatula'], ['tea kettle', 'loose leaf tea', 'infuser'],
  ['board game', 'card sleeves', 'dice'], ['puzzle', 'puzzle mat', 'sorting trays'], ['yarn', 'knitting needles', 'stitch markers'], ['watercolor paints', 'brushes', 'sketchbook'],
  ['dog leash', 'dog collar', 'chew toy'], ['cat litter', 'scratching post', 'cat treats'], ['aquarium filter', 'fish food', 'water conditioner'], ['bird feeder', 'bird seed', 'suet cakes'],
];
const OPENERS = ['I bought the', 'We tried the', 'Ordered the', 'Finally replaced my old', 'Gift for a friend: the'];
const VERDICTS = ['works as described.', 'is good value.', 'broke after a month.', 'is better than I expected.', 'does the job.'];

function zipfSampler(n: number, s: number, rand: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let j = 0; j < n; j++) cumulative[j] = total += 1 / Math.pow(j + 1, s);
  return () => {
    const t = rand() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function sparseShop(o: SparseShopOptions): ShopData {
  const rand = uniform(o.seed);
  const topics = Math.min(o.topics ?? 0, THINGS.length);
  const global = zipfSampler(o.products, o.zipf ?? 1.1, rand);
  // Products by topic, in popularity order, and a sampler within each topic.
  const topicOf = (p: number): number => p % Math.max(1, topics);
  const byTopic = Array.from({ length: topics }, (_, t) => Array.from({ length: Math.ceil((o.products - t) / topics) }, (_, i) => t + i * topics));
  const inTopic = byTopic.map((list) => zipfSampler(list.length, o.zipf ?? 1.1, rand));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const reviews: ReviewRecord[] = [];
  let line = 1;
  for (let u = 0; u < o.users; u++) {
    let n = o.minReviews ?? 3;
    const extra = o.extraReviews ?? 0.5;
    while (rand() < extra / (1 + extra)) n++;
    const topic = topics > 0 ? Math.floor(rand() * topics) : -1;
    const mine = new Set<number>();
    for (let tries = 0; mine.size < Math.min(n, o.products) && tries < 100 * n; tries++) {
      mine.add(topic >= 0 && rand() < (o.topicShare ?? 0.6) ? byTopic[topic][inTopic[topic]()] : global());
    }
    let t = 1_600_000_000 + Math.floor(rand() * 1e7);
    for (const p of mine) {
      t += 86400 * (1 + Math.floor(rand() * 30));
      const text = topics > 0 ? `${pick(OPENERS)} ${pick(THINGS[topicOf(p)])}; it ${pick(VERDICTS)}` : '';
      reviews.push({ reviewId: `r${line}`, userId: `u${u}`, productId: `p${p}`, rating: 1 + Math.floor(rand() * 5), text, summary: '', timestamp: t, source: { file: 'sparse', line: line++ } });
    }
  }
  return { kind: 'shop', reviews: reviewTableOf(reviews), products: new Map(), users: new Map(), counts: emptyCounts(reviews.length), files: ['sparse-shop'] };
}

/** Connected pieces of the user–product graph (union–find). */
export function connectedPieces(reviews: ReviewTable): number {
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    let r = a;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    for (let x = a; x !== r; ) {
      const next = parent.get(x) as string;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  for (const rv of reviewRecords(reviews)) {
    const u = `u:${rv.userId}`;
    const p = `p:${rv.productId}`;
    if (!parent.has(u)) parent.set(u, u);
    if (!parent.has(p)) parent.set(p, p);
    const a = find(u);
    const b = find(p);
    if (a !== b) parent.set(a, b);
  }
  let n = 0;
  for (const [k, v] of parent) if (k === v) n++;
  return n;
}

/**
 * A sparse shop with no co-review structure at all: every user picks products
 * independently from one long-tailed (Zipf) popularity, so who reviewed what
 * together says nothing beyond popularity. It stands in for the sparse
 * third-party export (~10k reviews, ~4k products, ~1,500 connected pieces) on
 * which graph vectors ranked below random and popularity beat everything.
 */
import type { ReviewRecord, ShopData } from '../../src/ingest/records.js';
import { emptyCounts } from '../../src/ingest/records.js';
import { mulberry32 } from '../../src/util/random.js';

export function sparseShop(opts: { users: number; products: number; seed: number; zipf?: number }): ShopData {
  const rand = mulberry32(opts.seed);
  const s = opts.zipf ?? 1.1;
  const cumulative = new Float64Array(opts.products);
  let total = 0;
  for (let j = 0; j < opts.products; j++) cumulative[j] = total += 1 / Math.pow(j + 1, s);
  const draw = (): number => {
    const t = rand() * total;
    let lo = 0;
    let hi = opts.products - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const reviews: ReviewRecord[] = [];
  let line = 1;
  for (let u = 0; u < opts.users; u++) {
    const n = 3 + Math.floor(rand() * 2);
    const mine = new Set<number>();
    while (mine.size < n) mine.add(draw());
    let t = 1_600_000_000 + Math.floor(rand() * 1e7);
    for (const p of mine) {
      t += 86400 * (1 + Math.floor(rand() * 30));
      reviews.push({ reviewId: `r${line}`, userId: `u${u}`, productId: `p${p}`, rating: 5, text: '', summary: '', timestamp: t, source: { file: 'sparse', line: line++ } });
    }
  }
  return { kind: 'shop', reviews, products: new Map(), users: new Map(), counts: emptyCounts(reviews.length), files: ['sparse-shop'] };
}

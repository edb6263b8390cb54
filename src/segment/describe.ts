/**
 * Readable descriptions of segments: what sets a segment's members apart.
 * - terms: class-based TF-IDF (as in BERTopic): all reviews of a segment's
 *   members form one document; a term scores tf(t, segment) * log(1 + A / f(t)),
 *   with A the mean number of words per segment and f(t) the term's frequency
 *   over all reviews, so words every segment uses sink and distinctive ones rise.
 *   Words come from graphprof's word segmenter (src/text/words.ts: any
 *   language, stop words of en, zh and the review's own language), read from
 *   the first TEXT_LIMITS.maxChars characters of each review;
 * - top products and categories by how many members reviewed them;
 * - mean rating; three representative snippets: reviews of the members nearest
 *   the centroid (one review per member, the longest, cut at a word boundary).
 */
import { cutText, TEXT_LIMITS } from '../text/limits.js';
import { cutAtWord, terms } from '../text/words.js';

export interface SegmentReview {
  /** Member position (row in the clustered matrix). */
  member: number;
  text: string;
  rating: number | null;
  productId: string;
}

export interface SegmentInput {
  k: number;
  assignment: Int32Array;
  distance: Float32Array;
  reviews: readonly SegmentReview[];
  productTitle: (productId: string) => string;
  productCategories: (productId: string) => readonly string[];
}

export interface SegmentDescription {
  segment: number;
  size: number;
  terms: string[];
  topProducts: { productId: string; title: string; members: number }[];
  topCategories: { category: string; members: number }[];
  meanRating: number | null;
  reviews: number;
  snippets: string[];
  /** One line for tables: the top terms. */
  label: string;
}

export const describeDefaults = { terms: 10, products: 5, categories: 3, snippets: 3, snippetChars: 200 } as const;

function classTfIdf(input: SegmentInput): Map<string, number>[] {
  const perSegment = Array.from({ length: input.k }, () => new Map<string, number>());
  const overall = new Map<string, number>();
  const words = new Float64Array(input.k);
  for (const r of input.reviews) {
    const seg = input.assignment[r.member];
    for (const t of terms(cutText(r.text, TEXT_LIMITS.maxChars))) {
      const m = perSegment[seg];
      m.set(t, (m.get(t) ?? 0) + 1);
      overall.set(t, (overall.get(t) ?? 0) + 1);
      words[seg]++;
    }
  }
  const meanWords = words.reduce((a, b) => a + b, 0) / Math.max(1, input.k);
  return perSegment.map((m, seg) => {
    const scores = new Map<string, number>();
    for (const [t, n] of m) {
      if (n < 2) continue; // a word one review used once is noise, not a trait
      scores.set(t, (n / Math.max(1, words[seg])) * Math.log(1 + meanWords / (overall.get(t) as number)));
    }
    return scores;
  });
}

function top<T>(counts: Map<T, number>, n: number): [T, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).slice(0, n);
}

export function describeSegments(input: SegmentInput): SegmentDescription[] {
  const d = describeDefaults;
  const tfidf = classTfIdf(input);
  const sizes = new Uint32Array(input.k);
  for (const s of input.assignment) sizes[s]++;
  const byMember = new Map<number, SegmentReview[]>();
  for (const r of input.reviews) {
    const list = byMember.get(r.member);
    if (list) list.push(r);
    else byMember.set(r.member, [r]);
  }
  return Array.from({ length: input.k }, (_, seg) => {
    const products = new Map<string, number>();
    const categories = new Map<string, number>();
    let ratingSum = 0;
    let rated = 0;
    let reviews = 0;
    const members: number[] = [];
    input.assignment.forEach((s, member) => {
      if (s !== seg) return;
      members.push(member);
      const seenP = new Set<string>();
      const seenC = new Set<string>();
      for (const r of byMember.get(member) ?? []) {
        reviews++;
        if (r.rating !== null) {
          ratingSum += r.rating;
          rated++;
        }
        seenP.add(r.productId);
        for (const c of input.productCategories(r.productId)) seenC.add(c);
      }
      for (const p of seenP) products.set(p, (products.get(p) ?? 0) + 1);
      for (const c of seenC) categories.set(c, (categories.get(c) ?? 0) + 1);
    });
    members.sort((a, b) => input.distance[a] - input.distance[b]);
    const snippets: string[] = [];
    for (const m of members) {
      if (snippets.length >= d.snippets) break;
      const texts = (byMember.get(m) ?? []).filter((r) => r.text.trim() !== '').sort((a, b) => b.text.length - a.text.length);
      if (texts.length) snippets.push(cutAtWord(cutText(texts[0].text, TEXT_LIMITS.maxChars), d.snippetChars));
    }
    const terms = top(tfidf[seg], d.terms).map(([t]) => t);
    return {
      segment: seg,
      size: sizes[seg],
      terms,
      topProducts: top(products, d.products).map(([productId, n]) => ({ productId, title: input.productTitle(productId), members: n })),
      topCategories: top(categories, d.categories).map(([category, n]) => ({ category, members: n })),
      meanRating: rated ? Math.round((ratingSum / rated) * 100) / 100 : null,
      reviews,
      snippets,
      label: terms.slice(0, 5).join(', '),
    };
  });
}

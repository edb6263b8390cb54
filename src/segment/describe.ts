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
import { OptionError } from '../util/errors.js';
import { grown } from '../util/grow.js';
import { intern } from '../util/intern.js';

/**
 * The reviews to describe, as columns (one entry per review, in reading
 * order), so a million reviews cost a few typed arrays and no object each.
 */
export interface SegmentReviews {
  /** Member position (row in the clustered matrix) of each review's author; -1: not a member, left out. */
  member: Int32Array;
  /** Product of each review: an index into SegmentProducts.ids. */
  product: Uint32Array;
  /** Star rating of each review; NaN when it has none. */
  rating: Float64Array;
  text: readonly string[];
}

/** The products reviews point to, by product index: resolved once per product, not per review. */
export interface SegmentProducts {
  ids: readonly string[];
  titles: readonly string[];
  categories: readonly (readonly string[])[];
}

export interface SegmentInput {
  k: number;
  assignment: Int32Array;
  distance: Float32Array;
  reviews: SegmentReviews;
  products: SegmentProducts;
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

/** Rows of a counting sort: the rows of group g are rows[offsets[g] .. offsets[g + 1]), in their original order. */
export interface Groups {
  offsets: Uint32Array;
  rows: Uint32Array;
}

/**
 * Groups rows by `group[r]` (in [0, groups); negative: left out) with a
 * counting sort: two passes and two typed arrays, where a Map of arrays
 * made one entry per row. Stable, so each group keeps its rows in order.
 */
export function groupRows(group: Int32Array, groups: number): Groups {
  const offsets = new Uint32Array(groups + 1);
  for (let r = 0; r < group.length; r++) {
    const g = group[r]!;
    if (g < 0) continue;
    if (g >= groups) throw new OptionError('groupRows', `group[${r}]`, g, `-1 or a group in [0, ${groups})`);
    offsets[g + 1]!++;
  }
  for (let g = 0; g < groups; g++) offsets[g + 1]! += offsets[g]!;
  const rows = new Uint32Array(offsets[groups]!);
  const next = offsets.slice(0, groups);
  for (let r = 0; r < group.length; r++) {
    const g = group[r]!;
    if (g >= 0) rows[next[g]!++] = r;
  }
  return { offsets, rows };
}

function classTfIdf(input: SegmentInput): Map<string, number>[] {
  const { k, assignment } = input;
  const { member, text } = input.reviews;
  // Identical texts (copied or templated reviews: 29% of the 1M-review sample shop) are cut into
  // words once. Counting them first lets the term ids of a repeated text be kept only until its
  // last review, so unique texts (most of a real shop) cost no cache entry at all.
  const textIndex = new Map<string, number>();
  const distinct: string[] = [];
  const textOf = new Uint32Array(member.length);
  for (let r = 0; r < member.length; r++) if (member[r]! >= 0) textOf[r] = intern(textIndex, distinct, text[r]!);
  textIndex.clear();
  const remaining = new Uint32Array(distinct.length);
  for (let r = 0; r < member.length; r++) if (member[r]! >= 0) remaining[textOf[r]!]!++;
  const cached: (number[] | undefined)[] = new Array<number[] | undefined>(distinct.length);
  // Terms are interned to ids, so counting an occurrence is typed-array arithmetic rather than
  // two Map updates keyed by a fresh string. count[term * k + seg]; firstSeen keeps, per segment,
  // the order in which its terms first occurred: the order the per-segment Maps had before, which
  // top() falls back on for ties it cannot break.
  const termIndex = new Map<string, number>();
  const termKeys: string[] = [];
  let count = new Uint32Array(1024 * k);
  let overall = new Uint32Array(1024);
  const firstSeen: number[][] = Array.from({ length: k }, () => []);
  const words = new Float64Array(k);
  const termIds = (s: string): number[] => {
    const ids = terms(cutText(s, TEXT_LIMITS.maxChars)).map((t) => intern(termIndex, termKeys, t));
    if (overall.length < termKeys.length) overall = grown(overall, termKeys.length);
    if (count.length < termKeys.length * k) count = grown(count, termKeys.length * k);
    return ids;
  };
  for (let r = 0; r < member.length; r++) {
    const m = member[r]!;
    if (m < 0) continue;
    const d = textOf[r]!;
    let ids = cached[d];
    if (ids === undefined) {
      ids = termIds(text[r]!);
      if (remaining[d]! > 1) cached[d] = ids;
    }
    if (--remaining[d]! === 0) cached[d] = undefined;
    const seg = assignment[m]!;
    for (const id of ids) {
      const c = id * k + seg;
      if (count[c] === 0) firstSeen[seg]!.push(id);
      count[c]!++;
      overall[id]!++;
    }
    words[seg]! += ids.length;
  }
  const meanWords = words.reduce((a, b) => a + b, 0) / Math.max(1, k);
  return firstSeen.map((ids, seg) => {
    const scores = new Map<string, number>();
    for (const id of ids) {
      const n = count[id * k + seg]!;
      if (n < 2) continue; // a word one review used once is noise, not a trait
      scores.set(termKeys[id]!, (n / Math.max(1, words[seg]!)) * Math.log(1 + meanWords / overall[id]!));
    }
    return scores;
  });
}

/** The n entries with the highest counts, ties by name (`name` of a key). */
function top<T>(counts: Map<T, number>, n: number, name: (key: T) => string): [T, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || name(a[0]).localeCompare(name(b[0]))).slice(0, n);
}

/**
 * Per-member distinct counting of items (products, categories): how many
 * members of a segment have each item. `seen[item]` is the last member that
 * counted it (members are distinct across segments, so it never needs a
 * reset); the Map is filled in order of first sight, as the Sets and Maps
 * it replaces were.
 */
class MemberCounts {
  private readonly seen: Int32Array;
  counts = new Map<number, number>();
  constructor(items: number) {
    this.seen = new Int32Array(items).fill(-1);
  }
  add(member: number, item: number): void {
    if (this.seen[item] === member) return;
    this.seen[item] = member;
    this.counts.set(item, (this.counts.get(item) ?? 0) + 1);
  }
}

export function describeSegments(input: SegmentInput): SegmentDescription[] {
  const d = describeDefaults;
  const { k, assignment, distance, products } = input;
  const { member, product, rating, text } = input.reviews;
  const tfidf = classTfIdf(input);
  const sizes = new Uint32Array(k);
  for (const s of assignment) sizes[s]++;
  const byMember = groupRows(member, assignment.length);
  const bySegment = groupRows(assignment, k);
  // Categories as ids per product index, resolved once per product.
  const categoryIndex = new Map<string, number>();
  const categoryNames: string[] = [];
  const categoriesOf = products.ids.map((_, p) => (products.categories[p] ?? []).map((c) => intern(categoryIndex, categoryNames, c)));
  const productCounts = new MemberCounts(products.ids.length);
  const categoryCounts = new MemberCounts(categoryNames.length);
  return Array.from({ length: k }, (_, seg) => {
    productCounts.counts = new Map();
    categoryCounts.counts = new Map();
    let ratingSum = 0;
    let rated = 0;
    let reviews = 0;
    // Members in ascending order, as the segment's ratings were summed before.
    const members = Array.from(bySegment.rows.subarray(bySegment.offsets[seg], bySegment.offsets[seg + 1]));
    for (const m of members) {
      for (let i = byMember.offsets[m]!; i < byMember.offsets[m + 1]!; i++) {
        const r = byMember.rows[i]!;
        reviews++;
        const v = rating[r]!;
        if (!Number.isNaN(v)) {
          ratingSum += v;
          rated++;
        }
        const p = product[r]!;
        productCounts.add(m, p);
        for (const c of categoriesOf[p] ?? []) categoryCounts.add(m, c);
      }
    }
    members.sort((a, b) => distance[a]! - distance[b]!);
    const snippets: string[] = [];
    for (const m of members) {
      if (snippets.length >= d.snippets) break;
      // The member's longest non-blank review, the first of equally long ones.
      let best = -1;
      for (let i = byMember.offsets[m]!; i < byMember.offsets[m + 1]!; i++) {
        const r = byMember.rows[i]!;
        if ((best < 0 || text[r]!.length > text[best]!.length) && text[r]!.trim() !== '') best = r;
      }
      if (best >= 0) snippets.push(cutAtWord(cutText(text[best]!, TEXT_LIMITS.maxChars), d.snippetChars));
    }
    const terms = top(tfidf[seg]!, d.terms, (t) => t).map(([t]) => t);
    return {
      segment: seg,
      size: sizes[seg]!,
      terms,
      topProducts: top(productCounts.counts, d.products, (p) => products.ids[p]!).map(([p, n]) => ({ productId: products.ids[p]!, title: products.titles[p] ?? '', members: n })),
      topCategories: top(categoryCounts.counts, d.categories, (c) => categoryNames[c]!).map(([c, n]) => ({ category: categoryNames[c]!, members: n })),
      meanRating: rated ? Math.round((ratingSum / rated) * 100) / 100 : null,
      reviews,
      snippets,
      label: terms.slice(0, 5).join(', '),
    };
  });
}

/**
 * Readable descriptions of segments: what sets a segment's members apart.
 * - terms: class-based TF-IDF (as in BERTopic): all reviews of a segment's
 *   members form one document; a term scores tf(t, segment) * log(1 + A / f(t)),
 *   with A the mean number of words per segment and f(t) the term's frequency
 *   over all reviews, so words every segment uses sink and distinctive ones rise;
 * - top products and categories by how many members reviewed them;
 * - mean rating; three representative snippets: reviews of the members nearest
 *   the centroid (one review per member, the longest, cut to a readable length).
 */

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

// Common English function words plus review boilerplate that says nothing about a segment.
const stopwords = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    "im ive dont didnt doesnt cant wont isnt thats its it's i'm i've don't didn't doesn't can't won't isn't that's one get got also would really much even well still use used using make made bit lot thing things way go going"
  ).split(/\s+/),
);

export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? [];
  return words.map((w) => w.replace(/^'+|'+$/g, '')).filter((w) => w.length > 2 && !stopwords.has(w));
}

function classTfIdf(input: SegmentInput): Map<string, number>[] {
  const perSegment = Array.from({ length: input.k }, () => new Map<string, number>());
  const overall = new Map<string, number>();
  const words = new Float64Array(input.k);
  for (const r of input.reviews) {
    const seg = input.assignment[r.member];
    for (const t of tokenize(r.text)) {
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

function snippet(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20)) + '…';
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
      if (texts.length) snippets.push(snippet(texts[0].text, d.snippetChars));
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

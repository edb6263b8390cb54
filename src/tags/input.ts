/**
 * What tag scoring reads, as typed arrays: reviews (user, product, rating,
 * time, text row), products (categories, brand) and the text vectors of the
 * reviews in one or more text spaces. tagInputFromRecords() builds it from the
 * ingest review table and product records so callers do not assemble the
 * arrays by hand.
 */
import type { ProductRecord, ReviewTable } from '../ingest/records.js';
import { rowsOfKeys } from '../ingest/table.js';
import { OptionError } from '../util/errors.js';

export interface TagReviews {
  /** User row of each review (0 .. users-1). */
  user: Int32Array;
  /** Product row of each review (0 .. products.count-1), -1 when unknown. */
  product: Int32Array;
  /** Star rating, NaN when absent. */
  rating: Float32Array;
  /** Unix seconds, NaN when absent. */
  time: Float64Array;
  /** Row of the review's text vector in its text space, -1 when the review has no text. */
  text: Int32Array;
  /** Index of the review's text space in the spaces passed to the scorer; absent: every review is in space 0. */
  space?: Uint8Array;
}

export interface TagProducts {
  count: number;
  /** Categories of product p: categoryIndex[categoryOffsets[p] .. categoryOffsets[p+1]) (indices into TagInput.categories). */
  categoryOffsets: Uint32Array;
  categoryIndex: Uint32Array;
  /** Brand index per product, -1 when unknown; absent: no brands known. */
  brand?: Int32Array;
}

export interface TagInput {
  users: number;
  reviews: TagReviews;
  products: TagProducts;
  categories: readonly string[];
  /** Rating scale (default 1..5): "low" is the lowest quarter, "high" the top value. */
  ratingScale?: { min: number; max: number };
}

/**
 * The review text vectors of one encoder. Reviews embedded by different
 * encoders are not comparable, so each encoder is its own space and a tag's
 * phrases are embedded in each space by that space's encoder.
 */
export interface TextSpace {
  /** The encoder's model id (stored with the tag model; scoring later checks it). */
  id: string;
  dim: number;
  /** [rows x dim]; TagReviews.text indexes the rows of the review's space. */
  vectors: Float32Array;
}

/** A text space at fit time: also embeds the tag phrases with the same encoder. */
export interface FitTextSpace extends TextSpace {
  encode(texts: string[]): Promise<Float32Array>;
  /** Phrases this encoder can embed (e.g. by script); absent: all. See scriptFilter(). */
  acceptsPhrase?: (phrase: string) => boolean;
}

/** A phrase filter by Unicode script: scriptFilter(['Han']) accepts phrases with a Han character. */
export function scriptFilter(scripts: readonly string[], mode: 'any' | 'none' = 'any'): (phrase: string) => boolean {
  const patterns = scripts.map((s) => new RegExp(`\\p{Script=${s}}`, 'u'));
  return (phrase) => {
    const hit = patterns.some((p) => p.test(phrase));
    return mode === 'any' ? hit : !hit;
  };
}

export function checkTagInput(input: TagInput, spaces: readonly TextSpace[]): void {
  const fn = 'scoreTags';
  const r = input.reviews;
  const n = r.user.length;
  if (!Number.isInteger(input.users) || input.users < 0) throw new OptionError(fn, 'users', input.users, 'an integer >= 0');
  for (const [name, arr] of [['product', r.product], ['rating', r.rating], ['time', r.time], ['text', r.text]] as const) {
    if (arr.length !== n) throw new OptionError(fn, `reviews.${name}`, `${arr.length} values`, `${n} (one per review)`);
  }
  if (r.space && r.space.length !== n) throw new OptionError(fn, 'reviews.space', `${r.space.length} values`, `${n} (one per review)`);
  const p = input.products;
  if (p.categoryOffsets.length !== p.count + 1) throw new OptionError(fn, 'products.categoryOffsets', `${p.categoryOffsets.length} values`, `${p.count + 1}`);
  if (p.brand && p.brand.length !== p.count) throw new OptionError(fn, 'products.brand', `${p.brand.length} values`, `${p.count}`);
  for (let i = 0; i < p.categoryIndex.length; i++) {
    if (p.categoryIndex[i]! >= input.categories.length) throw new OptionError(fn, `products.categoryIndex[${i}]`, p.categoryIndex[i], `< ${input.categories.length} (the number of categories)`);
  }
  for (const [i, s] of spaces.entries()) {
    if (!Number.isInteger(s.dim) || s.dim < 1 || s.vectors.length % s.dim !== 0) throw new OptionError(fn, `spaces[${i}] (${s.id})`, `${s.vectors.length} values with dim ${s.dim}`, 'a [rows x dim] matrix');
  }
  for (let k = 0; k < n; k++) {
    const u = r.user[k]!;
    if (u < 0 || u >= input.users) throw new OptionError(fn, `reviews.user[${k}]`, u, `a user row in [0, ${input.users})`);
    const prod = r.product[k]!;
    if (prod < -1 || prod >= p.count) throw new OptionError(fn, `reviews.product[${k}]`, prod, `-1 or a product row in [0, ${p.count})`);
    const t = r.text[k]!;
    if (t < 0) continue;
    const s = r.space ? r.space[k]! : 0;
    const space = spaces[s];
    if (!space) throw new OptionError(fn, `reviews.space[${k}]`, s, `a space index < ${spaces.length}`);
    if (t >= space.vectors.length / space.dim) throw new OptionError(fn, `reviews.text[${k}]`, t, `-1 or a row of space ${space.id} (${space.vectors.length / space.dim} rows)`);
  }
}

export interface RecordsForTags {
  /** User ids in row order (the rows of the returned input and of the scores). */
  userIds: readonly string[];
  /** Every row is a review of the input (row i = review i). */
  reviews: ReviewTable;
  products: ReadonlyMap<string, Pick<ProductRecord, 'categories' | 'brand'>>;
  /** Text row of review i in its space, -1 without text. */
  textRow: (review: number) => number;
  /** Space of review i (default 0). */
  spaceOf?: (review: number) => number;
  ratingScale?: { min: number; max: number };
}

/** Builds a TagInput from ingest records. Reviews of users not in userIds are an error (a caller bug). */
export function tagInputFromRecords(rec: RecordsForTags): TagInput {
  const userRow = new Map(rec.userIds.map((id, i) => [id, i] as [string, number]));
  const productRow = new Map<string, number>();
  const categoryRow = new Map<string, number>();
  const brandRow = new Map<string, number>();
  const offsets: number[] = [0];
  const catIndex: number[] = [];
  const brands: number[] = [];
  for (const [id, p] of rec.products) {
    productRow.set(id, productRow.size);
    for (const c of new Set(p.categories)) {
      let ci = categoryRow.get(c);
      if (ci === undefined) categoryRow.set(c, (ci = categoryRow.size));
      catIndex.push(ci);
    }
    offsets.push(catIndex.length);
    const b = p.brand.trim();
    let bi = -1;
    if (b !== '') {
      bi = brandRow.get(b) ?? brandRow.size;
      brandRow.set(b, bi);
    }
    brands.push(bi);
  }
  // Reviewed products without metadata still get a row (rating habits need them), in order of first review.
  const t = rec.reviews;
  const n = t.count;
  const productOf = new Int32Array(t.productKeys.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const k = t.product[i]!;
    if (productOf[k]! >= 0) continue;
    const id = t.productKeys[k]!;
    let row = productRow.get(id);
    if (row === undefined) {
      productRow.set(id, (row = productRow.size));
      offsets.push(catIndex.length);
      brands.push(-1);
    }
    productOf[k] = row;
  }
  const userOf = rowsOfKeys(t.userKeys, userRow);
  const reviews: TagReviews = {
    user: new Int32Array(n),
    product: new Int32Array(n),
    rating: new Float32Array(n),
    time: new Float64Array(n),
    text: new Int32Array(n),
    ...(rec.spaceOf ? { space: new Uint8Array(n) } : {}),
  };
  for (let i = 0; i < n; i++) {
    const u = userOf[t.user[i]!]!;
    if (u < 0) throw new OptionError('tagInputFromRecords', `reviews[${i}].userId`, t.userKeys[t.user[i]!], 'one of userIds');
    reviews.user[i] = u;
    reviews.product[i] = productOf[t.product[i]!]!;
    reviews.rating[i] = t.rating[i]!;
    reviews.time[i] = t.timestamp[i]!;
    reviews.text[i] = rec.textRow(i);
    if (reviews.space && rec.spaceOf) reviews.space[i] = rec.spaceOf(i);
  }
  return {
    users: rec.userIds.length,
    reviews,
    products: {
      count: productRow.size,
      categoryOffsets: Uint32Array.from(offsets),
      categoryIndex: Uint32Array.from(catIndex),
      ...(brandRow.size > 0 ? { brand: Int32Array.from(brands) } : {}),
    },
    categories: [...categoryRow.keys()],
    ...(rec.ratingScale ? { ratingScale: rec.ratingScale } : {}),
  };
}

/**
 * Where each canonical field of a generic CSV file comes from: the caller's
 * mapping, the field's own name, or a name other exports commonly use for it;
 * and, for every field that is absent, what that means for the run. Reported
 * per file, so a mapping can never silently lose ratings or times.
 */
import { canonicalColumns, type CanonicalColumn, type ResolvedReadOptions } from './options.js';

/**
 * Names other exports give the canonical columns (Yelp, Amazon, shop systems).
 * A header column is recognised when it equals the canonical name or one of
 * these, ignoring case and separators ("Created At" = created_at), unless
 * --map names the column for that field. Every use is reported (columnsOfHeader).
 */
export const columnSynonyms: Readonly<Record<CanonicalColumn, readonly string[]>> = {
  review_id: ['reviewId', 'id_review'],
  user_id: ['reviewer', 'reviewer_id', 'reviewerID', 'customer_id', 'customer', 'user', 'author_id', 'buyer_id'],
  product_id: ['business_id', 'item_id', 'asin', 'product', 'sku', 'parent_asin', 'listing_id'],
  rating: ['stars', 'score', 'overall', 'star_rating', 'review_rating', 'rating_value'],
  text: ['review_text', 'reviewText', 'review', 'body', 'content', 'comment'],
  summary: ['headline', 'review_title', 'review_summary'],
  timestamp: ['date', 'time', 'created_at', 'review_date', 'datetime', 'unixReviewTime', 'reviewed_at', 'created'],
  title: ['name', 'product_name', 'product_title'],
  category: ['categories', 'category_name', 'main_category'],
  brand: ['manufacturer', 'store'],
  price: ['list_price', 'price_usd'],
};

/** How a canonical field was found in a header: its own name, the caller's mapping, or a synonym. */
export type ColumnSource = 'named' | 'mapped' | 'synonym';

/** Where the canonical fields of one generic CSV file come from; absent fields have column null. */
export interface ColumnReport {
  file: string;
  role: 'reviews' | 'users' | 'products';
  fields: Partial<Record<CanonicalColumn, { column: string | null; source: ColumnSource | null }>>;
}

const fieldsOfRole: Record<ColumnReport['role'], readonly CanonicalColumn[]> = {
  reviews: ['review_id', 'user_id', 'product_id', 'rating', 'text', 'summary', 'timestamp'],
  products: ['product_id', 'title', 'category', 'brand', 'price'],
  users: ['user_id'],
};

const loose = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The header column of every canonical field in one file: a mapped field takes
 * its mapped name, then exact names, then the first unclaimed synonym.
 */
export function columnsOfHeader(header: readonly string[], o: Pick<ResolvedReadOptions, 'columns' | 'mapped'>): { columns: Record<CanonicalColumn, string>; sources: Partial<Record<CanonicalColumn, ColumnSource>> } {
  const columns = { ...o.columns };
  const sources: Partial<Record<CanonicalColumn, ColumnSource>> = {};
  const claimed = new Set<string>();
  for (const c of canonicalColumns) {
    if (!header.includes(columns[c])) continue;
    sources[c] = o.mapped.has(c) ? 'mapped' : 'named';
    claimed.add(columns[c]);
  }
  for (const c of canonicalColumns) {
    if (sources[c] !== undefined || o.mapped.has(c)) continue;
    const wanted = new Set([c, ...columnSynonyms[c]].map(loose));
    const found = header.find((h) => !claimed.has(h) && wanted.has(loose(h)));
    if (found === undefined) continue;
    columns[c] = found;
    sources[c] = 'synonym';
    claimed.add(found);
  }
  return { columns, sources };
}

/** The report of one file once its role is known. */
export function columnReport(file: string, role: ColumnReport['role'], columns: Readonly<Record<CanonicalColumn, string>>, sources: Partial<Record<CanonicalColumn, ColumnSource>>): ColumnReport {
  const fields: ColumnReport['fields'] = {};
  for (const c of fieldsOfRole[role]) fields[c] = sources[c] ? { column: columns[c], source: sources[c] } : { column: null, source: null };
  return { file, role, fields };
}

/** What a run loses without a field (fields without an entry are merely optional). */
const absentMeans: Partial<Record<ColumnReport['role'], Partial<Record<CanonicalColumn, string>>>> = {
  reviews: {
    review_id: 'review ids are derived from user, product, time and text',
    rating: 'reviews are unrated: segments show no mean rating',
    text: 'no review text: profiles come from the graph alone',
    timestamp: "no review times: eval holds out each user's last review in file order, not the newest",
  },
  products: {
    title: 'products have no titles: segments name product ids',
    category: 'no categories: the graph has no category nodes',
  },
};

const sourceWords: Record<ColumnSource, string> = { named: '', mapped: ' (--map)', synonym: ' (recognised)' };

/** The report in words: one line naming each field's column, then a line per absent field that matters. */
export function describeColumns(report: ColumnReport): string[] {
  const found: string[] = [];
  const absent: CanonicalColumn[] = [];
  for (const [field, f] of Object.entries(report.fields) as [CanonicalColumn, { column: string | null; source: ColumnSource | null }][]) {
    if (f.column === null || f.source === null) {
      absent.push(field);
      continue;
    }
    found.push(f.column === field ? field : `${field} <- ${f.column}${sourceWords[f.source]}`);
  }
  const head = `${report.file} (${report.role}): ${found.join(', ')}${absent.length ? `; absent: ${absent.join(', ')}` : ''}`;
  const means = absentMeans[report.role] ?? {};
  return [head, ...absent.filter((f) => means[f] !== undefined).map((f) => `  no ${f} column: ${means[f]}`)];
}

/**
 * Builds and cuts ReviewTables (records.ts): the column form every reader
 * appends its reviews to. User and product ids are interned as rows are
 * added, so later stages work on index arrays (no Map lookup per review);
 * numbers go to typed arrays that grow by doubling (util/grow.ts) and are cut
 * to size once, by finish().
 */
import { InputError } from '../util/errors.js';
import { grown } from '../util/grow.js';
import { intern } from '../util/intern.js';
import type { ReviewRecord, ReviewTable } from './records.js';

/** One review's values as a builder takes them (helpful votes and verified may be left out: none). */
export type ReviewValues = Omit<ReviewRecord, 'source'>;

/** Source files a table can name: `file` is a Uint16Array. */
const maxFiles = 0xffff;

export class ReviewTableBuilder {
  private n = 0;
  private readonly userIndex = new Map<string, number>();
  private readonly productIndex = new Map<string, number>();
  private readonly fileIndex = new Map<string, number>();
  private readonly userKeys: string[] = [];
  private readonly productKeys: string[] = [];
  private readonly files: string[] = [];
  private readonly reviewIds: string[] = [];
  private readonly texts: string[] = [];
  private readonly summaries: string[] = [];
  private user = new Uint32Array(1024);
  private product = new Uint32Array(1024);
  private rating = new Float64Array(1024);
  private timestamp = new Float64Array(1024);
  private helpfulVotes = new Float64Array(1024);
  private verified = new Int8Array(1024);
  private file = new Uint16Array(1024);
  private line = new Uint32Array(1024);
  private lastFile = '';
  private lastFileIndex = -1;

  get count(): number {
    return this.n;
  }

  /** Appends one review, interning its user, product and file; returns its row. */
  add(v: ReviewValues, file: string, line: number): number {
    const f = this.fileOf(file, line);
    if (this.n === this.user.length) this.grow();
    const r = this.n++;
    this.user[r] = intern(this.userIndex, this.userKeys, v.userId);
    this.product[r] = intern(this.productIndex, this.productKeys, v.productId);
    this.rating[r] = v.rating ?? NaN;
    this.timestamp[r] = v.timestamp ?? NaN;
    this.helpfulVotes[r] = v.helpfulVotes ?? NaN;
    this.verified[r] = v.verified === true ? 1 : v.verified === false ? 0 : -1;
    this.file[r] = f;
    this.line[r] = line;
    this.reviewIds.push(v.reviewId);
    this.texts.push(v.text);
    this.summaries.push(v.summary);
    return r;
  }

  /** Appends row r of another table (its user, product and file interned here); returns the new row. */
  addRowOf(t: ReviewTable, r: number): number {
    const f = this.fileOf(t.files[t.file[r]!]!, t.line[r]!);
    if (this.n === this.user.length) this.grow();
    const row = this.n++;
    this.user[row] = intern(this.userIndex, this.userKeys, t.userKeys[t.user[r]!]!);
    this.product[row] = intern(this.productIndex, this.productKeys, t.productKeys[t.product[r]!]!);
    this.rating[row] = t.rating[r]!;
    this.timestamp[row] = t.timestamp[r]!;
    this.helpfulVotes[row] = t.helpfulVotes[r]!;
    this.verified[row] = t.verified[r]!;
    this.file[row] = f;
    this.line[row] = t.line[r]!;
    this.reviewIds.push(t.reviewId[r]!);
    this.texts.push(t.text[r]!);
    this.summaries.push(t.summary[r]!);
    return row;
  }

  /** Values of an earlier row, for the readers' duplicate checks. */
  userId(r: number): string {
    return this.userKeys[this.user[r]!]!;
  }
  productId(r: number): string {
    return this.productKeys[this.product[r]!]!;
  }
  /** Null when absent. */
  timestampAt(r: number): number | null {
    const t = this.timestamp[r]!;
    return Number.isNaN(t) ? null : t;
  }
  text(r: number): string {
    return this.texts[r]!;
  }
  reviewId(r: number): string {
    return this.reviewIds[r]!;
  }

  /** The table of the rows added; the builder is not to be used after. */
  finish(): ReviewTable {
    const n = this.n;
    return {
      count: n,
      reviewId: this.reviewIds,
      user: this.user.slice(0, n),
      userKeys: this.userKeys,
      product: this.product.slice(0, n),
      productKeys: this.productKeys,
      rating: this.rating.slice(0, n),
      timestamp: this.timestamp.slice(0, n),
      helpfulVotes: this.helpfulVotes.slice(0, n),
      verified: this.verified.slice(0, n),
      text: this.texts,
      summary: this.summaries,
      files: this.files,
      file: this.file.slice(0, n),
      line: this.line.slice(0, n),
    };
  }

  private fileOf(file: string, line: number): number {
    if (file === this.lastFile && this.lastFileIndex >= 0) return this.lastFileIndex;
    let f = this.fileIndex.get(file);
    if (f === undefined) {
      if (this.files.length === maxFiles) throw new InputError(file, line, '(file)', `more than ${maxFiles} source files in one read`);
      f = this.files.length;
      this.fileIndex.set(file, f);
      this.files.push(file);
    }
    this.lastFile = file;
    this.lastFileIndex = f;
    return f;
  }

  private grow(): void {
    this.user = grown(this.user);
    this.product = grown(this.product);
    this.rating = grown(this.rating);
    this.timestamp = grown(this.timestamp);
    this.helpfulVotes = grown(this.helpfulVotes);
    this.verified = grown(this.verified);
    this.file = grown(this.file);
    this.line = grown(this.line);
  }
}

/** The table of `records` in their order (tests, small callers); a review id named twice is an error naming both places. */
export function reviewTableOf(records: Iterable<ReviewRecord>): ReviewTable {
  const b = new ReviewTableBuilder();
  const seen = new Map<string, number>();
  for (const rec of records) {
    const at = seen.get(rec.reviewId);
    if (at !== undefined) {
      throw new Error(`reviewTableOf: review id "${rec.reviewId}" occurs twice (${rec.source.file}:${rec.source.line}, and row ${at + 1})`);
    }
    seen.set(rec.reviewId, b.add(rec, rec.source.file, rec.source.line));
  }
  return b.finish();
}

/** Row r as a record (inspection, tests; not for loops over a large table). */
export function reviewAt(t: ReviewTable, r: number): ReviewRecord {
  const votes = t.helpfulVotes[r]!;
  const verified = t.verified[r]!;
  return {
    reviewId: t.reviewId[r]!,
    userId: t.userKeys[t.user[r]!]!,
    productId: t.productKeys[t.product[r]!]!,
    rating: orNull(t.rating[r]!),
    text: t.text[r]!,
    summary: t.summary[r]!,
    timestamp: orNull(t.timestamp[r]!),
    source: { file: t.files[t.file[r]!]!, line: t.line[r]! },
    helpfulVotes: Number.isNaN(votes) ? null : votes,
    verified: verified < 0 ? null : verified === 1,
  };
}

/** Every row of a table as records, in order (tests and small tables only). */
export function reviewRecords(t: ReviewTable): ReviewRecord[] {
  return Array.from({ length: t.count }, (_, r) => reviewAt(t, r));
}

const orNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** Rating of row r, null when absent. */
export const ratingAt = (t: ReviewTable, r: number): number | null => orNull(t.rating[r]!);
/** Timestamp of row r, null when absent. */
export const timestampAt = (t: ReviewTable, r: number): number | null => orNull(t.timestamp[r]!);

/** The rows `rows` of a table, in that order, as a table of their own (sharing the key lists and files). */
export function takeRows(t: ReviewTable, rows: Uint32Array): ReviewTable {
  const n = rows.length;
  const pick = <A extends Uint32Array | Uint16Array | Float64Array | Int8Array>(a: A, out: A): A => {
    for (let i = 0; i < n; i++) out[i] = a[rows[i]!]!;
    return out;
  };
  const strings = (a: readonly string[]): string[] => {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = a[rows[i]!]!;
    return out;
  };
  return {
    count: n,
    reviewId: strings(t.reviewId),
    user: pick(t.user, new Uint32Array(n)),
    userKeys: t.userKeys,
    product: pick(t.product, new Uint32Array(n)),
    productKeys: t.productKeys,
    rating: pick(t.rating, new Float64Array(n)),
    timestamp: pick(t.timestamp, new Float64Array(n)),
    helpfulVotes: pick(t.helpfulVotes, new Float64Array(n)),
    verified: pick(t.verified, new Int8Array(n)),
    text: strings(t.text),
    summary: strings(t.summary),
    files: t.files,
    file: pick(t.file, new Uint16Array(n)),
    line: pick(t.line, new Uint32Array(n)),
  };
}

/** A table without rows. */
export const emptyReviewTable = (): ReviewTable => new ReviewTableBuilder().finish();

/** 0, 1, ..., n-1. */
export function allRows(n: number): Uint32Array {
  const rows = new Uint32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/**
 * Row of each interned key in `row` (-1: none): one Map lookup per distinct
 * user or product instead of one per review.
 */
export function rowsOfKeys(keys: readonly string[], row: ReadonlyMap<string, number>): Int32Array {
  const out = new Int32Array(keys.length);
  for (let k = 0; k < keys.length; k++) out[k] = row.get(keys[k]!) ?? -1;
  return out;
}

/**
 * The distinct indices of `index` (user or product column) in order of first
 * appearance over `rows` (default: all rows); `bound` is the key count.
 */
export function firstAppearance(index: Uint32Array, bound: number, rows?: Uint32Array): Uint32Array {
  const seen = new Uint8Array(bound);
  const out: number[] = [];
  const n = rows ? rows.length : index.length;
  for (let i = 0; i < n; i++) {
    const k = index[rows ? rows[i]! : i]!;
    if (seen[k]) continue;
    seen[k] = 1;
    out.push(k);
  }
  return Uint32Array.from(out);
}

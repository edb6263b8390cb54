/**
 * Collects the rows of all shop files of one read into ShopData: drops and
 * counts duplicate reviews, gives every review a unique id, and joins product
 * metadata and users.csv rows to the ids the reviews use.
 *
 * Duplicates, precisely:
 * - exact: the raw record (JSON line, or CSV record text) is byte-identical to
 *   an earlier record with the same review key;
 * - repeated: same review key (user, product, timestamp, text) as an earlier
 *   record, but not byte-identical to any earlier one (e.g. another reviewerName,
 *   vote count or review_id).
 * Exact duplicates always share the key, so raw records are compared only
 * within a key, through a "raw token" per record: CSV readers pass the record
 * text itself (a slice of the decoded block that the kept texts reference
 * anyway, so it costs no copy), JSON readers pass a digest of the line (parsed
 * JSON strings are fresh copies, and keeping whole lines would double memory).
 */
import { hash } from 'node:crypto';
import { emptyCounts, type IngestCounts, type ProductRecord, type ShopData, type UserRecord } from './records.js';
import { RowError, RowErrorKind } from './row-error.js';
import { ReviewTableBuilder } from './table.js';

/** One review as a reader parsed it, before dedupe and id assignment. */
export interface ReviewInput {
  /** The input's own review id, or null to derive one. */
  reviewId: string | null;
  userId: string;
  productId: string;
  rating: number | null;
  text: string;
  summary: string;
  timestamp: number | null;
  helpfulVotes: number | null;
  verified: boolean | null;
}

/** Hex digits of a derived review id: 64 bits; on a clash with another key the id is lengthened. */
const reviewIdHexDigits = 16;


/** Raw token of a JSON line (see the header); the NUL prefix keeps it apart from any CSV record text. */
export function digestToken(line: string): string {
  return '\u0000' + hash('sha1', line, 'base64');
}

/** The review key's digest: hex SHA-1 of the (user, product, time, text) tuple. */
export function reviewKeyDigest(userId: string, productId: string, timestamp: number | null, text: string): string {
  return hash('sha1', `${userId}\u0000${productId}\u0000${timestamp ?? ''}\u0000${text}`, 'hex');
}

export class ShopCollector {
  /** Kept reviews, as columns (ids interned as they come). */
  private readonly reviews = new ReviewTableBuilder();
  readonly counts: IngestCounts = emptyCounts();
  /**
   * Review key id -> row in `reviews`. The key id is a prefix of the key digest,
   * lengthened past any prefix taken by a different key (open addressing), so it is
   * both the dedupe index and, for reviews without an input id, the review id.
   */
  private readonly byKeyId = new Map<string, number>();
  /** Raw token of each kept review, by index; further raw forms of the same key (rare) in `moreRaw`. */
  private readonly rawTokens: string[] = [];
  private readonly moreRaw = new Map<number, string[]>();
  /** Review ids taken from the input. */
  private readonly givenIds = new Set<string>();
  private readonly productMeta = new Map<string, ProductRecord>();
  private readonly userRows = new Map<string, UserRecord>();

  constructor(private readonly pseudonymize: ((userId: string) => string) | null) {}

  /** Adds one review unless it duplicates an earlier one; throws RowError for a clashing input review id. */
  addReview(r: ReviewInput, rawToken: string, file: string, line: number): void {
    const userId = this.pseudonymize ? this.pseudonymize(r.userId) : r.userId;
    const digest = reviewKeyDigest(userId, r.productId, r.timestamp, r.text);
    let keyId = '';
    for (let digits = reviewIdHexDigits; ; digits += 8) {
      keyId = digits <= digest.length ? digest.slice(0, digits) : `${digest}-${digits}`;
      const at = this.byKeyId.get(keyId);
      if (at === undefined) {
        if (r.reviewId === null && this.givenIds.has(keyId)) continue;
        break;
      }
      const kept = this.reviews;
      if (kept.userId(at) === userId && kept.productId(at) === r.productId && kept.timestampAt(at) === r.timestamp && kept.text(at) === r.text) {
        this.countDuplicate(at, rawToken);
        return;
      }
    }
    const reviewId = r.reviewId === null ? keyId : this.takeGivenId(r.reviewId);
    this.byKeyId.set(keyId, this.reviews.count);
    this.rawTokens.push(rawToken);
    if (r.text.trim().length === 0) this.counts.emptyText++;
    this.reviews.add(
      { reviewId, userId, productId: r.productId, rating: r.rating, text: r.text, summary: r.summary, timestamp: r.timestamp, helpfulVotes: r.helpfulVotes, verified: r.verified },
      file,
      line,
    );
  }

  private countDuplicate(at: number, rawToken: string): void {
    const more = this.moreRaw.get(at);
    if (this.rawTokens[at] === rawToken || (more !== undefined && more.includes(rawToken))) {
      this.counts.duplicatesExact++;
      return;
    }
    this.counts.duplicatesRepeated++;
    if (more === undefined) this.moreRaw.set(at, [rawToken]);
    else more.push(rawToken);
  }

  /** An input id must name one review only, and must not equal an id derived for another review. */
  private takeGivenId(id: string): string {
    const derivedAt = this.byKeyId.get(id);
    if (this.givenIds.has(id) || (derivedAt !== undefined && this.reviews.reviewId(derivedAt) === id)) {
      throw new RowError(RowErrorKind.duplicateReviewId, 'review_id', `${JSON.stringify(id)} already names another review`);
    }
    this.givenIds.add(id);
    return id;
  }

  /** Metadata of one product; the first record of a product wins. */
  addProduct(p: ProductRecord): void {
    if (!this.productMeta.has(p.productId)) this.productMeta.set(p.productId, p);
  }

  /** One users.csv row; the first row of a user wins. */
  addUser(u: UserRecord): void {
    const userId = this.pseudonymize ? this.pseudonymize(u.userId) : u.userId;
    if (!this.userRows.has(userId)) this.userRows.set(userId, { userId, attributes: u.attributes });
  }

  /**
   * Users and products: those the reviews name (in order of first appearance,
   * empty records where no users.csv row or metadata exists), then those only
   * the metadata or users.csv know; the graph builder decides what to keep.
   */
  finish(files: string[]): ShopData {
    const reviews = this.reviews.finish();
    const users = new Map<string, UserRecord>();
    const products = new Map<string, ProductRecord>();
    // The key lists are in order of first appearance, and only kept reviews intern a key.
    for (const id of reviews.userKeys) users.set(id, this.userRows.get(id) ?? { userId: id, attributes: {} });
    for (const id of reviews.productKeys) products.set(id, this.productMeta.get(id) ?? { productId: id, title: '', categories: [], brand: '', price: null });
    for (const [id, u] of this.userRows) if (!users.has(id)) users.set(id, u);
    for (const [id, p] of this.productMeta) if (!products.has(id)) products.set(id, p);
    return { kind: 'shop', reviews, products, users, counts: this.counts, files };
  }
}

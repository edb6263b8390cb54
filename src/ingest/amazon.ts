/**
 * Readers for the Amazon review data (McAuley 2014 and Ni/Li/McAuley 2018
 * releases): review JSON lines, their CSV form (Kaggle), and product metadata
 * lines (JSON, or the Python-literal lines of the 2014 metadata files). `reviewerName` is never read, so no name reaches the records.
 */
import { columnIndex, readCsvFile, readJsonLines, type FileContext } from './driver.js';
import {
  flattenCategories,
  parseAmazonReviewTime,
  parseHelpful,
  parsePrice,
  parseRating,
  parseTimestamp,
  parseVotes,
  requireId,
  textOf,
} from './fields.js';
import type { ProductRecord } from './records.js';
import { RowErrorKind } from './row-error.js';
import { digestToken, type ReviewInput, type ShopCollector } from './shop.js';

export interface AmazonContext extends FileContext {
  shop: ShopCollector;
  ratingRange: readonly [number, number];
}

/** One review object of either release (2018 adds verified, vote, style, image; style and image are not kept). */
export function amazonReview(obj: Record<string, unknown>, ratingRange: readonly [number, number]): ReviewInput {
  const timestamp = parseTimestamp(obj.unixReviewTime, 'unixReviewTime') ?? parseAmazonReviewTime(obj.reviewTime);
  return {
    reviewId: null,
    userId: requireId(obj.reviewerID, 'reviewerID', RowErrorKind.missingUser),
    productId: requireId(obj.asin, 'asin', RowErrorKind.missingProduct),
    rating: parseRating(obj.overall, 'overall', ratingRange),
    text: textOf(obj.reviewText),
    summary: textOf(obj.summary),
    timestamp,
    helpfulVotes: obj.vote !== undefined ? parseVotes(obj.vote) : parseHelpful(obj.helpful),
    verified: typeof obj.verified === 'boolean' ? obj.verified : null,
  };
}

export async function readAmazonJson(file: string, ctx: AmazonContext): Promise<void> {
  await readJsonLines(file, ctx, (obj, raw, line) => ctx.shop.addReview(amazonReview(obj, ctx.ratingRange), digestToken(raw), file, line));
}

/** One metadata object: 2014 `categories` (list of paths) or 2018 `category` (list). */
export function amazonProduct(obj: Record<string, unknown>): ProductRecord {
  return {
    productId: requireId(obj.asin, 'asin', RowErrorKind.missingProduct),
    title: textOf(obj.title),
    categories: flattenCategories(obj.categories ?? obj.category),
    brand: textOf(obj.brand),
    price: parsePrice(obj.price),
  };
}

export async function readAmazonMeta(file: string, ctx: AmazonContext): Promise<void> {
  await readJsonLines(file, ctx, (obj) => ctx.shop.addProduct(amazonProduct(obj)), true);
}

/** The Kaggle CSV form: the JSON keys as columns, every value a string. */
export async function readAmazonCsv(file: string, ctx: AmazonContext): Promise<void> {
  await readCsvFile(file, ctx, (header, headerLine) => {
    const col = (name: string, required = false): number => columnIndex(file, header, headerLine, name, required);
    const user = col('reviewerID', true);
    const product = col('asin', true);
    const rating = col('overall');
    const text = col('reviewText');
    const summary = col('summary');
    const unix = col('unixReviewTime');
    const reviewTime = col('reviewTime');
    const helpful = col('helpful');
    const vote = col('vote');
    const verified = col('verified');
    const at = (fields: string[], i: number): string | undefined => (i < 0 ? undefined : fields[i]);
    return (fields, record) => {
      const review: ReviewInput = {
        reviewId: null,
        userId: requireId(fields[user], 'reviewerID', RowErrorKind.missingUser),
        productId: requireId(fields[product], 'asin', RowErrorKind.missingProduct),
        rating: parseRating(at(fields, rating), 'overall', ctx.ratingRange),
        text: text < 0 ? '' : fields[text],
        summary: summary < 0 ? '' : fields[summary],
        timestamp: parseTimestamp(at(fields, unix), 'unixReviewTime') ?? parseAmazonReviewTime(at(fields, reviewTime)),
        helpfulVotes: vote >= 0 ? parseVotes(fields[vote]) : parseHelpful(at(fields, helpful)),
        verified: verified < 0 ? null : fields[verified] === 'True' || fields[verified] === 'true' ? true : fields[verified] === '' ? null : false,
      };
      ctx.shop.addReview(review, record.raw, file, record.line);
    };
  });
}

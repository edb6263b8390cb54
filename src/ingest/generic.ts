/**
 * Reader for the generic shop layout: reviews.csv (user_id, product_id, rating,
 * text, timestamp, optional review_id and summary), users.csv and products.csv
 * (product_id, title, category, optional brand and price). Which of the three a
 * file is comes from its header. Each canonical field is found by the caller's
 * mapping, its own name or a common synonym (options.ts), and where every field
 * came from, or that it is absent, is reported per file: nothing is dropped
 * without a word.
 */
import { InputError } from '../util/errors.js';
import { csvRole } from './detect.js';
import { columnIndex, readCsvFile, type CsvRowHandler, type FileContext } from './driver.js';
import { checkIdCharacters, isPersonalColumn, parsePrice, parseRating, parseTimestamp, requireId } from './fields.js';
import { columnReport, columnsOfHeader, type ColumnReport } from './columns.js';
import type { CanonicalColumn, ResolvedReadOptions } from './options.js';
import { RowErrorKind } from './row-error.js';
import type { ShopCollector } from './shop.js';

export interface GenericContext extends FileContext, Pick<ResolvedReadOptions, 'columns' | 'mapped'> {
  shop: ShopCollector;
  ratingRange: readonly [number, number];
  /** Receives the column report of the file once its header is read. */
  onColumns: (report: ColumnReport) => void;
}

/** products.csv may list several categories in one cell, separated by this. */
export const categorySeparator = '|';

export async function readGenericCsv(file: string, ctx: GenericContext): Promise<void> {
  await readCsvFile(file, ctx, (header, line) => {
    const { columns, sources } = columnsOfHeader(header, ctx);
    const role = csvRole(header, columns);
    if (role === null) {
      throw new InputError(
        file,
        line,
        '(header)',
        `no ${columns.user_id} or ${columns.product_id} column (the header has: ${header.join(', ')}); map the columns with the column mapping option`,
      );
    }
    ctx.onColumns(columnReport(file, role, columns, sources));
    if (role === 'reviews') return reviewRows(file, header, line, ctx, columns);
    if (role === 'users') return userRows(file, header, line, ctx, columns);
    return productRows(file, header, line, ctx, columns);
  });
}

type Columns = Readonly<Record<CanonicalColumn, string>>;

function indexer(file: string, header: readonly string[], line: number, columns: Columns) {
  return (c: CanonicalColumn, required = false): number => columnIndex(file, header, line, columns[c], required);
}

function reviewRows(file: string, header: readonly string[], line: number, ctx: GenericContext, c: Columns): CsvRowHandler {
  const col = indexer(file, header, line, c);
  const user = col('user_id', true);
  const product = col('product_id', true);
  const rating = col('rating');
  const text = col('text');
  const summary = col('summary');
  const time = col('timestamp');
  const reviewId = col('review_id');
  return (fields, record) => {
    const id = reviewId < 0 ? '' : checkIdCharacters(fields[reviewId].trim(), c.review_id);
    ctx.shop.addReview(
      {
        reviewId: id === '' ? null : id,
        userId: requireId(fields[user], c.user_id, RowErrorKind.missingUser),
        productId: requireId(fields[product], c.product_id, RowErrorKind.missingProduct),
        rating: rating < 0 ? null : parseRating(fields[rating], c.rating, ctx.ratingRange),
        text: text < 0 ? '' : fields[text],
        summary: summary < 0 ? '' : fields[summary],
        timestamp: time < 0 ? null : parseTimestamp(fields[time], c.timestamp),
        helpfulVotes: null,
        verified: null,
      },
      record.raw,
      file,
      record.line,
    );
  };
}

/** users.csv: the id plus every other column as an attribute, except personal ones (names, e-mail, ...). */
function userRows(file: string, header: readonly string[], line: number, ctx: GenericContext, columns: Columns): CsvRowHandler {
  const user = indexer(file, header, line, columns)('user_id', true);
  const kept = header.map((name, i) => ({ name, i })).filter(({ name, i }) => i !== user && !isPersonalColumn(name));
  return (fields) => {
    const attributes: Record<string, string> = {};
    for (const { name, i } of kept) attributes[name] = fields[i];
    ctx.shop.addUser({ userId: requireId(fields[user], columns.user_id, RowErrorKind.missingUser), attributes });
  };
}

function productRows(file: string, header: readonly string[], line: number, ctx: GenericContext, columns: Columns): CsvRowHandler {
  const col = indexer(file, header, line, columns);
  const product = col('product_id', true);
  const title = col('title');
  const category = col('category');
  const brand = col('brand');
  const price = col('price');
  return (fields) => {
    ctx.shop.addProduct({
      productId: requireId(fields[product], columns.product_id, RowErrorKind.missingProduct),
      title: title < 0 ? '' : fields[title],
      categories: category < 0 ? [] : splitCategories(fields[category]),
      brand: brand < 0 ? '' : fields[brand],
      price: price < 0 ? null : parsePrice(fields[price]),
    });
  };
}

function splitCategories(cell: string): string[] {
  const out: string[] = [];
  for (const part of cell.split(categorySeparator)) {
    const c = part.trim();
    if (c.length > 0 && !out.includes(c)) out.push(c);
  }
  return out;
}

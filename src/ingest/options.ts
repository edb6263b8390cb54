/**
 * Options of readInputs and their defaults, resolved and checked in one place
 * so the readers only ever see complete, valid settings.
 */
import { OptionError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import type { ColumnReport } from './columns.js';
import type { InputFormat } from './records.js';

export const inputFormats: readonly InputFormat[] = ['amazon-json', 'amazon-csv', 'csv', 'edgelist', 'amazon-meta'];

/** Column names of the generic layout (reviews.csv, users.csv, products.csv); `map` renames them. */
export const canonicalColumns = [
  'review_id',
  'user_id',
  'product_id',
  'rating',
  'text',
  'summary',
  'timestamp',
  'title',
  'category',
  'brand',
  'price',
] as const;
export type CanonicalColumn = (typeof canonicalColumns)[number];

/**
 * Default valid ratings. Amazon stars run 1 to 5 and a 0 there means a broken row;
 * generic exports often use 0 for "no stars", so 0 is accepted there.
 */
export const defaultRatingRange = {
  amazon: [1, 5] as const,
  generic: [0, 5] as const,
};

export interface ReadOptions {
  /** Format of every file, instead of detecting it from the content. */
  format?: InputFormat;
  /** Skip bad rows and count them by reason (counts.skipped) instead of throwing InputError. */
  skipInvalid?: boolean;
  /** Generic CSV: canonical column name -> column name in the file, e.g. {user_id: 'reviewer'}. */
  map?: Record<string, string>;
  /** Valid rating range for all files; default [1, 5] for Amazon inputs, [0, 5] for generic CSV. */
  ratingRange?: [number, number];
  /** Applied to every user id as read (reviews and users.csv), before deduplication. */
  pseudonymize?: (userId: string) => string;
  /** Bytes read so far / total bytes of all files (compressed bytes for .gz). */
  onProgress?: Progress;
  /** Called once per generic CSV file with where each canonical field comes from. */
  onColumns?: (report: ColumnReport) => void;
}

export interface ResolvedReadOptions {
  format: InputFormat | null;
  skipInvalid: boolean;
  /** Every canonical column -> the name to look for in headers. */
  columns: Readonly<Record<CanonicalColumn, string>>;
  /** The canonical columns the caller mapped (synonyms never override them). */
  mapped: ReadonlySet<CanonicalColumn>;
  onColumns: ((report: ColumnReport) => void) | null;
  /** Rating range per input family, both filled even when the caller gave one range. */
  ratingRange: { amazon: readonly [number, number]; generic: readonly [number, number] };
  pseudonymize: ((userId: string) => string) | null;
  onProgress: Progress | null;
}

const fn = 'readInputs';

export function resolveReadOptions(opts: ReadOptions = {}): ResolvedReadOptions {
  if (opts.format !== undefined && !inputFormats.includes(opts.format)) {
    throw new OptionError(fn, 'format', opts.format, `one of ${inputFormats.join(', ')}`);
  }
  if (opts.pseudonymize !== undefined && typeof opts.pseudonymize !== 'function') {
    throw new OptionError(fn, 'pseudonymize', typeof opts.pseudonymize, 'a function (userId) => string');
  }
  return {
    format: opts.format ?? null,
    skipInvalid: opts.skipInvalid ?? false,
    columns: resolveColumns(opts.map ?? {}),
    mapped: new Set(Object.keys(opts.map ?? {}) as CanonicalColumn[]),
    onColumns: opts.onColumns ?? null,
    ratingRange: resolveRatingRange(opts.ratingRange),
    pseudonymize: opts.pseudonymize ?? null,
    onProgress: opts.onProgress ?? null,
  };
}

function resolveColumns(map: Record<string, string>): Record<CanonicalColumn, string> {
  const columns = Object.fromEntries(canonicalColumns.map((c) => [c, c])) as Record<CanonicalColumn, string>;
  for (const [key, value] of Object.entries(map)) {
    if (!(canonicalColumns as readonly string[]).includes(key)) {
      throw new OptionError(fn, `map.${key}`, value, `a key among ${canonicalColumns.join(', ')}`);
    }
    if (typeof value !== 'string' || value.trim() === '') throw new OptionError(fn, `map.${key}`, value, 'a non-empty column name');
    columns[key as CanonicalColumn] = value.trim();
  }
  return columns;
}

function resolveRatingRange(range: [number, number] | undefined): ResolvedReadOptions['ratingRange'] {
  if (range === undefined) return defaultRatingRange;
  const ok = Array.isArray(range) && range.length === 2 && range.every(Number.isFinite) && range[0] <= range[1];
  if (!ok) throw new OptionError(fn, 'ratingRange', range, '[min, max] with finite min <= max');
  return { amazon: range, generic: range };
}

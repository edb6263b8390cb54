/**
 * Parsing and checking of single field values, shared by every reader: ids,
 * ratings, timestamps, vote counts, prices. Each throws a RowError naming the
 * field as it is called in the input, so messages point at the user's column.
 */
import { RowError, RowErrorKind } from './row-error.js';

/** A required id: strings are trimmed, numbers accepted (some exports write numeric ids). */
export function requireId(value: unknown, field: string, kind: string): string {
  if (typeof value === 'string') {
    const id = value.trim();
    if (id.length > 0) return id;
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  throw new RowError(kind, field, value === undefined ? 'absent' : `empty or not a string: ${JSON.stringify(value)}`);
}

/** Free text; absent or null is ''. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return String(value);
}

/** A rating within [lo, hi]; absent or blank gives null (the review is kept unrated). */
export function parseRating(value: unknown, field: string, range: readonly [number, number]): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n)) throw new RowError(RowErrorKind.ratingNotNumber, field, JSON.stringify(value));
  if (n < range[0] || n > range[1]) throw new RowError(RowErrorKind.ratingOutOfRange, field, `${n} is not in [${range[0]}, ${range[1]}]`);
  return n;
}

const unixSecondsPattern = /^-?\d+(\.\d+)?$/;
/** ISO 8601 date or date-time; a date-time without zone is read as UTC so results never depend on the machine. */
const isoPattern = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Unix seconds (number or digits) or an ISO 8601 date; absent or '' gives null. */
export function parseTimestamp(value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return Math.floor(value);
  } else if (typeof value === 'string') {
    const s = value.trim();
    if (unixSecondsPattern.test(s)) return Math.floor(Number(s));
    const m = isoPattern.exec(s);
    if (m) {
      const iso = m[2] === undefined ? `${m[1]}T00:00:00Z` : `${m[1]}T${m[2]}${m[3] ?? 'Z'}`;
      const ms = Date.parse(iso);
      if (Number.isFinite(ms)) return Math.floor(ms / 1000);
    }
  }
  throw new RowError(RowErrorKind.badTimestamp, field, `${JSON.stringify(value)} is neither unix seconds nor an ISO 8601 date`);
}

const reviewTimePattern = /^(\d{1,2}) (\d{1,2}), (\d{4})$/;

/** Amazon's `reviewTime` ("02 28, 2014", month first) as unix seconds at UTC midnight, or null. */
export function parseAmazonReviewTime(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = reviewTimePattern.exec(value.trim());
  if (!m) return null;
  return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])) / 1000;
}

/** Amazon 2018 `vote` ("1,341") or a number; null when absent or unreadable (votes are informative only). */
export function parseVotes(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const n = Number(value.replace(/,/g, '').trim());
  return value.trim() !== '' && Number.isFinite(n) ? n : null;
}

/** Amazon 2014 `helpful`: [helpful votes, total votes], as an array or as the CSV string "[13, 14]". */
export function parseHelpful(value: unknown): number | null {
  if (Array.isArray(value)) return typeof value[0] === 'number' ? value[0] : null;
  if (typeof value !== 'string') return null;
  const m = /^\s*\[\s*(\d+)\s*,/.exec(value);
  return m ? Number(m[1]) : null;
}

/** Prices come as numbers (2014) or strings such as "$12.99" or "$5.99 - $20.00" (2018): the first amount. */
export function parsePrice(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const m = /\d[\d,]*(?:\.\d+)?/.exec(value);
  return m ? Number(m[0].replace(/,/g, '')) : null;
}

/** Amazon categories: 2014 `categories` is a list of paths (lists), 2018 `category` one list. Flattened, in order, without repeats. */
export function flattenCategories(value: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else if (typeof v === 'string') {
      const c = v.trim();
      if (c.length > 0 && !seen.has(c)) {
        seen.add(c);
        out.push(c);
      }
    }
  };
  visit(value);
  return out;
}

/**
 * Column names of users.csv that hold personal data and are never kept. Matching
 * is on the lower-cased name with separators removed ("First Name" -> "firstname").
 */
const personalExact = new Set(['dob', 'dateofbirth', 'birthdate', 'birthday', 'ip', 'ipaddress', 'zip', 'zipcode', 'postcode', 'postalcode', 'street', 'ssn', 'iban', 'creditcard']);
const personalParts = ['name', 'email', 'mail', 'phone', 'mobile', 'address', 'street', 'birth'];

export function isPersonalColumn(column: string): boolean {
  const key = column.toLowerCase().replace(/[^a-z0-9]/g, '');
  return personalExact.has(key) || personalParts.some((p) => key.includes(p));
}

/**
 * Parsing and checking of single field values, shared by every reader: ids,
 * ratings, timestamps, vote counts, prices. Each throws a RowError naming the
 * field as it is called in the input, so messages point at the user's column.
 */
import { RowError, RowErrorKind } from './row-error.js';

/** C0 control characters and DEL: never part of an id (NUL ends strings elsewhere, tabs and newlines break TSV and word2vec files). */
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** Rejects an id holding a control character, naming it. */
export function checkIdCharacters(id: string, field: string): string {
  const m = controlCharacter.exec(id);
  if (m) throw new RowError(RowErrorKind.badId, field, `${JSON.stringify(id)} holds the control character U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return id;
}

/** A required id: strings are trimmed, numbers accepted (some exports write numeric ids). */
export function requireId(value: unknown, field: string, kind: string): string {
  if (typeof value === 'string') {
    const id = value.trim();
    if (id.length > 0) return checkIdCharacters(id, field);
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

/** A plain decimal number as exports write it: no hex, octal or binary prefixes, no "Infinity". */
const decimalPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number given as a JSON number or a decimal string; undefined when it is neither, Infinity when it overflows. */
function decimalOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  return decimalPattern.test(s) ? Number(s) : undefined;
}

/** JSON.parse turns a number too large for a double (1e309) into Infinity: say so, not "null". */
const overflowMessage = 'out of range: the number is too large to represent';

/** A rating within [lo, hi]; absent or blank gives null (the review is kept unrated). */
export function parseRating(value: unknown, field: string, range: readonly [number, number]): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  const n = decimalOf(value);
  if (n === undefined) throw new RowError(RowErrorKind.ratingNotNumber, field, JSON.stringify(value));
  if (!Number.isFinite(n)) throw new RowError(RowErrorKind.ratingOutOfRange, field, overflowMessage);
  if (n < range[0] || n > range[1]) throw new RowError(RowErrorKind.ratingOutOfRange, field, `${n} is not in [${range[0]}, ${range[1]}]`);
  return n;
}

const unixSecondsPattern = /^-?\d+(\.\d+)?$/;
/** ISO 8601 date or date-time; a date-time without zone is read as UTC so results never depend on the machine. */
const isoPattern = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Valid review times: from 1970-01-01 (unix time 0) to one day after the
 * moment of reading (a day of slack for clocks and time zones); anything
 * outside is a broken value, not a review.
 */
const timestampLimits = {
  min: 0,
  slackSeconds: 86_400,
  max: (): number => Math.floor(Date.now() / 1000) + timestampLimits.slackSeconds,
};

function isoDay(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** Checks a parsed time against timestampLimits; names a likely mistake (milliseconds) when there is one. */
function checkTimestamp(seconds: number, value: unknown, field: string): number {
  const shown = JSON.stringify(value);
  if (!Number.isFinite(seconds)) throw new RowError(RowErrorKind.badTimestamp, field, `${shown.length > 40 ? shown.slice(0, 40) + '…' : shown} is ${overflowMessage}`);
  const max = timestampLimits.max();
  if (seconds > max) {
    const ms = seconds / 1000;
    if (seconds >= 1e11 && ms <= max) throw new RowError(RowErrorKind.badTimestamp, field, `${shown} looks like milliseconds (${isoDay(ms)}); give unix seconds`);
    const when = seconds < 253_402_300_800 ? ` (${isoDay(seconds)})` : '';
    throw new RowError(RowErrorKind.badTimestamp, field, `${shown}${when} is after now`);
  }
  if (seconds < timestampLimits.min) throw new RowError(RowErrorKind.badTimestamp, field, `${shown} is before 1970-01-01`);
  return seconds;
}

/** Unix seconds (number or digits) or an ISO 8601 date; absent or '' gives null. */
export function parseTimestamp(value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') {
    if (!Number.isNaN(value)) return checkTimestamp(Math.floor(value), value, field);
  } else if (typeof value === 'string') {
    const s = value.trim();
    if (unixSecondsPattern.test(s)) return checkTimestamp(Math.floor(Number(s)), value, field);
    const m = isoPattern.exec(s);
    if (m) {
      const iso = m[2] === undefined ? `${m[1]}T00:00:00Z` : `${m[1]}T${m[2]}${m[3] ?? 'Z'}`;
      const ms = Date.parse(iso);
      if (Number.isFinite(ms)) return checkTimestamp(Math.floor(ms / 1000), value, field);
    }
  }
  throw new RowError(RowErrorKind.badTimestamp, field, `${JSON.stringify(value)} is neither unix seconds nor an ISO 8601 date`);
}

const reviewTimePattern = /^(\d{1,2}) (\d{1,2}), (\d{4})$/;

/** Amazon's `reviewTime` ("02 28, 2014", month first) as unix seconds at UTC midnight, or null when it is not such a date. */
export function parseAmazonReviewTime(value: unknown, field = 'reviewTime'): number | null {
  if (typeof value !== 'string') return null;
  const m = reviewTimePattern.exec(value.trim());
  if (!m) return null;
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return checkTimestamp(Date.UTC(Number(m[3]), month - 1, day) / 1000, value, field);
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

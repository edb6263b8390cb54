/**
 * RFC 4180 records from physical lines. Lines without a quote are split on
 * commas directly (most rows of real exports); quoted fields, doubled quotes
 * and newlines inside quotes go through a small scanner. A record's line number
 * is the physical line where it starts.
 *
 * Why not csv-parse: it walks the input byte by byte in JS and measured about
 * 20k rows/s on the Musical Instruments export, a fifth of the ingest target;
 * the tests check this reader against csv-parse field by field on that file.
 */
import { maxLineBytes } from './lines.js';
import { RowError, RowErrorKind } from './row-error.js';

/** One CSV record; `raw` is its exact text (lines rejoined with their own terminators). */
export interface CsvRecord {
  fields: string[];
  line: number;
  raw: string;
  badUtf8: boolean;
}

export type CsvRecordSink = (record: CsvRecord) => void;
/** Called when a record cannot be cut into fields (bad quoting); `line` is where it starts. */
export type CsvErrorSink = (error: RowError, line: number) => void;

/** A quoted record longer than this (in characters, as one line may hold) is a missing closing quote or over the limit, not text. */
const maxRecordChars = maxLineBytes;
const unclosedQuote = 'quoted field not closed';
const QUOTE = 34;
const COMMA = 44;

export class CsvAssembler {
  private parts: string[] = [];
  private partsChars = 0;
  private startLine = 0;
  private quotes = 0;
  private bad = false;

  constructor(
    private readonly onRecord: CsvRecordSink,
    private readonly onError: CsvErrorSink,
  ) {}

  /** Feed one physical line (as produced by readLines). */
  push(text: string, line: number, cr: boolean, badUtf8: boolean): void {
    if (this.parts.length === 0) {
      if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0)) return; // blank line between records
      if (text.indexOf('"') < 0) {
        this.onRecord({ fields: text.split(','), line, raw: text, badUtf8 });
        return;
      }
      if (countQuotes(text) % 2 === 0) {
        this.emit(text, line, badUtf8);
        return;
      }
      // An odd count continues the record on the next line only when a quoted field is really open;
      // a stray quote in an unquoted field is reported here instead of swallowing the lines after it.
      const split = splitQuoted(text);
      if (split instanceof RowError && split.detail !== unclosedQuote) {
        this.onError(split, line);
        return;
      }
      this.startLine = line;
      this.quotes = 0;
      this.bad = false;
      this.partsChars = 0;
    }
    this.parts.push(text, cr ? '\r\n' : '\n');
    this.partsChars += text.length + 1;
    // Many short lines inside one quoted field: join them now and then, so memory stays near the record's size.
    if (this.parts.length > 4096) this.parts = [this.parts.join('')];
    this.quotes += countQuotes(text);
    this.bad ||= badUtf8;
    if (this.quotes % 2 === 1) {
      if (this.partsChars > maxRecordChars) {
        this.fail(new RowError(RowErrorKind.lineTooLong, '(row)', `quoted record over ${maxRecordChars >> 20} Mi characters, the limit for one record (or a closing quote is missing)`));
      }
      return;
    }
    this.parts.pop(); // the terminator of the record's last line is not part of it
    const raw = this.parts.join('');
    this.parts = [];
    this.emit(raw, this.startLine, this.bad);
  }

  private emit(raw: string, line: number, badUtf8: boolean): void {
    const fields = splitQuoted(raw);
    if (fields instanceof RowError) this.onError(fields, line);
    else this.onRecord({ fields, line, raw, badUtf8 });
  }

  /** Drops a record open across lines (its line broke the length limit); returns the line it started on. */
  abandon(): number | undefined {
    if (this.parts.length === 0) return undefined;
    this.parts = [];
    return this.startLine;
  }

  /** End of input: a record still open has a quote that never closes. */
  end(): void {
    if (this.parts.length > 0) this.fail(new RowError(RowErrorKind.malformedCsv, '(row)', 'quoted field not closed before end of file'));
  }

  private fail(err: RowError): void {
    this.parts = [];
    this.onError(err, this.startLine);
  }
}

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/** Splits one record holding quotes; a RowError carries the 0-based index of the bad field. */
export function splitQuoted(s: string): string[] | RowError {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  for (;;) {
    if (s.charCodeAt(i) === QUOTE) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q < 0) return new RowError(RowErrorKind.malformedCsv, '(row)', unclosedQuote, out.length);
        if (s.charCodeAt(q + 1) === QUOTE) {
          value += s.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        value += s.slice(j, q);
        i = q + 1;
        break;
      }
      out.push(value);
      if (i >= n) return out;
      if (s.charCodeAt(i) !== COMMA) return new RowError(RowErrorKind.malformedCsv, '(row)', 'text after the closing quote', out.length - 1);
      i++;
    } else {
      const c = s.indexOf(',', i);
      const end = c < 0 ? n : c;
      const value = s.slice(i, end);
      if (value.indexOf('"') >= 0) return new RowError(RowErrorKind.malformedCsv, '(row)', 'quote inside an unquoted field', out.length);
      out.push(value);
      if (c < 0) return out;
      i = c + 1;
    }
  }
}

/** Fields of a header line (names trimmed). */
export function splitHeader(line: string): string[] | RowError {
  const fields = line.indexOf('"') < 0 ? line.split(',') : splitQuoted(line);
  return fields instanceof RowError ? fields : fields.map((f) => f.trim());
}

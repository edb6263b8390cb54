/**
 * The per-file loops every reader shares: JSON lines and CSV records, with the
 * skip-or-throw decision for bad rows made in one place (RowGuard), the field
 * count and UTF-8 checks of CSV rows, and the rows-read count.
 */
import { InputError } from '../util/errors.js';
import { CsvAssembler, type CsvRecord } from './csv.js';
import { overlongReason, readLines, type ReadLinesOptions } from './lines.js';
import { parsePyLiteral } from './pyliteral.js';
import type { IngestCounts } from './records.js';
import { RowError, RowErrorKind } from './row-error.js';

/** Throws bad rows as InputError, or counts them by kind under skipInvalid. */
export class RowGuard {
  constructor(
    readonly file: string,
    private readonly skipInvalid: boolean,
    private readonly counts: IngestCounts,
  ) {}

  fail(err: RowError, line: number): void {
    if (!this.skipInvalid) throw new InputError(this.file, line, err.field, err.message);
    this.counts.skipped[err.kind] = (this.counts.skipped[err.kind] ?? 0) + 1;
  }

  run(line: number, work: () => void): void {
    try {
      work();
    } catch (err) {
      if (err instanceof RowError) this.fail(err, line);
      else throw err;
    }
  }
}

export interface FileContext {
  guard: RowGuard;
  counts: IngestCounts;
  onBytes?: (bytes: number) => void;
}

/** readLines options of one file: progress, and over-long lines handled like any bad row (skipped and counted, or an InputError). */
export function lineOptions(ctx: FileContext, onRow: () => void): ReadLinesOptions {
  return {
    onBytes: ctx.onBytes,
    onOverlong: (line) => {
      onRow();
      ctx.counts.rowsRead++;
      ctx.guard.fail(new RowError(RowErrorKind.lineTooLong, '(line)', overlongDetail), line);
    },
  };
}

const overlongDetail = overlongReason.slice(overlongReason.indexOf(':') + 2);

/** A file that held no data record at all is an error (it would make an empty or partial run without a word). */
export function requireRows(file: string, rows: number, lastLine: number, what: string): void {
  if (rows === 0) throw new InputError(file, Math.max(1, lastLine), '(file)', `no data rows (${what})`);
}

export function isBlankLine(text: string): boolean {
  return text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0);
}

/** Calls `onObject` for each JSON object line with the parsed object and the line text (the raw record). */
export async function readJsonLines(
  file: string,
  ctx: FileContext,
  onObject: (obj: Record<string, unknown>, raw: string, line: number) => void,
  pythonLiterals = false,
): Promise<void> {
  let rows = 0;
  const last = await readLines(
    file,
    (text, line, _cr, badUtf8) => {
      if (isBlankLine(text)) return;
      rows++;
      ctx.counts.rowsRead++;
      ctx.guard.run(line, () => onObject(parseJsonObject(text, badUtf8, pythonLiterals), text, line));
    },
    lineOptions(ctx, () => rows++),
  );
  requireRows(file, rows, last, 'empty, or only blank lines');
}

/** `pythonLiterals`: also accept a line written with Python's repr (McAuley 2014 metadata). */
export function parseJsonObject(text: string, badUtf8: boolean, pythonLiterals = false): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (badUtf8) throw new RowError(RowErrorKind.invalidUtf8, '(line)', 'bytes that are not UTF-8');
    if (!(pythonLiterals && text.trimStart().startsWith("{'"))) throw new RowError(RowErrorKind.brokenJson, '(json)', (err as Error).message);
    try {
      value = parsePyLiteral(text);
    } catch (pyErr) {
      throw new RowError(RowErrorKind.brokenJson, '(json)', `neither JSON nor a Python literal: ${(pyErr as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RowError(RowErrorKind.brokenJson, '(json)', 'the line is not a JSON object');
  }
  const obj = value as Record<string, unknown>;
  if (badUtf8) throw new RowError(RowErrorKind.invalidUtf8, keyHoldingReplacement(obj) ?? '(line)', 'bytes that are not UTF-8');
  return obj;
}

/** The decoder put U+FFFD where the bad bytes were: the key whose value holds it names the field. */
function keyHoldingReplacement(obj: Record<string, unknown>): string | null {
  for (const [k, v] of Object.entries(obj)) {
    if (k.includes('\uFFFD') || JSON.stringify(v).includes('\uFFFD')) return k;
  }
  return null;
}

/** Handles the data records of one CSV file, given its header. */
export type CsvRowHandler = (fields: string[], record: CsvRecord) => void;

/**
 * Reads a CSV file: the first non-blank record is the header, `onHeader` turns
 * it into the row handler (or throws InputError for a header it cannot use).
 * Every data row must have as many fields as the header.
 */
export async function readCsvFile(
  file: string,
  ctx: FileContext,
  onHeader: (header: string[], line: number) => CsvRowHandler,
): Promise<void> {
  let header: string[] | null = null;
  let handle: CsvRowHandler | null = null;
  const rowsBefore = ctx.counts.rowsRead;
  const assembler = new CsvAssembler(
    (record) => {
      if (header === null || handle === null) {
        header = headerOf(file, record);
        handle = onHeader(header, record.line);
        return;
      }
      ctx.counts.rowsRead++;
      const h = header;
      const fn = handle;
      ctx.guard.run(record.line, () => {
        checkRecord(record, h);
        fn(record.fields, record);
      });
    },
    (err, line) => {
      if (header === null) throw new InputError(file, line, '(header)', err.message);
      ctx.counts.rowsRead++;
      ctx.guard.fail(err.column !== undefined && err.column < header.length ? err.withField(header[err.column]) : err, line);
    },
  );
  const last = await readLines(file, (text, line, cr, bad) => assembler.push(text, line, cr, bad), {
    onBytes: ctx.onBytes,
    onOverlong: (line) => {
      if (header === null) throw new InputError(file, line, '(header)', overlongReason);
      // A record open across lines is lost with the line that broke the limit: report it where it starts.
      const at = assembler.abandon() ?? line;
      ctx.counts.rowsRead++;
      ctx.guard.fail(new RowError(RowErrorKind.lineTooLong, '(line)', overlongDetail), at);
    },
  });
  assembler.end();
  if (header === null) throw new InputError(file, 1, '(header)', 'empty file: no CSV header');
  requireRows(file, ctx.counts.rowsRead - rowsBefore, last, 'a header and no rows, or only blank lines');
}

function headerOf(file: string, record: CsvRecord): string[] {
  if (record.badUtf8) throw new InputError(file, record.line, '(header)', 'bytes that are not UTF-8');
  const names = record.fields.map((f) => f.trim());
  const first = new Map<string, number>();
  names.forEach((name, i) => {
    const at = first.get(name);
    // Unnamed columns (",," at the end of a header) are not names.
    if (at !== undefined && name !== '') {
      throw new InputError(file, record.line, name, `the header names this column twice (columns ${at + 1} and ${i + 1}); rename one`);
    }
    first.set(name, i);
  });
  return names;
}

function checkRecord(record: CsvRecord, header: readonly string[]): void {
  if (record.fields.length !== header.length) {
    throw new RowError(RowErrorKind.fieldCount, '(row)', `expected ${header.length} fields as in the header, got ${record.fields.length}`);
  }
  if (record.badUtf8) {
    const at = record.fields.findIndex((f) => f.includes('\uFFFD'));
    throw new RowError(RowErrorKind.invalidUtf8, at >= 0 ? header[at] : '(row)', 'bytes that are not UTF-8');
  }
}

/** Index of a column, or -1; `required` columns missing make the file unusable (InputError on the header line). */
export function columnIndex(file: string, header: readonly string[], line: number, name: string, required: boolean): number {
  const i = header.indexOf(name);
  if (i < 0 && required) {
    throw new InputError(file, line, name, `missing column (the header has: ${header.join(', ')}); map it with the column mapping option`);
  }
  return i;
}

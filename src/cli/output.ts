/**
 * Printing helpers shared by the commands: JSON for scripts, aligned tables
 * and key/value blocks for people. Results go to stdout, messages to stderr.
 * Columns are aligned by display width (string-width), so CJK and other
 * double-width characters (product titles, review terms) keep them straight.
 */
import stringWidth from 'string-width';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  // A column empty in every row (no titles, no ratings in the data) says nothing: left out.
  const cols = (columns ?? Object.keys(rows[0])).filter((c) => rows.some((r) => formatCell(r[c]) !== ''));
  const cells = rows.map((r) => cols.map((c) => formatCell(r[c])));
  const widths = cols.map((c, i) => Math.max(stringWidth(c), ...cells.map((row) => stringWidth(row[i]))));
  const pad = (v: string, width: number): string => v + ' '.repeat(Math.max(0, width - stringWidth(v)));
  const line = (values: string[]): string => values.map((v, i) => pad(v, widths[i])).join('  ').trimEnd();
  process.stdout.write(line(cols.map((c) => c)) + '\n');
  process.stdout.write(line(widths.map((w) => '-'.repeat(w))) + '\n');
  for (const row of cells) process.stdout.write(line(row) + '\n');
}

export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** "a=1, b=2" for a flat record. */
export function inline(record: Record<string, unknown>): string {
  return Object.entries(record)
    .map(([k, v]) => `${k}=${formatCell(v)}`)
    .join(', ');
}

/** Messages for people: stderr, silenced by --quiet. */
export function note(quiet: boolean | undefined, message: string): void {
  if (!quiet) process.stderr.write(message + '\n');
}

/** "512 B", "12.3 KiB", "51.5 MiB" (binary units, as du -h counts). */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

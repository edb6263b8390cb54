/**
 * Reader for plain edge lists: one `src dst [weight]` per line, separated by
 * whitespace or commas; `#` and `%` start comment lines (SNAP and KONECT
 * headers); blank lines are ignored. Repeated edges are kept: merging them is
 * the graph builder's choice.
 */
import { isCommentOrBlank } from './detect.js';
import { lineOptions, requireRows, type FileContext } from './driver.js';
import { checkIdCharacters } from './fields.js';
import { readLines } from './lines.js';
import type { EdgeRecord } from './records.js';
import { RowError, RowErrorKind } from './row-error.js';

const separators = /[\s,]+/;

export function parseEdge(text: string): EdgeRecord {
  const tokens = text.trim().split(separators);
  if (tokens.length !== 2 && tokens.length !== 3) {
    throw new RowError(RowErrorKind.fieldCount, '(row)', `expected "src dst [weight]", got ${tokens.length} fields`);
  }
  let weight = 1;
  if (tokens.length === 3) {
    weight = Number(tokens[2]);
    if (!Number.isFinite(weight) || weight <= 0) throw new RowError(RowErrorKind.badWeight, 'weight', `${JSON.stringify(tokens[2])} is not a positive number`);
  }
  return { src: checkIdCharacters(tokens[0], 'src'), dst: checkIdCharacters(tokens[1], 'dst'), weight };
}

export async function readEdgeList(file: string, ctx: FileContext, edges: EdgeRecord[]): Promise<void> {
  let rows = 0;
  const last = await readLines(
    file,
    (text, line, _cr, badUtf8) => {
      if (isCommentOrBlank(text)) return;
      rows++;
      ctx.counts.rowsRead++;
      ctx.guard.run(line, () => {
        if (badUtf8) throw new RowError(RowErrorKind.invalidUtf8, '(line)', 'bytes that are not UTF-8');
        edges.push(parseEdge(text));
      });
    },
    lineOptions(ctx, () => rows++),
  );
  requireRows(file, rows, last, 'empty, or only comments and blank lines');
}

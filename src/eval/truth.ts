/** Planted segments (ground truth) and how well found segments match them. */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { adjustedRandIndex } from './metrics.js';

/** Reads a CSV with the columns user_id,segment. */
export async function readTruth(file: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true }));
  let line = 1;
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    line++;
    if (row.user_id === undefined || row.segment === undefined) {
      throw new GraphprofError(`${file}:${line}: ground truth needs the columns user_id,segment`, ExitCode.badInput);
    }
    out.set(row.user_id, row.segment);
  }
  return out;
}

/** Adjusted Rand index of the users' segments against the truth, over the users the truth names. */
export function segmentAri(userIds: readonly string[], assignment: ArrayLike<number>, truth: ReadonlyMap<string, string>): number {
  const found: number[] = [];
  const planted: number[] = [];
  const labels = new Map<string, number>();
  userIds.forEach((id, i) => {
    const t = truth.get(id);
    if (t === undefined) return;
    found.push(assignment[i]);
    let l = labels.get(t);
    if (l === undefined) labels.set(t, (l = labels.size));
    planted.push(l);
  });
  return adjustedRandIndex(found, planted);
}

/**
 * Reader for plain edge lists: one `src dst [weight]` per line, separated by
 * whitespace or commas; `#` and `%` start comment lines (SNAP and KONECT
 * headers); blank lines are ignored. Repeated edges are kept: merging them is
 * the graph builder's choice.
 *
 * Edges go to an EdgeSink: `readInputs` collects EdgeRecord objects (small
 * inputs, tests, the ingest summary); `readEdgeTable` (./index.ts) interns the
 * ids as it reads and keeps the edges in typed arrays (EdgeTableBuilder), so a
 * 10M-edge list costs 12 bytes an edge, not three JS objects.
 */
import { isCommentOrBlank } from './detect.js';
import { lineOptions, requireRows, type FileContext } from './driver.js';
import { checkIdCharacters } from './fields.js';
import { readLines } from './lines.js';
import type { EdgeRecord, EdgeTable } from './records.js';
import { RowError, RowErrorKind } from './row-error.js';

const separators = /[\s,]+/;

/** Where a reader puts each edge it parsed. */
export interface EdgeSink {
  add(src: string, dst: string, weight: number): void;
}

/** Calls `add` with the edge on one line; throws RowError naming the bad field. */
function parseEdgeInto(text: string, sink: EdgeSink): void {
  const tokens = text.trim().split(separators);
  if (tokens.length !== 2 && tokens.length !== 3) {
    throw new RowError(RowErrorKind.fieldCount, '(row)', `expected "src dst [weight]", got ${tokens.length} fields`);
  }
  let weight = 1;
  if (tokens.length === 3) {
    weight = Number(tokens[2]);
    if (!Number.isFinite(weight) || weight <= 0) throw new RowError(RowErrorKind.badWeight, 'weight', `${JSON.stringify(tokens[2])} is not a positive number`);
  }
  sink.add(checkIdCharacters(tokens[0]!, 'src'), checkIdCharacters(tokens[1]!, 'dst'), weight);
}

export function parseEdge(text: string): EdgeRecord {
  let edge: EdgeRecord | undefined;
  parseEdgeInto(text, { add: (src, dst, weight) => (edge = { src, dst, weight }) });
  return edge!;
}

export async function readEdgeList(file: string, ctx: FileContext, sink: EdgeSink): Promise<void> {
  let rows = 0;
  const last = await readLines(
    file,
    (text, line, _cr, badUtf8) => {
      if (isCommentOrBlank(text)) return;
      rows++;
      ctx.counts.rowsRead++;
      ctx.guard.run(line, () => {
        if (badUtf8) throw new RowError(RowErrorKind.invalidUtf8, '(line)', 'bytes that are not UTF-8');
        parseEdgeInto(text, sink);
      });
    },
    lineOptions(ctx, () => rows++),
  );
  requireRows(file, rows, last, 'empty, or only comments and blank lines');
}

/** Edges per block of the builder: blocks are filled, never copied while reading. */
const BLOCK = 1 << 20;

/**
 * Collects edges as an EdgeTable: ids interned in order of first appearance
 * (an edge's src before its dst), endpoints and weights in fixed-size typed
 * blocks, joined once into exact-size arrays by finish(). The id map is
 * dropped there, so only the keys outlive reading.
 */
export class EdgeTableBuilder implements EdgeSink {
  private index: Map<string, number> | null = new Map();
  private readonly keys: string[] = [];
  private readonly blocks: { src: Uint32Array; dst: Uint32Array; weight: Float32Array }[] = [];
  private filled = BLOCK; // edges in the last block
  private count = 0;

  /** The table of `edges`, as reading them one by one would build it. */
  static fromRecords(edges: readonly EdgeRecord[]): EdgeTable {
    const b = new EdgeTableBuilder();
    for (const e of edges) b.add(e.src, e.dst, e.weight);
    return b.finish();
  }

  add(src: string, dst: string, weight: number): void {
    const s = this.idOf(src);
    const d = this.idOf(dst);
    if (this.filled === BLOCK) {
      this.blocks.push({ src: new Uint32Array(BLOCK), dst: new Uint32Array(BLOCK), weight: new Float32Array(BLOCK) });
      this.filled = 0;
    }
    const block = this.blocks[this.blocks.length - 1]!;
    block.src[this.filled] = s;
    block.dst[this.filled] = d;
    block.weight[this.filled] = weight;
    this.filled++;
    this.count++;
  }

  /** The table; the builder cannot be used afterwards. */
  finish(): EdgeTable {
    if (this.index === null) throw new Error('EdgeTableBuilder.finish: called twice');
    this.index = null;
    const n = this.count;
    const src = new Uint32Array(n);
    const dst = new Uint32Array(n);
    const weight = new Float32Array(n);
    let at = 0;
    // Each block is released as soon as it is copied.
    for (let block = this.blocks.shift(); block !== undefined; block = this.blocks.shift()) {
      const take = Math.min(BLOCK, n - at);
      src.set(block.src.subarray(0, take), at);
      dst.set(block.dst.subarray(0, take), at);
      weight.set(block.weight.subarray(0, take), at);
      at += take;
    }
    return { keys: this.keys, src, dst, weight, count: n };
  }

  private idOf(id: string): number {
    const index = this.index;
    if (index === null) throw new Error('EdgeTableBuilder.add: called after finish');
    let i = index.get(id);
    if (i === undefined) {
      i = this.keys.length;
      index.set(id, i);
      this.keys.push(id);
    }
    return i;
  }
}

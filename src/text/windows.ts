/**
 * Turns texts into model inputs. Each text's content ids are cut into windows
 * of at most (maxTokens - special tokens) ids; each window gets the model's
 * special tokens around it. Windows are stored flat (typed arrays + offsets)
 * and batched by length, longest first, so a batch pads little.
 */
import type { TokenBatch } from './session.js';

export interface WindowSet {
  /** All window ids, concatenated. */
  ids: Int32Array;
  /** Window w spans ids[offsets[w] .. offsets[w+1]). */
  offsets: Int32Array;
  /** Text (row of the caller's list) each window belongs to. */
  textOf: Int32Array;
  /** Content tokens of each window: its weight when window vectors are averaged. */
  weight: Int32Array;
}

export interface WindowSpec {
  maxTokens: number;
  prefix: readonly number[];
  suffix: readonly number[];
}

export function contentPerWindow(spec: WindowSpec): number {
  return Math.max(1, spec.maxTokens - spec.prefix.length - spec.suffix.length);
}

/** Windows of every text; `content[i]` are text i's ids without special tokens. */
export function buildWindows(content: readonly (readonly number[])[], spec: WindowSpec): WindowSet {
  const per = contentPerWindow(spec);
  const ids: number[] = [];
  const offsets: number[] = [0];
  const textOf: number[] = [];
  const weight: number[] = [];
  const push = (text: number, chunk: readonly number[]): void => {
    for (const id of spec.prefix) ids.push(id);
    for (const id of chunk) ids.push(id);
    for (const id of spec.suffix) ids.push(id);
    offsets.push(ids.length);
    textOf.push(text);
    weight.push(Math.max(1, chunk.length));
  };
  content.forEach((c, text) => {
    if (c.length === 0) {
      // A window of special tokens alone still means something to BERT-style models; with no specials there is nothing to run.
      if (spec.prefix.length + spec.suffix.length > 0) push(text, c);
      return;
    }
    for (let start = 0; start < c.length; start += per) push(text, c.slice(start, start + per));
  });
  return { ids: Int32Array.from(ids), offsets: Int32Array.from(offsets), textOf: Int32Array.from(textOf), weight: Int32Array.from(weight) };
}

export function windowCount(w: WindowSet): number {
  return w.textOf.length;
}

/** Window indices grouped into batches; sorted longest first unless `sorted` is false. */
export function planBatches(w: WindowSet, batchSize: number, sorted = true): Int32Array[] {
  const n = windowCount(w);
  const order = Array.from({ length: n }, (_, i) => i);
  if (sorted) order.sort((a, b) => w.offsets[b + 1]! - w.offsets[b]! - (w.offsets[a + 1]! - w.offsets[a]!) || a - b);
  const batches: Int32Array[] = [];
  for (let i = 0; i < n; i += batchSize) batches.push(Int32Array.from(order.slice(i, i + batchSize)));
  return batches;
}

/** Right-padded ids + mask for the given windows; `lengths` receives each row's length. */
export function makeBatch(w: WindowSet, members: Int32Array, lengths: Int32Array): TokenBatch {
  let cols = 1;
  for (let r = 0; r < members.length; r++) {
    const m = members[r]!;
    lengths[r] = w.offsets[m + 1]! - w.offsets[m]!;
    if (lengths[r]! > cols) cols = lengths[r]!;
  }
  const rows = members.length;
  const ids = new BigInt64Array(rows * cols);
  const mask = new BigInt64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const start = w.offsets[members[r]!]!;
    const base = r * cols;
    for (let t = 0; t < lengths[r]!; t++) {
      ids[base + t] = BigInt(w.ids[start + t]!);
      mask[base + t] = 1n;
    }
  }
  return { ids, mask, rows, cols };
}

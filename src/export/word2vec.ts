/**
 * The word2vec vector formats that gensim's KeyedVectors.load_word2vec_format
 * reads: text (`binary=False`: a "count dim" header, then "key v1 .. vdim" per
 * line) and binary (`binary=True`: the same header, then per row the key, a
 * space, dim little-endian float32 values and a newline, as word2vec.c writes).
 * Writing streams rows in bounded batches, so a large table never becomes one
 * big string; reading returns the rows in file order.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { GraphprofError, InputError, OptionError } from '../util/errors.js';

export type Word2VecFormat = 'word2vec' | 'word2vec-bin';

export interface VectorTable {
  /** Row i's key. */
  readonly keys: readonly string[];
  /** keys.length x dim, row-major. */
  readonly vectors: Float32Array;
  readonly dim: number;
}

export interface WriteWord2VecOptions {
  /** Binary (word2vec-bin) instead of text. */
  binary?: boolean;
  /** Row indices to write, in this order; all rows by default. */
  rows?: ArrayLike<number>;
}

/** Bytes collected before each write, so backpressure is honoured without per-row writes. */
const BATCH_BYTES = 1 << 20;
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Shortest of 8 or 9 significant digits that reads back as exactly this float32. */
function formatFloat32(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  let s = v.toPrecision(8);
  if (Math.fround(Number(s)) !== v) s = v.toPrecision(9);
  // Trailing zeros of the mantissa carry nothing ("0.12500000" -> "0.125").
  return s.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1');
}

function checkTable(fn: string, table: VectorTable, rows: ArrayLike<number>): void {
  const n = table.keys.length;
  if (!Number.isInteger(table.dim) || table.dim < 1) throw new OptionError(fn, 'dim', table.dim, 'an integer >= 1');
  if (table.vectors.length !== n * table.dim) {
    throw new OptionError(fn, 'vectors.length', table.vectors.length, `keys.length x dim = ${n * table.dim}`);
  }
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new OptionError(fn, `rows[${i}]`, r, `a row index in [0, ${n})`);
    const key = table.keys[r]!;
    // The formats separate fields by spaces and rows by newlines.
    if (key.length === 0 || /\s/.test(key)) {
      throw new OptionError(fn, `keys[${r}]`, key, 'a non-empty key without whitespace (word2vec separates fields by spaces)');
    }
  }
}

function* textBatches(table: VectorTable, rows: ArrayLike<number>): Generator<string> {
  const { dim, vectors, keys } = table;
  let batch = `${rows.length} ${dim}\n`;
  const parts = new Array<string>(dim + 1);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    parts[0] = keys[r]!;
    const base = r * dim;
    for (let k = 0; k < dim; k++) parts[k + 1] = formatFloat32(vectors[base + k]!);
    batch += parts.join(' ') + '\n';
    if (batch.length >= BATCH_BYTES) {
      yield batch;
      batch = '';
    }
  }
  if (batch.length > 0) yield batch;
}

function* binaryBatches(table: VectorTable, rows: ArrayLike<number>): Generator<Buffer> {
  const { dim, vectors, keys } = table;
  const rowBytes = dim * 4;
  const chunks: Buffer[] = [Buffer.from(`${rows.length} ${dim}\n`, 'utf8')];
  let size = chunks[0]!.length;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const key = Buffer.from(`${keys[r]!} `, 'utf8');
    const row = Buffer.allocUnsafe(rowBytes + 1);
    if (littleEndian) {
      Buffer.from(vectors.buffer, vectors.byteOffset + r * rowBytes, rowBytes).copy(row, 0);
    } else {
      for (let k = 0; k < dim; k++) row.writeFloatLE(vectors[r * dim + k]!, k * 4);
    }
    row[rowBytes] = 0x0a;
    chunks.push(key, row);
    size += key.length + row.length;
    if (size >= BATCH_BYTES) {
      yield Buffer.concat(chunks, size);
      chunks.length = 0;
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(chunks, size);
}

async function writeAll(out: Writable, batches: Iterable<string | Buffer>): Promise<void> {
  for (const b of batches) {
    if (!out.write(b)) await once(out, 'drain');
  }
}

/**
 * Writes `table` to a file path or an open stream (a stream is not ended).
 * Keys must be non-empty and free of whitespace.
 */
export async function writeWord2Vec(
  target: string | Writable,
  table: VectorTable,
  opts: WriteWord2VecOptions = {},
): Promise<void> {
  const rows = opts.rows ?? Uint32Array.from({ length: table.keys.length }, (_, i) => i);
  checkTable('writeWord2Vec', table, rows);
  const batches = opts.binary ? binaryBatches(table, rows) : textBatches(table, rows);
  if (typeof target !== 'string') {
    await writeAll(target, batches);
    return;
  }
  const out = createWriteStream(target);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  try {
    await Promise.race([writeAll(out, batches), failed]);
    out.end();
    await Promise.race([once(out, 'close'), failed]);
  } catch (err) {
    out.destroy();
    const reason = err instanceof Error ? err.message : String(err);
    throw new GraphprofError(`writeWord2Vec: cannot write ${target}: ${reason}`);
  }
}

function parseHeader(file: string, text: string): { count: number; dim: number } {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(file, 1, 'header', `expected "<count> <dim>", got ${JSON.stringify(text.slice(0, 40))}`);
  const count = Number(m[1]);
  const dim = Number(m[2]);
  if (dim < 1) throw new InputError(file, 1, 'header', `dim is ${dim}; expected >= 1`);
  return { count, dim };
}

function readText(file: string, buf: Buffer): VectorTable {
  const lines = buf.toString('utf8').split('\n');
  const { count, dim } = parseHeader(file, lines[0] ?? '');
  const keys: string[] = [];
  const vectors = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const lineNo = i + 2;
    const line = lines[i + 1];
    if (line === undefined || line.trim() === '') {
      throw new InputError(file, lineNo, 'vector', `the header announces ${count} rows but the file ends after ${i}`);
    }
    const parts = line.trimEnd().split(' ');
    if (parts.length !== dim + 1) {
      throw new InputError(file, lineNo, 'vector', `expected a key and ${dim} values, got ${parts.length - 1} values`);
    }
    keys.push(parts[0]!);
    for (let k = 0; k < dim; k++) {
      const field = parts[k + 1]!;
      const v = Number(field);
      if (field === '' || Number.isNaN(v)) {
        throw new InputError(file, lineNo, `value ${k + 1}`, `not a number: ${JSON.stringify(field)}`);
      }
      vectors[i * dim + k] = v;
    }
  }
  return { keys, vectors, dim };
}

function readBinary(file: string, buf: Buffer): VectorTable {
  const headerEnd = buf.indexOf(0x0a);
  if (headerEnd < 0) throw new InputError(file, 1, 'header', 'no newline after the header');
  const { count, dim } = parseHeader(file, buf.toString('utf8', 0, headerEnd));
  const keys: string[] = [];
  const vectors = new Float32Array(count * dim);
  const rowBytes = dim * 4;
  let pos = headerEnd + 1;
  for (let i = 0; i < count; i++) {
    // word2vec.c ends each row with a newline; gensim writes none. Accept both.
    while (pos < buf.length && buf[pos] === 0x0a) pos++;
    const space = buf.indexOf(0x20, pos);
    if (space < 0 || space + 1 + rowBytes > buf.length) {
      throw new InputError(file, i + 2, 'vector', `row ${i + 1} of ${count} is truncated`);
    }
    keys.push(buf.toString('utf8', pos, space));
    const start = space + 1;
    for (let k = 0; k < dim; k++) vectors[i * dim + k] = buf.readFloatLE(start + k * 4);
    pos = start + rowBytes;
  }
  return { keys, vectors, dim };
}

/** Reads a word2vec text or binary file (the whole file is read into memory). */
export async function readWord2Vec(file: string, opts: { binary?: boolean } = {}): Promise<VectorTable> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (err) {
    throw new GraphprofError(`readWord2Vec: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return opts.binary ? readBinary(file, buf) : readText(file, buf);
}

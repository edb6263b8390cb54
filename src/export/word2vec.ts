/**
 * The word2vec vector formats that gensim's KeyedVectors.load_word2vec_format
 * reads: text (`binary=False`: a "count dim" header, then "key v1 .. vdim" per
 * line) and binary (`binary=True`: the same header, then per row the key, a
 * space, dim little-endian float32 values and a newline, as word2vec.c writes).
 * Writing goes through the export's format writers (text-formats.ts,
 * binary-formats.ts: one writer, one float formatter), in bounded batches;
 * reading returns the rows in file order.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { RowBatch } from '../store/vector-rows.js';
import { GraphprofError, InputError, OptionError } from '../util/errors.js';
import { openWord2VecBinary } from './binary-formats.js';
import type { ChunkWriter } from './format.js';
import { FileSink } from './sink.js';
import { openWord2VecText } from './text-formats.js';

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

const batchRows = 1024;

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

/** The chosen rows of a table as the export's row batches (one batch object, refilled). */
function* tableBatches(table: VectorTable, rows: ArrayLike<number>): Generator<RowBatch> {
  const { dim } = table;
  const size = Math.min(batchRows, Math.max(1, rows.length));
  const batch: RowBatch = { count: 0, dim, ids: new Array<string>(size), types: new Array<string>(size).fill(''), segments: new Int32Array(size), hasSegment: new Uint8Array(size), data: new Float32Array(size * dim) };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    batch.ids[batch.count] = table.keys[r]!;
    batch.data.set(table.vectors.subarray(r * dim, (r + 1) * dim), batch.count * dim);
    if (++batch.count === size) {
      yield batch;
      batch.count = 0;
    }
  }
  if (batch.count > 0) yield batch;
}

/** A Writable as the formats' ChunkWriter, honouring backpressure. */
function streamWriter(out: Writable): ChunkWriter {
  return {
    async write(chunk) {
      if (!out.write(chunk)) await once(out, 'drain');
    },
  };
}

async function writeTable(writer: ChunkWriter, table: VectorTable, rows: ArrayLike<number>, binary: boolean): Promise<void> {
  const open = binary ? openWord2VecBinary : openWord2VecText;
  const format = await open([writer], { shape: { rows: rows.length, dim: table.dim }, type: 'all', parquetGroupValues: 0 });
  for (const batch of tableBatches(table, rows)) await format.writeBatch(batch);
  await format.end();
}

/**
 * Writes `table` to a file path (atomically: the file appears only when
 * complete) or to an open stream (not ended), with the same writers as
 * `graphprof export`. Keys must be non-empty and free of whitespace.
 */
export async function writeWord2Vec(
  target: string | Writable,
  table: VectorTable,
  opts: WriteWord2VecOptions = {},
): Promise<void> {
  const rows = opts.rows ?? Uint32Array.from({ length: table.keys.length }, (_, i) => i);
  checkTable('writeWord2Vec', table, rows);
  const binary = opts.binary ?? false;
  if (typeof target !== 'string') return writeTable(streamWriter(target), table, rows, binary);
  const sink = await FileSink.open(target);
  try {
    await writeTable(sink, table, rows, binary);
    await sink.finish();
    await sink.commit();
  } catch (err) {
    sink.abort();
    throw err;
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

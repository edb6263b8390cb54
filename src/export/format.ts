/**
 * The contract between the export driver and each output format, the files a
 * format writes for a given --out, and helpers the formats share (id checks,
 * little-endian float32 bytes).
 *
 * Files per format (PATH = --out):
 *  - word2vec, word2vec-bin, parquet, jsonl, csv: PATH itself.
 *  - npy: PATH (the array) and the ids beside it, PATH without its ".npy" plus
 *    ".ids.tsv" (users.npy -> users.ids.tsv), header `id\ttype\tsegment`.
 *  - tsv (TensorBoard projector): if PATH is a directory (existing, or ending
 *    in "/") PATH/vectors.tsv and PATH/metadata.tsv; otherwise PATH is a prefix,
 *    without a trailing ".tsv": PATH.vectors.tsv and PATH.metadata.tsv.
 */
import { statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { GraphprofError } from '../util/errors.js';
import type { ExportFormat, ExportType } from './options.js';
import type { RowBatch, SelectionShape } from '../store/vector-rows.js';

export interface FormatWriter {
  /** Encodes one batch and writes it (resolves when the files can take more). */
  writeBatch(batch: RowBatch): Promise<void>;
  /** Writes what follows the last row (e.g. the parquet footer); the driver closes the files. */
  end(): Promise<void>;
}

export interface FormatContext {
  shape: SelectionShape;
  type: ExportType;
  parquetGroupValues: number;
  /** Tags each row has (jsonl and parquet write them): null where a node has none (products, runs without tags). */
  tagsOf?: (batch: RowBatch, row: number) => string[] | null;
}

/** Where a format writes: a FileSink (export), or a stream (writeWord2Vec); resolves when more can be written. */
export interface ChunkWriter {
  write(chunk: string | Uint8Array): Promise<void>;
}

/** Opens a format on its files (in `exportPaths` order) and writes its headers. */
export type OpenFormat = (sinks: readonly ChunkWriter[], ctx: FormatContext) => Promise<FormatWriter>;

function isDirectoryTarget(out: string): boolean {
  if (out.endsWith('/') || out.endsWith(sep)) return true;
  try {
    return statSync(out).isDirectory();
  } catch {
    return false;
  }
}

/** The files written for `--format format --out out`, main file first. */
export function exportPaths(format: ExportFormat, out: string): string[] {
  if (format === 'npy') return [out, `${out.replace(/\.npy$/i, '')}.ids.tsv`];
  if (format === 'tsv') {
    if (isDirectoryTarget(out)) return [join(out, 'vectors.tsv'), join(out, 'metadata.tsv')];
    const prefix = out.replace(/\.tsv$/i, '');
    return [`${prefix}.vectors.tsv`, `${prefix}.metadata.tsv`];
  }
  return [out];
}

const hostLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * A copy of rows [from, to) of a batch as little-endian float32 bytes: a copy,
 * because the batch's buffer is reused while the stream may still hold the chunk.
 */
export function float32Bytes(batch: RowBatch, from: number, to: number): Buffer {
  const dim = batch.dim;
  const view = new Uint8Array(batch.data.buffer, batch.data.byteOffset + from * dim * 4, (to - from) * dim * 4);
  const out = Buffer.from(view);
  if (!hostLittleEndian) out.swap32();
  return out;
}

/** Ids become fields of line-based formats: refuse the characters that would split them. */
export function checkIds(batch: RowBatch, forbidden: RegExp, format: string, why: string): void {
  for (let r = 0; r < batch.count; r++) {
    const id = batch.ids[r]!;
    if (id === '' || forbidden.test(id)) {
      throw new GraphprofError(`exportVectors: id ${JSON.stringify(id)} cannot be written as ${format}: ${why} (use --format jsonl or parquet)`);
    }
  }
}

/** `id\ttype\tsegment` lines of rows [0, count), the ids file of npy and the projector's metadata. */
export function metadataLines(batch: RowBatch): string {
  let s = '';
  for (let r = 0; r < batch.count; r++) {
    s += `${batch.ids[r]}\t${batch.types[r]}\t${batch.hasSegment[r] ? batch.segments[r] : ''}\n`;
  }
  return s;
}

export const metadataHeader = 'id\ttype\tsegment\n';

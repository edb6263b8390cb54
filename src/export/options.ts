/**
 * What `graphprof export` can write and the one place its defaults live: the
 * formats, which vectors and nodes to select, and the batch sizes that bound
 * memory (rows in flight never depend on how many rows the run has).
 */
import type { VectorKind } from '../store/runs.js';
import { OptionError } from '../util/errors.js';

export const exportFormats = ['word2vec', 'word2vec-bin', 'npy', 'parquet', 'jsonl', 'csv', 'tsv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportTypes = ['user', 'product', 'all'] as const;
export type ExportType = (typeof exportTypes)[number];

export const exportKinds: readonly VectorKind[] = ['fused', 'graph', 'text'];

export const exportDefaults = {
  kind: 'fused' as VectorKind,
  type: 'user' as ExportType,
  /** Rows read from SQLite and encoded per step: each format sees at most this many at once. */
  batchRows: 1024,
  /**
   * Parquet row groups hold about this many float values (rows x dim; 1 MiB of
   * floats). hyparquet-writer builds several JS arrays per value while encoding a
   * group (~200 MB peak RSS at this size, ~400 MB at 4x), so groups stay modest.
   */
  parquetGroupValues: 1 << 18,
};

export interface ExportOptions {
  /** Run id, or the newest complete train/refresh run. */
  run?: number | 'latest';
  kind?: VectorKind;
  type?: ExportType;
  format: ExportFormat;
  /** File (or, for tsv, directory / prefix) to write; see `exportPaths`. */
  out: string;
  batchRows?: number;
  parquetGroupValues?: number;
  /** Replace files that exist already (default false: an existing file is refused). */
  force?: boolean;
  signal?: AbortSignal;
}

export interface ResolvedExportOptions {
  run: number | 'latest';
  kind: VectorKind;
  type: ExportType;
  format: ExportFormat;
  out: string;
  batchRows: number;
  parquetGroupValues: number;
  force: boolean;
  signal?: AbortSignal;
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new OptionError('exportVectors', option, value, `one of ${allowed.join(', ')}`);
}

function positiveInt(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new OptionError('exportVectors', option, value, 'an integer >= 1');
  return value;
}

export function resolveExportOptions(opts: ExportOptions): ResolvedExportOptions {
  if (typeof opts.out !== 'string' || opts.out === '') throw new OptionError('exportVectors', 'out', opts.out, 'a file path');
  const run = opts.run ?? 'latest';
  if (run !== 'latest' && !(Number.isInteger(run) && run > 0)) throw new OptionError('exportVectors', 'run', run, '"latest" or a run id');
  return {
    run,
    kind: oneOf('kind', opts.kind ?? exportDefaults.kind, exportKinds),
    type: oneOf('type', opts.type ?? exportDefaults.type, exportTypes),
    format: oneOf('format', opts.format, exportFormats),
    out: opts.out,
    batchRows: positiveInt('batchRows', opts.batchRows ?? exportDefaults.batchRows),
    parquetGroupValues: positiveInt('parquetGroupValues', opts.parquetGroupValues ?? exportDefaults.parquetGroupValues),
    force: opts.force ?? false,
    signal: opts.signal,
  };
}

/**
 * `exportVectors`: streams one kind of vectors of a stored run (fused, graph or
 * text; users, products or both) into a file format other tools read —
 * word2vec text/binary (gensim), .npy + ids (NumPy), parquet, JSON lines, CSV,
 * or the TensorBoard projector's tsv pair. Rows are counted first (headers
 * need the count), then read from SQLite and written batch by batch with
 * backpressure, so memory does not grow with the number of rows. Files appear
 * only when complete; a failed or cancelled export leaves none.
 */
import type { Database as DB } from 'better-sqlite3';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getRun, type VectorKind } from '../store/runs.js';
import { AbortedError, ExitCode, GraphprofError } from '../util/errors.js';
import { checkOutputs } from '../util/out-path.js';
import type { Progress } from '../util/progress.js';
import { openNpy, openWord2VecBinary } from './binary-formats.js';
import { exportPaths, type FormatWriter, type OpenFormat } from './format.js';
import { resolveExportOptions, type ExportFormat, type ExportOptions, type ExportType } from './options.js';
import { openParquet } from './parquet.js';
import { countSelection, selectionBatches, type ExportSelection, type RowBatch } from '../store/vector-rows.js';
import { readSegmentIdentity } from '../store/segment-ids.js';
import { tagNamesByKey } from '../store/tags.js';
import { FileSink, writeError } from './sink.js';
import { openCsv, openJsonl, openProjectorTsv, openWord2VecText } from './text-formats.js';

export { exportDefaults, exportFormats, exportKinds, exportTypes, type ExportFormat, type ExportOptions, type ExportType } from './options.js';
export { exportPaths } from './format.js';

const openers: Record<ExportFormat, OpenFormat> = {
  word2vec: openWord2VecText,
  'word2vec-bin': openWord2VecBinary,
  npy: openNpy,
  parquet: openParquet,
  jsonl: openJsonl,
  csv: openCsv,
  tsv: openProjectorTsv,
};

export interface ExportResult {
  runId: number;
  kind: VectorKind;
  type: ExportType;
  format: ExportFormat;
  rows: number;
  dim: number;
  /** Absolute paths of the files written, main file first. */
  files: string[];
  /** Total size of those files. */
  bytes: number;
}

async function openSinks(paths: readonly string[], out: string, format: ExportFormat): Promise<FileSink[]> {
  // A tsv target named as a directory ("out/") is created, like `mkdir -p`.
  if (format === 'tsv' && /[/\\]$/.test(out)) {
    try {
      await mkdir(out, { recursive: true });
    } catch (err) {
      throw writeError(out, err, ExitCode.usage);
    }
  }
  const sinks: FileSink[] = [];
  try {
    for (const p of paths) sinks.push(await FileSink.open(p));
  } catch (err) {
    for (const s of sinks) s.abort();
    throw err;
  }
  return sinks;
}

async function streamRows(
  db: DB,
  sel: ExportSelection,
  writer: FormatWriter,
  shape: { rows: number; dim: number },
  batchRows: number,
  signal: AbortSignal | undefined,
  onProgress: Progress | undefined,
  stableIds: Int32Array,
): Promise<void> {
  let done = 0;
  for (const batch of selectionBatches(db, sel, shape.dim, batchRows)) {
    if (signal?.aborted) throw new AbortedError('export');
    // Rows carry their segment's position in the run; exports show its stable id (as every command does).
    for (let r = 0; r < batch.count; r++) if (batch.hasSegment[r]) batch.segments[r] = stableIds[batch.segments[r]!] ?? batch.segments[r]!;
    await writer.writeBatch(batch);
    done += batch.count;
    onProgress?.(done, shape.rows, `${done} / ${shape.rows} rows`);
  }
  if (done !== shape.rows) {
    throw new GraphprofError(`exportVectors: counted ${shape.rows} rows but read ${done}; the run changed while exporting`);
  }
}

/** Writes the selected vectors of a run; see the module comment and `exportPaths` for the files. */
export async function exportVectors(db: DB, options: ExportOptions, onProgress?: Progress): Promise<ExportResult> {
  const o = resolveExportOptions(options);
  const run = getRun(db, o.run, o.run === 'latest' ? ['train', 'refresh'] : undefined);
  const sel: ExportSelection = { runId: run.id, kind: o.kind, type: o.type };
  const shape = countSelection(db, sel);
  const paths = exportPaths(o.format, o.out).map((p) => resolve(p));
  checkOutputs(paths, { option: '--out', database: db.name, overwrite: o.force });
  const sinks = await openSinks(paths, o.out, o.format);
  try {
    const tags = tagNamesByKey(db, run.id);
    const key = (batch: RowBatch, r: number): string => (o.type === 'all' ? batch.ids[r]! : `${batch.types[r]}:${batch.ids[r]}`);
    const tagsOf = tags ? (batch: RowBatch, r: number) => (batch.types[r] === 'user' ? tags(key(batch, r)) : null) : undefined;
    const writer = await openers[o.format](sinks, { shape, type: o.type, parquetGroupValues: o.parquetGroupValues, ...(tagsOf ? { tagsOf } : {}) });
    await streamRows(db, sel, writer, shape, o.batchRows, o.signal, onProgress, readSegmentIdentity(db, run.id).ids);
    await writer.end();
    let bytes = 0;
    for (const s of sinks) bytes += await s.finish();
    for (const s of sinks) await s.commit();
    return { runId: run.id, kind: o.kind, type: o.type, format: o.format, rows: shape.rows, dim: shape.dim, files: paths, bytes };
  } catch (err) {
    for (const s of sinks) s.abort();
    throw err;
  }
}

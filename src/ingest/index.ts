/**
 * Entry point of ingest: reads one job's input files (Amazon review JSON/CSV,
 * Amazon metadata, the generic reviews/users/products CSV layout, or plain edge
 * lists; plain or gzip) into the typed records of records.ts. Every file is
 * streamed; bad rows raise InputError naming file, line and field, or are
 * skipped and counted under `skipInvalid`.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError, OptionError } from '../util/errors.js';
import { readAmazonCsv, readAmazonJson, readAmazonMeta } from './amazon.js';
import { detectFormat } from './detect.js';
import { RowGuard, type FileContext } from './driver.js';
import { EdgeTableBuilder, readEdgeList } from './edgelist.js';
import { readGenericCsv } from './generic.js';
import type { ColumnReport } from './columns.js';
import { resolveReadOptions, type ReadOptions, type ResolvedReadOptions } from './options.js';
import { emptyCounts, type EdgeListData, type EdgeRecord, type EdgeTableData, type IngestCounts, type IngestData, type InputFormat, type ShopData } from './records.js';
import { spoolPipes } from './pipes.js';
import { ShopCollector } from './shop.js';

export type * from './records.js';
export { detectFormat } from './detect.js';
export { defaultRatingRange, canonicalColumns, type ReadOptions } from './options.js';
export { columnSynonyms, describeColumns, type ColumnReport } from './columns.js';
export { RowErrorKind } from './row-error.js';

/** The files of the generic layout a folder input stands for, in reading order; the first is required. */
export const folderLayout = ['reviews.csv', 'products.csv', 'users.csv'] as const;

/**
 * Input paths with each folder replaced by the generic layout inside it
 * (reviews.csv, optional products.csv and users.csv, each also as .csv.gz).
 */
export async function expandInputs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => undefined);
    if (!st?.isDirectory()) {
      out.push(p);
      continue;
    }
    const names = new Set(await readdir(p));
    const found = folderLayout.map((f) => [f, `${f}.gz`].find((n) => names.has(n))).map((n) => (n === undefined ? undefined : join(p, n)));
    if (found[0] === undefined) {
      throw new InputError(p, 0, '(folder)', `no reviews.csv (or reviews.csv.gz) in this folder; a folder input holds the generic layout: reviews.csv, optional products.csv and users.csv`);
    }
    for (const f of found) if (f !== undefined) out.push(f);
  }
  return out;
}

/** Files, formats and progress of one read: folders expanded, pipes spooled, formats detected and checked for mixing. */
async function openInputs(paths: string[], o: ResolvedReadOptions, map: ReadOptions['map']): Promise<{ files: string[]; formats: InputFormat[]; progress: ProgressFor; edgeLists: boolean }> {
  if (!Array.isArray(paths) || paths.length === 0) throw new OptionError('readInputs', 'files', paths, 'at least one input file');
  const files = await expandInputs(await spoolPipes(paths));
  const formats = await Promise.all(files.map((f) => o.format ?? detectFormat(f, { map })));
  const edgeLists = formats.filter((f) => f === 'edgelist').length;
  if (edgeLists > 0 && edgeLists < files.length) {
    const described = files.map((f, i) => `${f} (${formats[i]})`).join(', ');
    throw new OptionError('readInputs', 'files', described, 'either edge lists only or shop files only, not both');
  }
  return { files, formats, progress: await progressOver(files, o), edgeLists: edgeLists > 0 };
}

export async function readInputs(paths: string[], opts: ReadOptions = {}): Promise<IngestData> {
  const o = resolveReadOptions(opts);
  const { files, formats, progress, edgeLists } = await openInputs(paths, o, opts.map);
  return edgeLists ? readEdgeLists(files, o, progress) : readShop(files, formats, o, progress);
}

/**
 * Edge list files (format detected or `opts.format: 'edgelist'`) read straight
 * into typed arrays: ids interned while reading, no per-edge objects. What
 * embed-graph reads a graph of millions of edges with.
 */
export async function readEdgeTable(paths: string[], opts: ReadOptions = {}): Promise<EdgeTableData> {
  const o = resolveReadOptions(opts);
  const { files, formats, progress, edgeLists } = await openInputs(paths, o, opts.map);
  if (!edgeLists) {
    throw new OptionError('readEdgeTable', 'files', files.map((f, i) => `${f} (${formats[i]})`).join(', '), 'edge list files');
  }
  const counts = emptyCounts();
  const builder = new EdgeTableBuilder();
  for (const file of files) await readEdgeList(file, fileContext(file, o, counts, progress), builder);
  return { kind: 'edgetable', table: builder.finish(), counts, files };
}

type ProgressFor = (file: string) => ((bytes: number) => void) | undefined;

/** Byte progress summed over all files, reported with the current file's name. */
async function progressOver(files: string[], o: ResolvedReadOptions): Promise<ProgressFor> {
  const report = o.onProgress;
  if (report === null) return () => undefined;
  const sizes = await Promise.all(
    files.map(async (f) => {
      try {
        return (await stat(f)).size;
      } catch (err) {
        throw new InputError(f, 0, '(file)', `cannot open: ${(err as Error).message}`);
      }
    }),
  );
  const total = sizes.reduce((a, b) => a + b, 0);
  let done = 0;
  return (file) => {
    const name = basename(file);
    return (bytes) => {
      done += bytes;
      report(done, total, name);
    };
  };
}

function fileContext(file: string, o: ResolvedReadOptions, counts: IngestCounts, progress: ProgressFor): FileContext {
  return { guard: new RowGuard(file, o.skipInvalid, counts), counts, onBytes: progress(file) };
}

async function readEdgeLists(files: string[], o: ResolvedReadOptions, progress: ProgressFor): Promise<EdgeListData> {
  const counts = emptyCounts();
  const edges: EdgeRecord[] = [];
  const sink = { add: (src: string, dst: string, weight: number) => void edges.push({ src, dst, weight }) };
  for (const file of files) await readEdgeList(file, fileContext(file, o, counts, progress), sink);
  return { kind: 'edgelist', edges, counts, files };
}

async function readShop(files: string[], formats: InputFormat[], o: ResolvedReadOptions, progress: ProgressFor): Promise<ShopData> {
  const shop = new ShopCollector(o.pseudonymize);
  const columns: ColumnReport[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const base = fileContext(file, o, shop.counts, progress);
    const amazon = { ...base, shop, ratingRange: o.ratingRange.amazon };
    switch (formats[i]) {
      case 'amazon-json':
        await readAmazonJson(file, amazon);
        break;
      case 'amazon-csv':
        await readAmazonCsv(file, amazon);
        break;
      case 'amazon-meta':
        await readAmazonMeta(file, amazon);
        break;
      case 'csv':
        await readGenericCsv(file, {
          ...base,
          shop,
          ratingRange: o.ratingRange.generic,
          columns: o.columns,
          mapped: o.mapped,
          onColumns: (report) => {
            columns.push(report);
            o.onColumns?.(report);
          },
        });
        break;
      case 'edgelist':
        throw new OptionError('readInputs', 'files', file, 'shop files only once a shop file is given');
    }
  }
  return { ...shop.finish(files), columns };
}

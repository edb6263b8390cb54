/**
 * The line-based text formats: word2vec text (what gensim's
 * KeyedVectors.load_word2vec_format(binary=False) reads), JSON lines, CSV and
 * the TensorBoard projector's vectors.tsv + metadata.tsv pair. Every float is
 * written with the digits that read back to the stored float32 exactly.
 */
import { checkFinite, formatRow } from './float-text.js';
import { checkIds, metadataHeader, metadataLines, type ChunkWriter, type FormatWriter, type OpenFormat } from './format.js';
import type { RowBatch } from '../store/vector-rows.js';

function finiteRows(batch: RowBatch): void {
  checkFinite(batch.data, batch.count * batch.dim, (r) => batch.ids[r]!, batch.dim);
}

function lines(batch: RowBatch, line: (r: number) => string): string {
  const out = new Array<string>(batch.count);
  for (let r = 0; r < batch.count; r++) out[r] = line(r);
  return out.join('');
}

const noEnd = async (): Promise<void> => {};

/** word2vec text: "rows dim", then "id v1 .. vdim" per row; ids may hold no whitespace. */
export const openWord2VecText: OpenFormat = async ([file], { shape }) => {
  const sink = file!;
  await sink.write(`${shape.rows} ${shape.dim}\n`);
  return {
    async writeBatch(batch) {
      checkIds(batch, /\s/, 'word2vec', 'word2vec separates fields by spaces');
      finiteRows(batch);
      await sink.write(lines(batch, (r) => `${batch.ids[r]} ${formatRow(batch.data, r, batch.dim, ' ')}\n`));
    },
    end: noEnd,
  };
};

function segmentJson(batch: RowBatch, r: number): string {
  return batch.hasSegment[r] ? String(batch.segments[r]) : 'null';
}

/** One JSON object per line: {"id", "type", "segment" (stable id, null if none), "tags" (names the user has; null for products and runs without tags), "vector"}. */
export const openJsonl: OpenFormat = async ([file], { tagsOf }) => {
  const sink = file!;
  return {
    async writeBatch(batch) {
      finiteRows(batch);
      await sink.write(
        lines(
          batch,
          (r) =>
            `{"id":${JSON.stringify(batch.ids[r])},"type":${JSON.stringify(batch.types[r])},"segment":${segmentJson(batch, r)},"tags":${JSON.stringify(tagsOf?.(batch, r) ?? null)},"vector":[${formatRow(batch.data, r, batch.dim, ',')}]}\n`,
        ),
      );
    },
    end: noEnd,
  };
};

/** RFC 4180 quoting, only where a field needs it. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV: header id,type,segment,v0..v{dim-1}; an empty segment field means none. */
export const openCsv: OpenFormat = async ([file], { shape }) => {
  const sink = file!;
  const header = ['id', 'type', 'segment'];
  for (let k = 0; k < shape.dim; k++) header.push(`v${k}`);
  await sink.write(header.join(',') + '\n');
  return {
    async writeBatch(batch) {
      finiteRows(batch);
      await sink.write(
        lines(batch, (r) => `${csvField(batch.ids[r]!)},${csvField(batch.types[r]!)},${batch.hasSegment[r] ? batch.segments[r] : ''},${formatRow(batch.data, r, batch.dim, ',')}\n`),
      );
    },
    end: noEnd,
  };
};

/** TensorBoard projector: vectors.tsv (floats only, no header) and metadata.tsv (header, then a line per row). */
export const openProjectorTsv: OpenFormat = async (sinks) => {
  const [vectors, metadata] = sinks as [ChunkWriter, ChunkWriter];
  await metadata.write(metadataHeader);
  return {
    async writeBatch(batch) {
      checkIds(batch, /[\t\r\n]/, 'tsv', 'tabs and newlines separate its fields and rows');
      finiteRows(batch);
      await vectors.write(lines(batch, (r) => formatRow(batch.data, r, batch.dim, '\t') + '\n'));
      await metadata.write(metadataLines(batch));
    },
    end: noEnd,
  } satisfies FormatWriter;
};

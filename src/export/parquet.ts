/**
 * Parquet through hyparquet-writer, one row group at a time: rows collect until
 * a group holds about `parquetGroupValues` floats, the group is encoded and its
 * bytes go to the file with backpressure before the next rows are read, so
 * memory is bounded by one row group whatever the row count.
 *
 * Columns: id (string), type (string), segment (int32, the stable segment id,
 * null where a node has none, e.g. products), tags (list<string>, the tags
 * the user has; null for products and runs without tags), vector
 * (list<float>, standard 3-level LIST of the stored float32 values).
 */
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { ChunkWriter, FormatContext, FormatWriter, OpenFormat } from './format.js';
import type { RowBatch } from '../store/vector-rows.js';

export const parquetSchema: SchemaElement[] = [
  { name: 'root', num_children: 5 },
  { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'REQUIRED' },
  { name: 'type', type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'REQUIRED' },
  { name: 'segment', type: 'INT32', repetition_type: 'OPTIONAL' },
  { name: 'tags', converted_type: 'LIST', logical_type: { type: 'LIST' }, repetition_type: 'OPTIONAL', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'REQUIRED' },
  { name: 'vector', converted_type: 'LIST', logical_type: { type: 'LIST' }, repetition_type: 'REQUIRED', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
];

/**
 * hyparquet-writer's byte writer, emptied into the file after every row group
 * (the library calls `flush` then and awaits the promise before encoding more).
 */
class SinkWriter extends ByteWriter {
  constructor(private readonly sink: ChunkWriter) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    // A copy: the buffer is reused for the next group while the stream may still hold the chunk.
    const chunk = Buffer.from(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
    return this.sink.write(chunk);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

interface PendingGroup {
  ids: string[];
  types: string[];
  segments: (number | null)[];
  tags: (string[] | null)[];
  vectors: number[][];
}

const emptyGroup = (): PendingGroup => ({ ids: [], types: [], segments: [], tags: [], vectors: [] });

function appendRows(group: PendingGroup, batch: RowBatch, tagsOf: FormatContext['tagsOf']): void {
  const dim = batch.dim;
  for (let r = 0; r < batch.count; r++) {
    group.ids.push(batch.ids[r]!);
    group.types.push(batch.types[r]!);
    group.segments.push(batch.hasSegment[r] ? batch.segments[r]! : null);
    group.tags.push(tagsOf?.(batch, r) ?? null);
    // Plain arrays: the writer's nested-value encoder accepts only Array lists.
    group.vectors.push(Array.from(batch.data.subarray(r * dim, (r + 1) * dim)));
  }
}

export const openParquet: OpenFormat = async ([file], { shape, parquetGroupValues, tagsOf }) => {
  const writer = new SinkWriter(file!);
  const pw = new ParquetWriter({ writer, schema: parquetSchema, createdBy: 'graphprof export (hyparquet-writer)' });
  const groupRows = Math.max(1, Math.floor(parquetGroupValues / shape.dim));
  let group = emptyGroup();

  const writeGroup = async (): Promise<void> => {
    if (group.ids.length === 0) return;
    const rows = group.ids.length;
    const columnData = [
      { name: 'id', data: group.ids },
      { name: 'type', data: group.types },
      { name: 'segment', data: group.segments },
      { name: 'tags', data: group.tags },
      // Embedding floats never repeat enough for a dictionary, and min/max statistics of
      // them prune nothing: skip both (a quarter of the encoding time).
      { name: 'vector', data: group.vectors, encoding: 'PLAIN' as const, statistics: false },
    ];
    group = emptyGroup();
    await pw.write({ columnData, rowGroupSize: rows });
  };

  return {
    async writeBatch(batch) {
      appendRows(group, batch, tagsOf);
      if (group.ids.length >= groupRows) await writeGroup();
    },
    async end() {
      await writeGroup();
      await pw.finish();
    },
  } satisfies FormatWriter;
};

/**
 * The binary formats, whose floats are the stored float32 bytes copied as they
 * are: word2vec binary (gensim load_word2vec_format(binary=True): header line,
 * then "id " + dim little-endian float32 + "\n" per row, as word2vec.c writes)
 * and NumPy .npy format 1.0 ('<f4', C order, shape (rows, dim)) with its ids
 * file beside it.
 */
import { GraphprofError } from '../util/errors.js';
import { checkIds, float32Bytes, metadataHeader, metadataLines, type ChunkWriter, type OpenFormat } from './format.js';

export const openWord2VecBinary: OpenFormat = async ([file], { shape }) => {
  const sink = file!;
  await sink.write(`${shape.rows} ${shape.dim}\n`);
  const rowBytes = shape.dim * 4;
  return {
    async writeBatch(batch) {
      checkIds(batch, /\s/, 'word2vec-bin', 'word2vec separates the id from its vector by a space');
      const ids = batch.ids.slice(0, batch.count).map((id) => Buffer.from(`${id} `, 'utf8'));
      const vectors = float32Bytes(batch, 0, batch.count);
      const size = ids.reduce((n, b) => n + b.length + rowBytes + 1, 0);
      const out = Buffer.allocUnsafe(size);
      let at = 0;
      for (let r = 0; r < batch.count; r++) {
        at += ids[r]!.copy(out, at);
        at += vectors.copy(out, at, r * rowBytes, (r + 1) * rowBytes);
        out[at++] = 0x0a;
      }
      await sink.write(out);
    },
    async end() {},
  };
};

const npyMagic = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // "\x93NUMPY" v1.0

/**
 * The .npy 1.0 header: magic, version, little-endian uint16 length, then the
 * dict padded with spaces and ended by "\n" so the data starts on a 64-byte boundary.
 */
export function npyHeader(rows: number, dim: number): Buffer {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  const fixed = npyMagic.length + 2;
  const total = Math.ceil((fixed + dict.length + 1) / 64) * 64;
  const headerLen = total - fixed;
  if (headerLen > 0xffff) throw new GraphprofError(`npyHeader: header of ${headerLen} bytes does not fit format 1.0`);
  const out = Buffer.alloc(total, 0x20);
  npyMagic.copy(out, 0);
  out.writeUInt16LE(headerLen, npyMagic.length);
  out.write(dict, fixed, 'latin1');
  out[total - 1] = 0x0a;
  return out;
}

export const openNpy: OpenFormat = async (sinks, { shape }) => {
  const [array, ids] = sinks as [ChunkWriter, ChunkWriter];
  await array.write(npyHeader(shape.rows, shape.dim));
  await ids.write(metadataHeader);
  return {
    async writeBatch(batch) {
      checkIds(batch, /[\t\r\n]/, 'the npy ids file (tsv)', 'tabs and newlines separate its fields and rows');
      await array.write(float32Bytes(batch, 0, batch.count));
      await ids.write(metadataLines(batch));
    },
    async end() {},
  };
};

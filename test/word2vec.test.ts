/**
 * word2vec text and binary formats: exact round trips through our writer and
 * reader, and, where Debian's python3-gensim is installed, through gensim's
 * KeyedVectors (both directions).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readWord2Vec, writeWord2Vec, type VectorTable } from '../src/export/word2vec.js';
import { InputError, OptionError } from '../src/util/errors.js';
import { rng } from './sgns-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'graphprof-w2v-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function table(n: number, dim: number): VectorTable {
  const random = rng(5);
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < vectors.length; i++) vectors[i] = (random() - 0.5) * 10 ** Math.floor(random() * 8 - 4);
  vectors[0] = 0;
  vectors[1] = -0;
  vectors[2] = 1;
  vectors[3] = 3.4e38;
  vectors[4] = 1e-40; // subnormal
  const keys = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `user:${i}` : i % 3 === 1 ? String(31336 + i) : `prodüct-${i}`));
  return { keys, vectors, dim };
}

const gensimPython = '/usr/bin/python3';
const hasGensim = (() => {
  if (!existsSync(gensimPython)) return false;
  try {
    execFileSync(gensimPython, ['-c', 'import gensim'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('word2vec formats', () => {
  for (const binary of [false, true]) {
    const name = binary ? 'binary' : 'text';
    it(`round-trips ${name} exactly`, async () => {
      const t = table(300, 17);
      const file = join(dir, `rt.${name}`);
      await writeWord2Vec(file, t, { binary });
      const back = await readWord2Vec(file, { binary });
      expect(back.dim).toBe(17);
      expect(back.keys).toEqual(t.keys);
      expect(Buffer.from(back.vectors.buffer).equals(Buffer.from(t.vectors.buffer))).toBe(true);
    });

    it.skipIf(!hasGensim)(`${name} files load in gensim and gensim's files load here`, async () => {
      const t = table(50, 8);
      const ours = join(dir, `ours.${name}`);
      const theirs = join(dir, `theirs.${name}`);
      const dump = join(dir, `dump.${name}.f32`);
      await writeWord2Vec(ours, t, { binary });
      const py = `
import sys, numpy as np
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=${binary ? 'True' : 'False'})
kv.vectors.astype(np.float32).tofile(sys.argv[3])
print(kv.vector_size, len(kv.index_to_key))
kv.save_word2vec_format(sys.argv[2], binary=${binary ? 'True' : 'False'})
`;
      const out = execFileSync(gensimPython, ['-c', py, ours, theirs, dump], { encoding: 'utf8' });
      expect(out.trim()).toBe('8 50');
      expect(readFileSync(dump).equals(Buffer.from(t.vectors.buffer))).toBe(true);
      const back = await readWord2Vec(theirs, { binary });
      expect(back.keys).toEqual(t.keys);
      expect(Buffer.from(back.vectors.buffer).equals(Buffer.from(t.vectors.buffer))).toBe(true);
    });
  }

  it('writes a chosen subset of rows to an open stream without ending it', async () => {
    const t = table(10, 3);
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await writeWord2Vec(stream, t, { rows: [4, 1] });
    expect(stream.writableEnded).toBe(false);
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('2 3');
    expect(lines[1]!.split(' ')[0]).toBe(t.keys[4]);
    expect(lines[2]!.split(' ')[0]).toBe(t.keys[1]);
  });

  it('prints floats as the export does: the fewest digits that read back (float32 0.3 as "0.3")', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await writeWord2Vec(stream, { keys: ['a'], vectors: Float32Array.of(0.3, -1.5e-7), dim: 2 });
    expect(Buffer.concat(chunks).toString('utf8')).toBe('1 2\na 0.3 -1.5e-7\n');
  });

  it('rejects keys with whitespace and malformed files, naming line and field', async () => {
    const bad: VectorTable = { keys: ['a b'], vectors: new Float32Array(2), dim: 2 };
    await expect(writeWord2Vec(join(dir, 'x'), bad)).rejects.toBeInstanceOf(OptionError);
    const file = join(dir, 'broken.txt');
    writeFileSync(file, '2 3\na 1 2 3\nb 1 x 3\n');
    await expect(readWord2Vec(file)).rejects.toThrow(/broken\.txt:3: field "value 2"/);
    writeFileSync(file, '3 3\na 1 2 3\n');
    await expect(readWord2Vec(file)).rejects.toBeInstanceOf(InputError);
    writeFileSync(file, 'two 3\n');
    await expect(readWord2Vec(file)).rejects.toThrow(/field "header"/);
    const bin = join(dir, 'broken.bin');
    writeFileSync(bin, Buffer.concat([Buffer.from('1 4\nkey '), Buffer.alloc(10)]));
    await expect(readWord2Vec(bin, { binary: true })).rejects.toThrow(/truncated/);
  });
});

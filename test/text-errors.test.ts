/**
 * The text model's failure modes each give a ModelError that says what to do:
 * missing directory or files, an ONNX file onnxruntime cannot load, a
 * tokenizer whose ids exceed the model's embedding table, and an output of a
 * shape graphprof cannot use (small ONNX graphs built with our own writer).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeModel, OnnxAttrType, OnnxDataType, type OnnxDim } from '../src/text/convert/onnx-proto.js';
import { openTextEncoder } from '../src/text/index.js';
import { ModelError } from '../src/util/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tokenStates = path.resolve(repoRoot, '../shared/models/use-lite-token-states');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'graphprof-text-err-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function modelDir(name: string): string {
  const d = path.join(tmp, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** tokenizer.json whose "▁guitar" piece has id 9000, beyond the model's 8002 embedding rows. */
function oversizedTokenizer(): string {
  const tj = JSON.parse(readFileSync(path.join(tokenStates, 'tokenizer.json'), 'utf8')) as { model: { vocab: [string, number][] } };
  const vocab = tj.model.vocab;
  const idx = vocab.findIndex(([p]) => p === '▁guitar');
  const piece = vocab[idx]!;
  vocab[idx] = ['\u0000moved\u0000', -1e9];
  while (vocab.length < 9000) vocab.push([`\u0000pad_${vocab.length}\u0000`, -1e9]);
  vocab.push(piece);
  return JSON.stringify(tj);
}

/** input_ids → float → ReduceSum over the sequence: an output of shape [batch]. */
function oneDimModel(declareShape: boolean): Uint8Array {
  const dims: OnnxDim[] = [{ dim_param: 'batch' }, { dim_param: 'sequence' }];
  return encodeModel({
    ir_version: 7,
    producer_name: 'graphprof-test',
    producer_version: '1',
    graph: {
      name: 'one_dim',
      node: [
        { op_type: 'Cast', input: ['input_ids'], output: ['f'], name: 'cast', attribute: [{ name: 'to', type: OnnxAttrType.INT, i: OnnxDataType.FLOAT }] },
        { op_type: 'ReduceSum', input: ['f', 'axes'], output: ['out'], name: 'sum', attribute: [{ name: 'keepdims', type: OnnxAttrType.INT, i: 0 }] },
      ],
      initializer: [{ name: 'axes', dims: [1], data_type: OnnxDataType.INT64, raw_data: new Uint8Array(BigInt64Array.of(1n).buffer) }],
      input: [{ name: 'input_ids', type: { tensor_type: { elem_type: OnnxDataType.INT64, shape: { dim: dims } } } }],
      output: [{ name: 'out', type: { tensor_type: { elem_type: OnnxDataType.FLOAT, shape: { dim: declareShape ? [{ dim_param: 'batch' }] : [] } } } }],
    },
    opset_import: [{ domain: '', version: 13 }],
  });
}

describe('text model errors', () => {
  it('names a missing directory and how to provide a model', async () => {
    const err = await openTextEncoder({ modelDir: path.join(tmp, 'nope') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/neither a directory nor a cached model name.*tokenizer\.json and model\.onnx/);
  });

  it('names a directory without model.onnx', async () => {
    const d = modelDir('no-onnx');
    copyFileSync(path.join(tokenStates, 'tokenizer.json'), path.join(d, 'tokenizer.json'));
    await expect(openTextEncoder({ modelDir: d })).rejects.toThrow(/has no model\.onnx/);
  });

  it('explains an ONNX file onnxruntime cannot load', async () => {
    const d = modelDir('broken');
    copyFileSync(path.join(tokenStates, 'tokenizer.json'), path.join(d, 'tokenizer.json'));
    writeFileSync(path.join(d, 'model.onnx'), Buffer.from('this is not a protobuf'));
    await expect(openTextEncoder({ modelDir: d })).rejects.toThrow(/onnxruntime cannot load .*Re-download or re-export/);
  });

  it('catches a tokenizer larger than the embedding table at run time', async () => {
    const d = modelDir('big-vocab');
    symlinkSync(path.join(tokenStates, 'model.onnx'), path.join(d, 'model.onnx'));
    writeFileSync(path.join(d, 'tokenizer.json'), oversizedTokenizer());
    const enc = await openTextEncoder({ modelDir: d });
    await expect(enc.encode(['a fine day'])).resolves.toBeInstanceOf(Float32Array);
    const err = await enc.encode(['my guitar']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/tokenizer\.json does not fit this model/);
    await enc.close();
  });

  it('catches it at open time when config.json states vocab_size', async () => {
    const d = modelDir('big-vocab-config');
    symlinkSync(path.join(tokenStates, 'model.onnx'), path.join(d, 'model.onnx'));
    writeFileSync(path.join(d, 'tokenizer.json'), oversizedTokenizer());
    writeFileSync(path.join(d, 'config.json'), JSON.stringify({ vocab_size: 8002 }));
    await expect(openTextEncoder({ modelDir: d })).rejects.toThrow(/9001 ids but the model's embedding table has 8002 rows/);
  });

  it('rejects an output that is neither [batch, dim] nor [batch, seq, dim]', async () => {
    const declared = modelDir('one-dim');
    copyFileSync(path.join(tokenStates, 'tokenizer.json'), path.join(declared, 'tokenizer.json'));
    writeFileSync(path.join(declared, 'model.onnx'), oneDimModel(true));
    await expect(openTextEncoder({ modelDir: declared })).rejects.toThrow(/has shape \[batch\]; expected \[batch, dim\] or \[batch, sequence, dim\]/);

    const undeclared = modelDir('one-dim-undeclared');
    copyFileSync(path.join(tokenStates, 'tokenizer.json'), path.join(undeclared, 'tokenizer.json'));
    writeFileSync(path.join(undeclared, 'model.onnx'), oneDimModel(false));
    await expect(openTextEncoder({ modelDir: undeclared })).rejects.toThrow(/has shape \[1\] for a batch of 1x\d+/);
  });

  it('rejects bad options by name', async () => {
    await expect(openTextEncoder({ modelDir: tokenStates, batchSize: 0 })).rejects.toThrow(/openTextEncoder: option "batchSize" is 0/);
  });
});

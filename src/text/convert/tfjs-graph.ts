/**
 * Reads a TensorFlow.js GraphModel (model.json + binary weight shards) into
 * plain typed data: the node list with decoded attributes and every weight as
 * a typed array keyed by its Const node name. Only the formats the default
 * model uses are accepted (float32 / int32 weights, no quantisation); anything
 * else is reported, not guessed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '../../util/errors.js';

/** TF DataType enum values (tensorflow/core/framework/types.proto). */
export const TfDType = { FLOAT: 1, INT32: 3, INT64: 9, BOOL: 10 } as const;

export type TfAttr =
  | { kind: 'int'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'type'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'shape'; value: number[] }
  | { kind: 'other' };

export interface TfNode {
  name: string;
  op: string;
  /** Input tensor references ("node" or "node:k"); control inputs ("^x") removed. */
  inputs: string[];
  attrs: Map<string, TfAttr>;
}

export interface TfWeight {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface TfGraph {
  nodes: TfNode[];
  weights: Map<string, TfWeight>;
}

interface RawAttrValue {
  i?: string | number;
  b?: boolean;
  f?: number;
  s?: string | number[];
  type?: string | number;
  list?: { i?: (string | number)[] };
  shape?: { dim?: { size?: string | number }[] };
}
interface RawNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, RawAttrValue>;
}
interface RawManifestEntry {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: string; quantization?: unknown }[];
}
interface RawModelJson {
  modelTopology?: { node?: RawNode[] };
  weightsManifest?: RawManifestEntry[];
}

const TF_TYPE_NAMES: Record<string, number> = { DT_FLOAT: 1, DT_INT32: 3, DT_INT64: 9, DT_BOOL: 10 };

function decodeAttr(v: RawAttrValue): TfAttr {
  if (v.i !== undefined) return { kind: 'int', value: Number(v.i) };
  if (v.b !== undefined) return { kind: 'bool', value: Boolean(v.b) };
  if (v.f !== undefined) return { kind: 'float', value: Number(v.f) };
  if (v.type !== undefined) {
    const t = typeof v.type === 'number' ? v.type : (TF_TYPE_NAMES[v.type] ?? Number(v.type));
    return { kind: 'type', value: t };
  }
  if (v.s !== undefined) {
    const s = Array.isArray(v.s) ? Buffer.from(v.s).toString('utf8') : Buffer.from(v.s, 'base64').toString('utf8');
    return { kind: 'string', value: s };
  }
  if (v.list !== undefined) return { kind: 'ints', value: (v.list.i ?? []).map(Number) };
  if (v.shape !== undefined) return { kind: 'shape', value: (v.shape.dim ?? []).map((d) => Number(d.size ?? 0)) };
  return { kind: 'other' };
}

function parseNodes(json: RawModelJson, file: string): TfNode[] {
  const raw = json.modelTopology?.node;
  if (!Array.isArray(raw) || raw.length === 0) throw new ModelError(`readTfjsGraph: ${file} has no modelTopology.node list; is it a TF.js GraphModel?`);
  return raw.map((n) => ({
    name: n.name,
    op: n.op,
    inputs: (n.input ?? []).filter((i) => !i.startsWith('^')),
    attrs: new Map(Object.entries(n.attr ?? {}).map(([k, v]) => [k, decodeAttr(v)])),
  }));
}

async function readShards(dir: string, paths: string[]): Promise<Buffer> {
  const parts = await Promise.all(paths.map((p) => readFile(path.join(dir, p))));
  return Buffer.concat(parts);
}

function sliceWeights(entry: RawManifestEntry, bytes: Buffer, out: Map<string, TfWeight>): void {
  let offset = 0;
  for (const w of entry.weights) {
    if (w.quantization !== undefined) throw new ModelError(`readTfjsGraph: weight ${w.name} is quantised; only float32/int32 weights are supported`);
    if (w.dtype !== 'float32' && w.dtype !== 'int32') throw new ModelError(`readTfjsGraph: weight ${w.name} has dtype ${w.dtype}; only float32/int32 are supported`);
    const count = w.shape.reduce((a, b) => a * b, 1);
    const byteLen = count * 4;
    if (offset + byteLen > bytes.length) throw new ModelError(`readTfjsGraph: weight shards end before weight ${w.name} (need ${offset + byteLen} bytes, have ${bytes.length})`);
    // Copy into an aligned buffer: shard offsets need not be 4-byte aligned in the Node Buffer pool.
    const copy = new Uint8Array(byteLen);
    copy.set(bytes.subarray(offset, offset + byteLen));
    const data = w.dtype === 'float32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
    out.set(w.name, { name: w.name, dtype: w.dtype, shape: w.shape.slice(), data });
    offset += byteLen;
  }
  if (offset !== bytes.length) throw new ModelError(`readTfjsGraph: weight shards hold ${bytes.length} bytes but the manifest describes ${offset}`);
}

/** Reads `dir/model.json` and its shards. */
export async function readTfjsGraph(dir: string): Promise<TfGraph> {
  const file = path.join(dir, 'model.json');
  let json: RawModelJson;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as RawModelJson;
  } catch (e) {
    throw new ModelError(`readTfjsGraph: cannot read ${file}: ${(e as Error).message}`);
  }
  const nodes = parseNodes(json, file);
  const weights = new Map<string, TfWeight>();
  for (const entry of json.weightsManifest ?? []) sliceWeights(entry, await readShards(dir, entry.paths), weights);
  return { nodes, weights };
}

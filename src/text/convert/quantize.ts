/**
 * Weight-only int8 quantization of a translated graph: every MatMul whose
 * right operand is a constant float matrix [K, N] gets int8 weights with one
 * scale per output column (symmetric, zero point 0), and its activations are
 * quantized on the fly by onnxruntime (dynamic quantization). Everything
 * else — the token-embedding table (a Gather), layer norms, softmax, the
 * activation-by-activation attention products — stays fp32.
 *
 * Each such MatMul becomes the standard-ONNX pattern
 *   DynamicQuantizeLinear(A) -> MatMulInteger(Aq, Wq, a_zero, w_zero) -> Cast(float) -> Mul(a_scale * w_scale)
 * which onnxruntime's graph optimiser fuses (with a following bias Add) into
 * one DynamicQuantizeMatMul kernel, so the file stays portable while
 * onnxruntime runs its fastest int8 path. Measured on this project's x86 CPU
 * (AVX2, no VNNI; `npm run bench:text` compares the formats): the fused
 * standard pattern runs as fast as the com.microsoft DynamicQuantizeMatMul op
 * written directly, and uint8 weights (asymmetric) are markedly slower, since
 * onnxruntime then takes its u8u8 kernel.
 *
 * A bias added after a Reshape that keeps the last axis (TF's Tensordot:
 * MatMul -> Reshape to [batch, tokens, N] -> Add(bias[N])) is moved before
 * the Reshape, which changes no value, so the fusion takes that bias in too.
 *
 * Weights use 7 of the 8 bits (|q| <= 63): onnxruntime's u8s8 kernel on AVX2
 * adds pairs of u8 x s8 products in 16 bits with saturation, and full-range
 * weights overflow there (measured: mean cosine to fp32 fell to 0.965, against
 * 0.9986 with 7-bit weights). This is onnxruntime's own `reduce_range` advice.
 */
import { OnnxAttrType, OnnxDataType, type OnnxGraph, type OnnxNode, type OnnxTensor } from './onnx-proto.js';

/** Largest |q| of a weight: 7-bit range, see the file comment. */
export const WEIGHT_QMAX = 63;

export interface QuantizeResult {
  graph: OnnxGraph;
  /** MatMuls given int8 weights. */
  matmuls: number;
  /** Weight values quantized (sum of K x N). */
  weights: number;
}

export interface QuantizedMatrix {
  /** Row-major [K, N] int8 values. */
  q: Int8Array;
  /** One scale per column: w ≈ q * scale[n]. */
  scale: Float32Array;
}

/** Symmetric per-column quantization of a row-major [K, N] matrix. */
export function quantizePerColumn(w: Float32Array, k: number, n: number, qmax = WEIGHT_QMAX): QuantizedMatrix {
  const maxAbs = new Float32Array(n);
  for (let r = 0; r < k; r++) {
    const row = r * n;
    for (let c = 0; c < n; c++) {
      const a = Math.abs(w[row + c]!);
      if (a > maxAbs[c]!) maxAbs[c] = a;
    }
  }
  const scale = Float32Array.from(maxAbs, (m) => (m > 0 ? m / qmax : 1));
  const q = new Int8Array(k * n);
  for (let r = 0; r < k; r++) {
    const row = r * n;
    for (let c = 0; c < n; c++) {
      const v = Math.round(w[row + c]! / scale[c]!);
      q[row + c] = v > qmax ? qmax : v < -qmax ? -qmax : v;
    }
  }
  return { q, scale };
}

function floatsOf(t: OnnxTensor): Float32Array | undefined {
  if (t.data_type !== OnnxDataType.FLOAT || !t.raw_data) return undefined;
  const raw = t.raw_data;
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

const bytesOf = (a: Int8Array | Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The graph with int8 weights for every MatMul by a constant float matrix; the input graph is not modified. */
export function quantizeMatMulWeights(graph: OnnxGraph): QuantizeResult {
  const initializers = new Map(graph.initializer.map((t) => [t.name, t]));
  const added: OnnxTensor[] = [];
  const nodes: OnnxNode[] = [];
  let matmuls = 0;
  let weights = 0;
  for (const node of graph.node) {
    const w = node.op_type === 'MatMul' && (node.domain ?? '') === '' ? initializers.get(node.input[1]!) : undefined;
    const data = w && w.dims.length === 2 ? floatsOf(w) : undefined;
    if (!w || !data) {
      nodes.push(node);
      continue;
    }
    const [k, n] = w.dims as [number, number];
    const { q, scale } = quantizePerColumn(data, k, n);
    const p = `${node.name}/int8`;
    added.push(
      { name: `${p}/weight`, dims: [k, n], data_type: OnnxDataType.INT8, raw_data: bytesOf(q) },
      { name: `${p}/weight_scale`, dims: [n], data_type: OnnxDataType.FLOAT, raw_data: bytesOf(scale) },
      { name: `${p}/weight_zero`, dims: [n], data_type: OnnxDataType.INT8, raw_data: new Uint8Array(n) },
    );
    const a = node.input[0]!;
    nodes.push(
      { op_type: 'DynamicQuantizeLinear', input: [a], output: [`${p}/a`, `${p}/a_scale`, `${p}/a_zero`], name: `${p}/quantize_a`, attribute: [] },
      { op_type: 'MatMulInteger', input: [`${p}/a`, `${p}/weight`, `${p}/a_zero`, `${p}/weight_zero`], output: [`${p}/acc`], name: `${p}/matmul`, attribute: [] },
      { op_type: 'Cast', input: [`${p}/acc`], output: [`${p}/acc_float`], name: `${p}/cast`, attribute: [{ name: 'to', type: OnnxAttrType.INT, i: OnnxDataType.FLOAT }] },
      { op_type: 'Mul', input: [`${p}/a_scale`, `${p}/weight_scale`], output: [`${p}/scale`], name: `${p}/scale`, attribute: [] },
      { op_type: 'Mul', input: [`${p}/acc_float`, `${p}/scale`], output: node.output, name: node.name, attribute: [] },
    );
    matmuls++;
    weights += k * n;
  }
  const all = [...graph.initializer, ...added];
  const moved = moveBiasBeforeReshape(nodes, new Map(all.map((t) => [t.name, t])));
  const used = new Set(moved.flatMap((nd) => nd.input));
  return {
    graph: { ...graph, node: moved, initializer: all.filter((t) => used.has(t.name)) },
    matmuls,
    weights,
  };
}

function int64Values(t: OnnxTensor | undefined): bigint[] | undefined {
  if (!t || t.data_type !== OnnxDataType.INT64 || !t.raw_data) return undefined;
  const r = t.raw_data;
  return Array.from(new BigInt64Array(r.buffer.slice(r.byteOffset, r.byteOffset + r.byteLength)));
}

/**
 * Reshape(x, Concat(..., [N])) -> Add(·, b[N]) becomes Add(x, b) -> Reshape(·, same shape)
 * when each intermediate has that one consumer: the Reshape's last axis is N,
 * so adding b per row before or after it gives the same values.
 */
function moveBiasBeforeReshape(nodes: OnnxNode[], initializers: Map<string, OnnxTensor>): OnnxNode[] {
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of nodes) {
    for (const o of n.output) producer.set(o, n);
    for (const i of n.input) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  }
  const replaced = new Map<OnnxNode, OnnxNode[]>();
  for (const reshape of nodes) {
    if (reshape.op_type !== 'Reshape') continue;
    const [x, shape] = reshape.input as [string, string];
    const out = reshape.output[0]!;
    const add = consumers.get(out);
    const concat = producer.get(shape);
    if (!add || add.length !== 1 || add[0]!.op_type !== 'Add' || consumers.get(x)?.length !== 1 || concat?.op_type !== 'Concat') continue;
    const bias = initializers.get(add[0]!.input[add[0]!.input[0] === out ? 1 : 0]!);
    const last = int64Values(initializers.get(concat.input[concat.input.length - 1]!));
    if (!bias || bias.data_type !== OnnxDataType.FLOAT || bias.dims.length !== 1 || !last || last.length !== 1 || last[0] !== BigInt(bias.dims[0]!)) continue;
    const a = add[0]!;
    const biased = `${a.name}/before_reshape`;
    replaced.set(reshape, [
      { ...a, input: [x, bias.name], output: [biased] },
      { ...reshape, input: [biased, shape], output: a.output },
    ]);
    replaced.set(a, []);
  }
  return nodes.flatMap((n) => replaced.get(n) ?? [n]);
}

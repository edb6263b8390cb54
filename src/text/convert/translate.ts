/**
 * Translates the TF.js GraphModel of Universal Sentence Encoder lite into an
 * ONNX opset-13 graph, op by op. The TF graph takes sparse inputs
 * (`indices` = [row, position] of every real token, `values` = token ids); the
 * ONNX graph takes the usual dense `input_ids` + `attention_mask` and rebuilds
 * the sparse pair inside the graph (NonZero + GatherND), so callers feed it
 * like any Hugging Face export. Attribute-like inputs (axes, perms, slice
 * bounds) must be constants of the TF graph; the translator reads them at
 * conversion time and refuses graphs where they are not, rather than guessing.
 *
 * Op mapping (TF → ONNX): int32 tensors become int64; Conv2D 1x1 → MatMul with
 * the kernel reshaped to [in, out]; SparseToDense → Expand + ScatterND;
 * ScatterNd → ConstantOfShape + ScatterND; Where → NonZero + Transpose;
 * StridedSlice/Slice → Slice (+ Squeeze for shrink axes); Pack → Unsqueeze +
 * Concat; Rsqrt → Reciprocal(Sqrt); Square → Mul(x, x); BiasAdd → Add;
 * BatchMatMul adj_x/adj_y → Transpose of the last two axes + MatMul;
 * Max/Mean/Prod → ReduceMax/ReduceMean/ReduceProd; Sum → ReduceSum.
 */
import { ModelError } from '../../util/errors.js';
import { OnnxAttrType, OnnxDataType, type OnnxAttribute, type OnnxGraph, type OnnxNode, type OnnxTensor } from './onnx-proto.js';
import { TfDType, type TfAttr, type TfGraph, type TfNode, type TfWeight } from './tfjs-graph.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export const INPUT_IDS = 'input_ids';
export const ATTENTION_MASK = 'attention_mask';
export const OUTPUT_NAME = 'embeddings';

function fail(node: TfNode, reason: string): never {
  throw new ModelError(`translateTfGraph: node ${node.name} (${node.op}): ${reason}`);
}

function i64Bytes(values: readonly (number | bigint)[]): Uint8Array {
  const arr = BigInt64Array.from(values, (v) => BigInt(v));
  return new Uint8Array(arr.buffer);
}

function onnxTypeOfTf(t: number, node: TfNode): number {
  if (t === TfDType.FLOAT) return OnnxDataType.FLOAT;
  if (t === TfDType.INT32 || t === TfDType.INT64) return OnnxDataType.INT64;
  if (t === TfDType.BOOL) return OnnxDataType.BOOL;
  return fail(node, `unsupported TF dtype ${t}`);
}

const attrInt = (name: string, i: number): OnnxAttribute => ({ name, type: OnnxAttrType.INT, i });
const attrInts = (name: string, ints: number[]): OnnxAttribute => ({ name, type: OnnxAttrType.INTS, ints });

/** Builds the ONNX node/initializer lists; TF tensor refs map to ONNX value names. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly emitted = new Set<string>();
  private aux = 0;

  constructor(private readonly weights: Map<string, TfWeight>) {}

  node(op: string, inputs: string[], outputs: string[], name: string, attribute: OnnxAttribute[] = []): string[] {
    this.nodes.push({ op_type: op, input: inputs, output: outputs, name, attribute });
    return outputs;
  }

  /** A one-output helper node whose output name derives from `base`. */
  tmp(op: string, inputs: string[], base: string, attribute: OnnxAttribute[] = []): string {
    const out = `${base}/onnx_${op}_${this.aux++}`;
    this.node(op, inputs, [out], out, attribute);
    return out;
  }

  i64(base: string, values: readonly (number | bigint)[], dims: number[] = [values.length]): string {
    const name = `${base}/onnx_const_${this.aux++}`;
    this.initializers.push({ name, dims, data_type: OnnxDataType.INT64, raw_data: i64Bytes(values) });
    return name;
  }

  /** Emits a TF Const as an initializer on first use (int32 widened to int64). */
  constTensor(name: string, dims?: number[]): string {
    const w = this.weights.get(name);
    if (!w) throw new ModelError(`translateTfGraph: Const ${name} has no weight in the manifest`);
    const outName = dims ? `${name}/onnx_reshaped` : name;
    if (this.emitted.has(outName)) return outName;
    this.emitted.add(outName);
    const raw = w.dtype === 'float32' ? new Uint8Array(w.data.buffer.slice(0)) : i64Bytes(Array.from(w.data));
    const dataType = w.dtype === 'float32' ? OnnxDataType.FLOAT : OnnxDataType.INT64;
    this.initializers.push({ name: outName, dims: dims ?? w.shape, data_type: dataType, raw_data: raw });
    return outName;
  }
}

interface TranslateContext {
  graph: TfGraph;
  b: GraphBuilder;
  producers: Map<string, TfNode>;
  /** TF node name → ONNX names of its outputs. */
  outputs: Map<string, string[]>;
}

function baseName(ref: string): { node: string; index: number } {
  const m = /^(.*):(\d+)$/.exec(ref);
  return m ? { node: m[1]!, index: Number(m[2]) } : { node: ref, index: 0 };
}

function tensor(ctx: TranslateContext, ref: string): string {
  const { node, index } = baseName(ref);
  const producer = ctx.producers.get(node);
  if (producer?.op === 'Const') return ctx.b.constTensor(node);
  const outs = ctx.outputs.get(node);
  const out = outs?.[index];
  if (out === undefined) throw new ModelError(`translateTfGraph: tensor ${ref} is used before it is produced`);
  return out;
}

function constInts(ctx: TranslateContext, n: TfNode, inputIndex: number): number[] {
  const ref = n.inputs[inputIndex];
  const w = ref === undefined ? undefined : ctx.graph.weights.get(baseName(ref).node);
  if (!w || w.dtype !== 'int32') return fail(n, `input ${inputIndex} must be an int32 constant`);
  return Array.from(w.data);
}

function attr(n: TfNode, key: string): TfAttr | undefined {
  return n.attrs.get(key);
}
function attrNum(n: TfNode, key: string, dflt: number): number {
  const a = attr(n, key);
  if (a === undefined) return dflt;
  if (a.kind === 'int' || a.kind === 'type' || a.kind === 'float') return a.value;
  return fail(n, `attribute ${key} is not a number`);
}
function attrBool(n: TfNode, key: string): boolean {
  const a = attr(n, key);
  return a !== undefined && a.kind === 'bool' && a.value;
}

/** Static rank of a TF tensor, for ops whose ONNX form needs it (transposes of the last two axes). */
function rankOf(ctx: TranslateContext, ref: string, depth = 0): number {
  const { node } = baseName(ref);
  const n = ctx.producers.get(node);
  if (!n || depth > 64) throw new ModelError(`translateTfGraph: cannot infer the rank of ${ref}`);
  const w = ctx.graph.weights.get(node);
  if (n.op === 'Const' && w) return w.shape.length;
  const rankIn = (i: number): number => rankOf(ctx, n.inputs[i]!, depth + 1);
  switch (n.op) {
    case 'Transpose':
      return constInts(ctx, n, 1).length;
    case 'Add': case 'AddV2': case 'Sub': case 'Mul': case 'RealDiv': case 'Maximum': case 'BiasAdd':
    case 'BatchMatMul': case 'BatchMatMulV2':
      return Math.max(rankIn(0), rankIn(1));
    case 'Softmax': case 'Relu': case 'Tanh': case 'Cast': case 'Square': case 'Rsqrt': case 'Sin': case 'Cos': case 'Identity':
      return rankIn(0);
    case 'ExpandDims':
      return rankIn(0) + 1;
    case 'Reshape': {
      const shapeNode = ctx.producers.get(baseName(n.inputs[1]!).node);
      if (shapeNode?.op === 'Pack') return shapeNode.inputs.length;
      const sw = ctx.graph.weights.get(baseName(n.inputs[1]!).node);
      if (sw) return sw.data.length;
      break;
    }
  }
  throw new ModelError(`translateTfGraph: cannot infer the rank of ${ref} (produced by ${n.op})`);
}

type OpTranslator = (ctx: TranslateContext, n: TfNode, ins: () => string[]) => string[];

const simple = (onnxOp: string): OpTranslator => (ctx, n, ins) => ctx.b.node(onnxOp, ins(), [n.name], n.name);

function reduceWithAttr(onnxOp: string): OpTranslator {
  return (ctx, n) => {
    const axes = constInts(ctx, n, 1);
    const keep = attrBool(n, 'keep_dims') ? 1 : 0;
    return ctx.b.node(onnxOp, [tensor(ctx, n.inputs[0]!)], [n.name], n.name, [attrInts('axes', axes), attrInt('keepdims', keep)]);
  };
}

function stridedSlice(ctx: TranslateContext, n: TfNode): string[] {
  if (attrNum(n, 'ellipsis_mask', 0) !== 0 || attrNum(n, 'new_axis_mask', 0) !== 0) fail(n, 'ellipsis_mask/new_axis_mask are not supported');
  const begin = constInts(ctx, n, 1);
  const end = constInts(ctx, n, 2);
  const strides = constInts(ctx, n, 3);
  const beginMask = attrNum(n, 'begin_mask', 0);
  const endMask = attrNum(n, 'end_mask', 0);
  const shrinkMask = attrNum(n, 'shrink_axis_mask', 0);
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const squeeze: number[] = [];
  for (let i = 0; i < begin.length; i++) {
    const bit = 1 << i;
    const step = strides[i]!;
    if (shrinkMask & bit) {
      if (step !== 1) fail(n, `shrink axis ${i} with stride ${step}`);
      starts.push(BigInt(begin[i]!));
      ends.push(begin[i] === -1 ? INT64_MAX : BigInt(begin[i]! + 1));
      squeeze.push(i);
      continue;
    }
    starts.push(beginMask & bit ? (step > 0 ? 0n : INT64_MAX) : BigInt(begin[i]!));
    ends.push(endMask & bit ? (step > 0 ? INT64_MAX : INT64_MIN) : BigInt(end[i]!));
  }
  const axes = begin.map((_, i) => i);
  const x = tensor(ctx, n.inputs[0]!);
  const sliceIns = [x, ctx.b.i64(n.name, starts), ctx.b.i64(n.name, ends), ctx.b.i64(n.name, axes), ctx.b.i64(n.name, strides)];
  if (squeeze.length === 0) return ctx.b.node('Slice', sliceIns, [n.name], n.name);
  const sliced = ctx.b.tmp('Slice', sliceIns, n.name);
  return ctx.b.node('Squeeze', [sliced, ctx.b.i64(n.name, squeeze)], [n.name], n.name);
}

function tfSlice(ctx: TranslateContext, n: TfNode): string[] {
  const begin = constInts(ctx, n, 1);
  const size = constInts(ctx, n, 2);
  const ends = size.map((s, i) => (s === -1 ? INT64_MAX : BigInt(begin[i]! + s)));
  const axes = begin.map((_, i) => i);
  return ctx.b.node('Slice', [tensor(ctx, n.inputs[0]!), ctx.b.i64(n.name, begin), ctx.b.i64(n.name, ends), ctx.b.i64(n.name, axes)], [n.name], n.name);
}

function swapLastTwo(ctx: TranslateContext, n: TfNode, ref: string): string {
  const r = rankOf(ctx, ref);
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 1] = r - 2;
  perm[r - 2] = r - 1;
  return ctx.b.tmp('Transpose', [tensor(ctx, ref)], n.name, [attrInts('perm', perm)]);
}

function matMul(ctx: TranslateContext, n: TfNode, adjA: string, adjB: string): string[] {
  const a = attrBool(n, adjA) ? swapLastTwo(ctx, n, n.inputs[0]!) : tensor(ctx, n.inputs[0]!);
  const b = attrBool(n, adjB) ? swapLastTwo(ctx, n, n.inputs[1]!) : tensor(ctx, n.inputs[1]!);
  return ctx.b.node('MatMul', [a, b], [n.name], n.name);
}

function conv2d1x1(ctx: TranslateContext, n: TfNode): string[] {
  const kernelName = baseName(n.inputs[1]!).node;
  const w = ctx.graph.weights.get(kernelName);
  if (!w || w.shape.length !== 4 || w.shape[0] !== 1 || w.shape[1] !== 1) fail(n, 'only 1x1 Conv2D with a constant kernel is supported');
  const fmt = attr(n, 'data_format');
  if (fmt && fmt.kind === 'string' && fmt.value !== 'NHWC') fail(n, `data_format ${fmt.value}`);
  const strides = attr(n, 'strides');
  if (strides && strides.kind === 'ints' && strides.value.some((s) => s !== 1)) fail(n, 'strides other than 1');
  const dil = attr(n, 'dilations');
  if (dil && dil.kind === 'ints' && dil.value.some((s) => s !== 1)) fail(n, 'dilations other than 1');
  // A 1x1 NHWC convolution is a matmul over the channel axis.
  const kernel = ctx.b.constTensor(kernelName, [w.shape[2]!, w.shape[3]!]);
  return ctx.b.node('MatMul', [tensor(ctx, n.inputs[0]!), kernel], [n.name], n.name);
}

function pack(ctx: TranslateContext, n: TfNode, ins: () => string[]): string[] {
  const axis = attrNum(n, 'axis', 0);
  const axesInit = ctx.b.i64(n.name, [axis]);
  const parts = ins().map((x) => ctx.b.tmp('Unsqueeze', [x, axesInit], n.name));
  return ctx.b.node('Concat', parts, [n.name], n.name, [attrInt('axis', axis)]);
}

function scatterNd(ctx: TranslateContext, n: TfNode): string[] {
  const t = onnxTypeOfTf(attrNum(n, 'T', TfDType.FLOAT), n);
  const zero: OnnxTensor = { name: '', dims: [1], data_type: t, raw_data: t === OnnxDataType.FLOAT ? new Uint8Array(4) : new Uint8Array(8) };
  const zeros = ctx.b.tmp('ConstantOfShape', [tensor(ctx, n.inputs[2]!)], n.name, [{ name: 'value', type: OnnxAttrType.TENSOR, t: zero }]);
  return ctx.b.node('ScatterND', [zeros, tensor(ctx, n.inputs[0]!), tensor(ctx, n.inputs[1]!)], [n.name], n.name);
}

function sparseToDense(ctx: TranslateContext, n: TfNode): string[] {
  const [idx, shape, values, dflt] = n.inputs.map((r) => tensor(ctx, r));
  const dense = ctx.b.tmp('Expand', [dflt!, shape!], n.name);
  return ctx.b.node('ScatterND', [dense, idx!, values!], [n.name], n.name);
}

function splitV(ctx: TranslateContext, n: TfNode): string[] {
  const sizes = constInts(ctx, n, 1);
  if (sizes.some((s) => s < 0)) fail(n, 'size_splits with -1 is not supported');
  const axis = constInts(ctx, n, 2)[0]!;
  const outs = sizes.map((_, i) => (i === 0 ? n.name : `${n.name}:${i}`));
  return ctx.b.node('Split', [tensor(ctx, n.inputs[0]!), ctx.b.i64(n.name, sizes)], outs, n.name, [attrInt('axis', axis)]);
}

const TRANSLATORS: Record<string, OpTranslator> = {
  Add: simple('Add'),
  AddV2: simple('Add'),
  BiasAdd: simple('Add'),
  Sub: simple('Sub'),
  Mul: simple('Mul'),
  RealDiv: simple('Div'),
  Maximum: simple('Max'),
  Less: simple('Less'),
  Greater: simple('Greater'),
  LogicalNot: simple('Not'),
  Sin: simple('Sin'),
  Cos: simple('Cos'),
  Tanh: simple('Tanh'),
  Relu: simple('Relu'),
  Softmax: simple('Softmax'),
  Shape: simple('Shape'),
  Identity: simple('Identity'),
  GatherNd: simple('GatherND'),
  Range: simple('Range'),
  Reshape: simple('Reshape'),
  Square: (ctx, n, ins) => {
    const x = ins()[0]!;
    return ctx.b.node('Mul', [x, x], [n.name], n.name);
  },
  Rsqrt: (ctx, n, ins) => ctx.b.node('Reciprocal', [ctx.b.tmp('Sqrt', ins(), n.name)], [n.name], n.name),
  Cast: (ctx, n, ins) => ctx.b.node('Cast', ins(), [n.name], n.name, [attrInt('to', onnxTypeOfTf(attrNum(n, 'DstT', 0), n))]),
  Where: (ctx, n, ins) => {
    if (n.inputs.length !== 1) fail(n, 'only the one-input form of Where is supported');
    const nz = ctx.b.tmp('NonZero', ins(), n.name);
    return ctx.b.node('Transpose', [nz], [n.name], n.name, [attrInts('perm', [1, 0])]);
  },
  GatherV2: (ctx, n) => {
    if (attrNum(n, 'batch_dims', 0) !== 0) fail(n, 'batch_dims other than 0');
    const axis = constInts(ctx, n, 2)[0]!;
    return ctx.b.node('Gather', [tensor(ctx, n.inputs[0]!), tensor(ctx, n.inputs[1]!)], [n.name], n.name, [attrInt('axis', axis)]);
  },
  Max: reduceWithAttr('ReduceMax'),
  Mean: reduceWithAttr('ReduceMean'),
  Prod: reduceWithAttr('ReduceProd'),
  Sum: (ctx, n) => {
    const keep = attrBool(n, 'keep_dims') ? 1 : 0;
    const axes = ctx.b.i64(n.name, constInts(ctx, n, 1));
    return ctx.b.node('ReduceSum', [tensor(ctx, n.inputs[0]!), axes], [n.name], n.name, [attrInt('keepdims', keep)]);
  },
  ConcatV2: (ctx, n) => {
    const axis = constInts(ctx, n, n.inputs.length - 1)[0]!;
    const parts = n.inputs.slice(0, -1).map((r) => tensor(ctx, r));
    return ctx.b.node('Concat', parts, [n.name], n.name, [attrInt('axis', axis)]);
  },
  ExpandDims: (ctx, n) => ctx.b.node('Unsqueeze', [tensor(ctx, n.inputs[0]!), ctx.b.i64(n.name, constInts(ctx, n, 1))], [n.name], n.name),
  Squeeze: (ctx, n) => {
    const a = attr(n, 'squeeze_dims');
    const dims = a && a.kind === 'ints' ? a.value : [];
    const ins = [tensor(ctx, n.inputs[0]!)];
    if (dims.length > 0) ins.push(ctx.b.i64(n.name, dims));
    return ctx.b.node('Squeeze', ins, [n.name], n.name);
  },
  Transpose: (ctx, n) => ctx.b.node('Transpose', [tensor(ctx, n.inputs[0]!)], [n.name], n.name, [attrInts('perm', constInts(ctx, n, 1))]),
  StridedSlice: stridedSlice,
  Slice: tfSlice,
  MatMul: (ctx, n) => matMul(ctx, n, 'transpose_a', 'transpose_b'),
  BatchMatMul: (ctx, n) => matMul(ctx, n, 'adj_x', 'adj_y'),
  BatchMatMulV2: (ctx, n) => matMul(ctx, n, 'adj_x', 'adj_y'),
  Conv2D: conv2d1x1,
  Pack: pack,
  ScatterNd: scatterNd,
  SparseToDense: sparseToDense,
  SplitV: splitV,
};

/** Nodes needed for `sink`, producers first (depth-first post-order). */
function topoOrder(sink: TfNode, producers: Map<string, TfNode>): TfNode[] {
  const order: TfNode[] = [];
  const state = new Map<string, 1 | 2>();
  const stack: { node: TfNode; next: number }[] = [{ node: sink, next: 0 }];
  state.set(sink.name, 1);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.node.inputs.length) {
      const dep = producers.get(baseName(top.node.inputs[top.next++]!).node);
      if (!dep) throw new ModelError(`translateTfGraph: node ${top.node.name} reads an unknown tensor ${top.node.inputs[top.next - 1]}`);
      const s = state.get(dep.name);
      if (s === 1) throw new ModelError(`translateTfGraph: the graph has a cycle through ${dep.name}`);
      if (s === undefined) {
        state.set(dep.name, 1);
        stack.push({ node: dep, next: 0 });
      }
      continue;
    }
    state.set(top.node.name, 2);
    order.push(top.node);
    stack.pop();
  }
  return order;
}

function findSink(graph: TfGraph): TfNode {
  const consumed = new Set<string>();
  for (const n of graph.nodes) for (const i of n.inputs) consumed.add(baseName(i).node);
  const sinks = graph.nodes.filter((n) => !consumed.has(n.name) && n.op !== 'Const' && n.op !== 'Placeholder');
  if (sinks.length !== 1) throw new ModelError(`translateTfGraph: expected one output node, found ${sinks.length} (${sinks.map((s) => s.name).join(', ')})`);
  return sinks[0]!;
}

/** Length of the bias of the last BiasAdd before the output: the embedding size. */
function outputDim(graph: TfGraph, sink: TfNode, producers: Map<string, TfNode>): number | undefined {
  let n: TfNode | undefined = sink;
  for (let guard = 0; n && guard < 64; guard++) {
    if (n.op === 'BiasAdd') return graph.weights.get(baseName(n.inputs[1]!).node)?.shape[0];
    n = n.inputs[0] === undefined ? undefined : producers.get(baseName(n.inputs[0]).node);
  }
  return undefined;
}

/** Rebuilds the TF graph's sparse placeholders from dense ids + mask. */
function addSparseInputs(ctx: TranslateContext): void {
  const placeholders = ctx.graph.nodes.filter((n) => n.op === 'Placeholder').map((n) => n.name).sort();
  if (placeholders.join(',') !== 'indices,values') {
    throw new ModelError(`translateTfGraph: expected the placeholders "indices" and "values" of USE-lite, found ${placeholders.join(', ')}`);
  }
  const nz = ctx.b.tmp('NonZero', [ATTENTION_MASK], 'inputs');
  const indices = ctx.b.node('Transpose', [nz], ['indices'], 'indices', [attrInts('perm', [1, 0])]);
  ctx.b.node('GatherND', [INPUT_IDS, indices[0]!], ['values'], 'values');
  ctx.outputs.set('indices', ['indices']);
  ctx.outputs.set('values', ['values']);
}

const dynamic2d = (elem: number) => ({ tensor_type: { elem_type: elem, shape: { dim: [{ dim_param: 'batch' }, { dim_param: 'sequence' }] } } });

export function translateTfGraph(graph: TfGraph, graphName: string): OnnxGraph {
  const producers = new Map(graph.nodes.map((n) => [n.name, n]));
  const ctx: TranslateContext = { graph, b: new GraphBuilder(graph.weights), producers, outputs: new Map() };
  addSparseInputs(ctx);
  const sink = findSink(graph);
  for (const n of topoOrder(sink, producers)) {
    if (n.op === 'Const' || n.op === 'Placeholder') continue;
    const tr = TRANSLATORS[n.op];
    if (!tr) fail(n, 'op not supported by the translator');
    ctx.outputs.set(n.name, tr(ctx, n, () => n.inputs.map((r) => tensor(ctx, r))));
  }
  ctx.b.node('Identity', [tensor(ctx, sink.name)], [OUTPUT_NAME], OUTPUT_NAME);
  const dim = outputDim(graph, sink, producers);
  return {
    name: graphName,
    node: ctx.b.nodes,
    initializer: ctx.b.initializers,
    input: [
      { name: INPUT_IDS, type: dynamic2d(OnnxDataType.INT64) },
      { name: ATTENTION_MASK, type: dynamic2d(OnnxDataType.INT64) },
    ],
    output: [
      {
        name: OUTPUT_NAME,
        type: { tensor_type: { elem_type: OnnxDataType.FLOAT, shape: { dim: [{ dim_param: 'batch' }, dim === undefined ? { dim_param: 'dim' } : { dim_value: dim }] } } },
      },
    ],
  };
}

/**
 * Moves USE-lite's last linear projection behind its mean pooling, an exact
 * rewrite (up to float rounding) that removes 17% of the per-token
 * multiply-adds. The translated graph ends
 *   f_i = W2 · r_i + b2                (FFN conv2 of the last layer, per gathered token i)
 *   y_t = x_t + scatter(f)_t           (residual; scatter puts f_i at its (row, position), zeros elsewhere)
 *   sum_b = Σ_t m_bt · y_bt            (m = SequenceMask as float; then divided by the length)
 * and since W2 is linear,
 *   sum_b = Σ_t m_bt · x_bt + W2 · (Σ_i S_bi · r_i) + b2 · Σ_i S_bi,   S_bi = [row_i = b] · m(row_i, position_i),
 * so conv2 runs on one row per text instead of one per token. `S` is built
 * from the same gather indices the graph scatters with, so tokens the
 * sequence mask excludes stay excluded. Used for the int8 model only (the fp32
 * file stays the reference translation, byte for byte); `bench:text` measures
 * what it saves. The rewrite is keyed to the TF name scopes of USE-lite and
 * refuses a graph that does not have them.
 */
import { ModelError } from '../../util/errors.js';
import { OnnxAttrType, OnnxDataType, type OnnxGraph, type OnnxNode, type OnnxTensor } from './onnx-proto.js';

const KONA = 'module_apply_default/Encoder_en/KonaTransformer/';
const LAST_LAYER = `${KONA}Encode/TransformerStack/Layer_1/TransformerLayer/`;
const OUT = `${KONA}PooledProjection/`;

function i64Scalar(name: string, v: number, dims: number[]): OnnxTensor {
  return { name, dims, data_type: OnnxDataType.INT64, raw_data: new Uint8Array(BigInt64Array.of(BigInt(v)).buffer) };
}

/** Nodes whose outputs the graph outputs need, in order; initializers they read. */
function withoutDeadNodes(graph: OnnxGraph): OnnxGraph {
  const needed = new Set(graph.output.map((o) => o.name));
  const kept: OnnxNode[] = [];
  for (let i = graph.node.length - 1; i >= 0; i--) {
    const n = graph.node[i]!;
    if (!n.output.some((o) => needed.has(o))) continue;
    kept.push(n);
    for (const x of n.input) needed.add(x);
  }
  return { ...graph, node: kept.reverse(), initializer: graph.initializer.filter((t) => needed.has(t.name)) };
}

/** The USE-lite graph with its last FFN projection applied after mean pooling; the input graph is not modified. */
export function poolBeforeLastProjection(graph: OnnxGraph): OnnxGraph {
  const byName = new Map(graph.node.map((n) => [n.name, n]));
  const find = (name: string, op: string): OnnxNode => {
    const n = byName.get(name);
    if (!n || n.op_type !== op) throw new ModelError(`poolBeforeLastProjection: the graph has no ${op} node ${name}; this rewrite fits only the translated USE-lite graph`);
    return n;
  };
  const conv2 = find(`${LAST_LAYER}FFN/conv2/Tensordot/MatMul`, 'MatMul');
  const bias = find(`${LAST_LAYER}FFN/conv2/BiasAdd`, 'Add');
  const scatter = find(`${LAST_LAYER}FFN/Scatter/ScatterNd`, 'ScatterND');
  const residual = find(`${LAST_LAYER}FFN/layer_postprocess/add`, 'Add');
  const masked = find(`${KONA}mul`, 'Mul');
  const sum = find(`${KONA}Sum`, 'ReduceSum');
  const maskFloat = find(`${KONA}ToFloat`, 'Cast').output[0]!;
  const mask3 = find(`${KONA}ExpandDims`, 'Unsqueeze').output[0]!;
  const tokens = conv2.input[0]!;
  const w2 = conv2.input[1]!;
  const constants = new Set(graph.initializer.map((t) => t.name));
  const b2 = bias.input.find((i) => constants.has(i));
  if (!b2 || !constants.has(w2)) throw new ModelError(`poolBeforeLastProjection: ${conv2.name} / ${bias.name} have no constant weight / bias`);
  const indices = scatter.input[1]!;
  const x = residual.input.find((i) => i !== scatter.output[0])!;
  if (!masked.input.includes(residual.output[0]!) || sum.input[0] !== masked.output[0] || !masked.input.includes(mask3)) {
    throw new ModelError(`poolBeforeLastProjection: ${sum.name} does not sum ${residual.name} masked by ${mask3}; the graph is not the translated USE-lite graph`);
  }
  const node = (op: string, input: string[], out: string, attribute: OnnxNode['attribute'] = []): OnnxNode => ({ op_type: op, input, output: [OUT + out], name: OUT + out, attribute });
  const int = (name: string, i: number) => ({ name, type: OnnxAttrType.INT, i });
  const v = (s: string): string => OUT + s;
  const pooled: OnnxNode[] = [
    // S[b, i] = [row_i = b] * mask[row_i, position_i]
    node('GatherND', [maskFloat, indices], 'token_mask'),
    node('Gather', [indices, v('zero')], 'token_row', [int('axis', 1)]),
    node('Shape', [maskFloat], 'mask_shape'),
    node('Gather', [v('mask_shape'), v('zero')], 'rows', [int('axis', 0)]),
    node('Range', [v('zero'), v('rows'), v('one')], 'row_ids'),
    node('Unsqueeze', [v('row_ids'), v('axis1')], 'row_column'),
    node('Equal', [v('row_column'), v('token_row')], 'row_match'),
    node('Cast', [v('row_match')], 'row_match_float', [int('to', OnnxDataType.FLOAT)]),
    node('Mul', [v('row_match_float'), v('token_mask')], 'selection'),
    // W2 · (S r) + b2 · (S 1)
    node('MatMul', [v('selection'), tokens], 'pooled_tokens'),
    node('MatMul', [v('pooled_tokens'), w2], 'projected'),
    node('ReduceSum', [v('selection'), v('axis1')], 'token_count', [int('keepdims', 1)]),
    node('Mul', [v('token_count'), b2], 'bias'),
    node('Add', [v('projected'), v('bias')], 'ffn'),
    // Σ_t m · x
    node('Mul', [x, mask3], 'masked_residual'),
    node('ReduceSum', [v('masked_residual'), v('axis1')], 'residual', [int('keepdims', 0)]),
    { op_type: 'Add', input: [v('residual'), v('ffn')], output: sum.output, name: sum.name, attribute: [] },
  ];
  const nodes = graph.node.flatMap((n): OnnxNode[] => {
    if (n === sum) return pooled;
    // Shapes taken of the removed sum's input are the residual's (same [batch, tokens, dim]).
    if (n.op_type === 'Shape' && n.input[0] === residual.output[0]) return [{ ...n, input: [x] }];
    return [n];
  });
  return withoutDeadNodes({
    ...graph,
    node: nodes,
    initializer: [...graph.initializer, i64Scalar(v('zero'), 0, []), i64Scalar(v('one'), 1, []), i64Scalar(v('axis1'), 1, [1])],
  });
}

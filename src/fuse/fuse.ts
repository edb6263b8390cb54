/**
 * Fusion of graph and text vectors into one profile vector per user/product.
 *
 * fused = [ sqrt(1 - w) * ĝ , sqrt(w) * t̂ ]  with ĝ, t̂ the L2-normalised parts and
 * w the text weight. Fused vectors are unit length and their dot product is
 * (1 - w) cos(graph) + w cos(text): the weight reads directly as "how much
 * of the similarity comes from what people wrote". A node without text gets
 * [ĝ, 0] (flagged), so its similarities come from the graph part alone.
 * Optionally the result is projected to `fusedDim` dimensions with PCA (ml-pca).
 */
import { PCA } from 'ml-pca';
import { OptionError } from '../util/errors.js';
import { normaliseRows, rowOf } from './vectors.js';

export const FLAG_GRAPH_ONLY = 1;

export interface TextAggregation {
  /** Text vectors of the documents (reviews, titles), row-major [docs x dim]. */
  vectors: Float32Array;
  dim: number;
  /** For each document, the entity row (user or product position) it belongs to. */
  owner: Uint32Array;
  /** Number of entities. */
  entities: number;
}

/**
 * Mean text vector per entity (then L2-normalised), and which entities had
 * any text at all.
 */
export function meanTextVectors(agg: TextAggregation): { vectors: Float32Array; hasText: Uint8Array } {
  const { dim, owner, entities } = agg;
  const out = new Float32Array(entities * dim);
  const hasText = new Uint8Array(entities);
  for (let d = 0; d < owner.length; d++) {
    const src = rowOf(agg.vectors, dim, d);
    const dst = rowOf(out, dim, owner[d]);
    for (let i = 0; i < dim; i++) dst[i] += src[i];
    hasText[owner[d]] = 1;
  }
  normaliseRows(out, dim);
  return { vectors: out, hasText };
}

export interface FuseOptions {
  /** Weight of the text part in [0, 1]. */
  textWeight: number;
  /** Project the fused vectors to this many dimensions with PCA (0 or undefined: no projection). */
  fusedDim?: number;
}

export interface FusedVectors {
  vectors: Float32Array;
  dim: number;
  /** FLAG_GRAPH_ONLY for rows with no text. */
  flags: Uint8Array;
}

/** Fuses row-aligned graph [n x dg] and text [n x dt] vectors. */
export function fuse(
  graph: Float32Array,
  graphDim: number,
  text: Float32Array,
  textDim: number,
  hasText: Uint8Array,
  opts: FuseOptions,
): FusedVectors {
  if (!(opts.textWeight >= 0 && opts.textWeight <= 1)) throw new OptionError('fuse', 'textWeight', opts.textWeight, 'a number in [0, 1]');
  const n = graph.length / graphDim;
  const g = normaliseRows(graph.slice(), graphDim);
  const t = normaliseRows(text.slice(), textDim);
  const wg = Math.sqrt(1 - opts.textWeight);
  const wt = Math.sqrt(opts.textWeight);
  const dim = graphDim + textDim;
  const out = new Float32Array(n * dim);
  const flags = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const row = rowOf(out, dim, r);
    const gr = rowOf(g, graphDim, r);
    if (hasText[r]) {
      for (let i = 0; i < graphDim; i++) row[i] = wg * gr[i];
      const tr = rowOf(t, textDim, r);
      for (let i = 0; i < textDim; i++) row[graphDim + i] = wt * tr[i];
    } else {
      row.set(gr);
      flags[r] = FLAG_GRAPH_ONLY;
    }
  }
  if (!opts.fusedDim || opts.fusedDim >= dim) return { vectors: out, dim, flags };
  return { vectors: project(out, dim, opts.fusedDim), dim: opts.fusedDim, flags };
}

/** PCA projection to k dimensions, rows re-normalised so dot products stay cosines. */
export function project(m: Float32Array, dim: number, k: number): Float32Array {
  const n = m.length / dim;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n, dim)) throw new OptionError('fuse', 'fusedDim', k, `an integer in [1, ${Math.min(n, dim)}]`);
  const rows: number[][] = new Array(n);
  for (let r = 0; r < n; r++) rows[r] = Array.from(rowOf(m, dim, r));
  const pca = new PCA(rows, { center: true });
  const projected = pca.predict(rows, { nComponents: k }).to2DArray();
  const out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) out.set(projected[r], r * k);
  return normaliseRows(out, k);
}

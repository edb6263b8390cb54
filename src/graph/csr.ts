/**
 * Compact CSR (compressed sparse row) form of a graph: the only graph shape the
 * native walker sees. Node i's out-neighbours are targets[offsets[i] .. offsets[i+1]),
 * sorted ascending by index, with weights at the same positions. An undirected
 * edge is stored in both directions. No per-edge JS objects anywhere.
 */

/** Node types of the heterogeneous shop graph; `plain` is used for edge lists. */
export const NodeType = { plain: 0, user: 1, product: 2, review: 3, category: 4 } as const;
export type NodeTypeName = keyof typeof NodeType;
export type NodeTypeCode = (typeof NodeType)[NodeTypeName];
export const nodeTypeNames: readonly NodeTypeName[] = ['plain', 'user', 'product', 'review', 'category'];

export interface Csr {
  /** Number of nodes (V). */
  readonly nodeCount: number;
  /** Length V+1. Uint32Array while the stored edge count fits in 32 bits, else BigUint64Array. */
  readonly offsets: Uint32Array | BigUint64Array;
  /** Length E (stored directed arcs): neighbour indices, sorted within each row. */
  readonly targets: Uint32Array;
  /** Length E: arc weights (> 0). */
  readonly weights: Float32Array;
  /** True if arcs were stored one way only. */
  readonly directed: boolean;
  /** Length V: NodeType code of each node. */
  readonly nodeType: Uint8Array;
  /** Index -> node key (e.g. "user:A2IBPI20UZIR0U", or the raw id for edge lists). */
  readonly keys: readonly string[];
}

/** Total number of stored arcs. */
export function arcCount(csr: Csr): number {
  return Number(csr.offsets[csr.nodeCount]);
}

/** Node and edge counts per type, for summaries and stored run counts. */
import { edgeTypeNames, type EdgeTypeName, type ShopGraph } from './build.js';
import { nodeTypeNames, type Csr, type NodeTypeName } from './csr.js';

export function countNodeTypes(csr: Csr): Partial<Record<NodeTypeName, number>> {
  const out: Partial<Record<NodeTypeName, number>> = {};
  for (let v = 0; v < csr.nodeCount; v++) {
    const name = nodeTypeNames[csr.nodeType[v]];
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

export function countEdgeTypes(graph: ShopGraph): Partial<Record<EdgeTypeName, number>> {
  const out: Partial<Record<EdgeTypeName, number>> = {};
  for (const t of edgeTypeNames) out[t] = 0;
  graph.forEachEdge((_e, attrs) => {
    out[attrs.type] = (out[attrs.type] ?? 0) + 1;
  });
  return out;
}

/**
 * Summaries of a CSR graph for `graphprof inspect`: node counts and degree
 * distribution per node type, and connected components (union-find over the
 * arcs, treating arcs as undirected, i.e. weakly connected components).
 */
import { arcCount, nodeTypeNames, type Csr, type NodeTypeName } from './csr.js';

export interface DegreeSummary {
  nodes: number;
  min: number;
  median: number;
  mean: number;
  p90: number;
  max: number;
}

export interface GraphStats {
  nodes: number;
  /** Undirected edges (or arcs, for a directed graph). */
  edges: number;
  directed: boolean;
  byType: Partial<Record<NodeTypeName, DegreeSummary>>;
  components: { count: number; largest: number; isolated: number };
}

function quantile(sorted: Uint32Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
}

function summarise(degrees: Uint32Array): DegreeSummary {
  const sorted = degrees.slice().sort();
  let sum = 0;
  for (const d of sorted) sum += d;
  return {
    nodes: sorted.length,
    min: sorted.length ? sorted[0] : 0,
    median: quantile(sorted, 0.5),
    mean: sorted.length ? Math.round((sum / sorted.length) * 100) / 100 : 0,
    p90: quantile(sorted, 0.9),
    max: sorted.length ? sorted[sorted.length - 1] : 0,
  };
}

function find(parent: Uint32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

export function components(csr: Csr): GraphStats['components'] {
  const parent = new Uint32Array(csr.nodeCount);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  for (let v = 0; v < csr.nodeCount; v++) {
    for (let a = Number(csr.offsets[v]); a < Number(csr.offsets[v + 1]); a++) {
      const rv = find(parent, v);
      const rt = find(parent, csr.targets[a]);
      if (rv !== rt) parent[rv] = rt;
    }
  }
  const size = new Uint32Array(csr.nodeCount);
  for (let v = 0; v < csr.nodeCount; v++) size[find(parent, v)]++;
  let count = 0;
  let largest = 0;
  let isolated = 0;
  for (let v = 0; v < csr.nodeCount; v++) {
    if (size[v] === 0) continue;
    count++;
    if (size[v] > largest) largest = size[v];
    if (size[v] === 1) isolated++;
  }
  return { count, largest, isolated };
}

export function graphStats(csr: Csr): GraphStats {
  const byType: GraphStats['byType'] = {};
  nodeTypeNames.forEach((name, code) => {
    let n = 0;
    for (let v = 0; v < csr.nodeCount; v++) if (csr.nodeType[v] === code) n++;
    if (n === 0) return;
    const degrees = new Uint32Array(n);
    let i = 0;
    for (let v = 0; v < csr.nodeCount; v++) {
      if (csr.nodeType[v] === code) degrees[i++] = Number(csr.offsets[v + 1]) - Number(csr.offsets[v]);
    }
    byType[name] = summarise(degrees);
  });
  let selfLoops = 0;
  if (!csr.directed) {
    for (let v = 0; v < csr.nodeCount; v++) {
      for (let a = Number(csr.offsets[v]); a < Number(csr.offsets[v + 1]); a++) if (csr.targets[a] === v) selfLoops++;
    }
  }
  const arcs = arcCount(csr);
  return {
    nodes: csr.nodeCount,
    edges: csr.directed ? arcs : (arcs - selfLoops) / 2 + selfLoops,
    directed: csr.directed,
    byType,
    components: components(csr),
  };
}

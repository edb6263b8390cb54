/**
 * The picture of the graph around the segments: one node per segment, one
 * per product among the segments' top products, an edge weighted by how many
 * of a segment's members reviewed the product. A product several segments
 * share pulls them together, so overlap between segments shows as geometry.
 * Laid out with ForceAtlas2 (graphology-layout-forceatlas2) from seeded
 * initial positions: segments on a circle, products near their segments.
 */
import { UndirectedGraph } from 'graphology';
import forceAtlas2Module from 'graphology-layout-forceatlas2';
import { Prng } from '../util/random.js';
import type { SegmentDescription } from '../segment/describe.js';

export interface GraphNode {
  id: string;
  kind: 'segment' | 'product';
  /** Segment number (segment nodes only; -1 for products). */
  segment: number;
  label: string;
  /** Users in the segment, or members of all segments who reviewed the product. */
  weight: number;
  /** Position in [0, 1], y growing downwards. */
  x: number;
  y: number;
}

export interface GraphEdge {
  source: string;
  target: string;
  segment: number;
  /** Segment members who reviewed the product. */
  weight: number;
}

export interface SegmentGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

interface NodeAttrs {
  x: number;
  y: number;
  kind: 'segment' | 'product';
  segment: number;
  label: string;
  weight: number;
}

// The package is CommonJS (module.exports = layout function); under NodeNext its typed default is that function's module object.
type ForceAtlas2 = typeof forceAtlas2Module.default;
const forceAtlas2: ForceAtlas2 = (forceAtlas2Module as unknown as { default?: ForceAtlas2 }).default ?? (forceAtlas2Module as unknown as ForceAtlas2);

const segmentKey = (s: number): string => `segment:${s}`;
const productKey = (p: string): string => `product:${p}`;

function buildGraph(segments: readonly SegmentDescription[], perSegment: number): UndirectedGraph<NodeAttrs, { weight: number; segment: number }> {
  const g = new UndirectedGraph<NodeAttrs, { weight: number; segment: number }>();
  for (const s of segments) g.addNode(segmentKey(s.segment), { x: 0, y: 0, kind: 'segment', segment: s.segment, label: s.label, weight: s.size });
  for (const s of segments) {
    for (const p of s.topProducts.slice(0, perSegment)) {
      const key = productKey(p.productId);
      if (!g.hasNode(key)) g.addNode(key, { x: 0, y: 0, kind: 'product', segment: -1, label: p.title || p.productId, weight: 0 });
      g.updateNodeAttribute(key, 'weight', (w) => (w ?? 0) + p.members);
      g.addEdge(segmentKey(s.segment), key, { weight: Math.max(1, p.members), segment: s.segment });
    }
  }
  return g;
}

function seedPositions(g: UndirectedGraph<NodeAttrs>, seed: number): void {
  const rng = new Prng(seed, 'report-graph');
  const segments = g.filterNodes((_, a) => a.kind === 'segment');
  segments.forEach((key, i) => {
    const angle = (2 * Math.PI * i) / segments.length;
    g.mergeNodeAttributes(key, { x: 100 * Math.cos(angle), y: 100 * Math.sin(angle) });
  });
  g.forEachNode((key, a) => {
    if (a.kind !== 'product') return;
    let x = 0;
    let y = 0;
    const around = g.neighbors(key);
    for (const s of around) {
      x += g.getNodeAttribute(s, 'x');
      y += g.getNodeAttribute(s, 'y');
    }
    g.mergeNodeAttributes(key, { x: (x / around.length) * 1.3 + rng.normal(0, 15), y: (y / around.length) * 1.3 + rng.normal(0, 15) });
  });
}

function normalise(nodes: GraphNode[]): void {
  if (nodes.length === 0) return;
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0) || 1;
  for (const n of nodes) {
    n.x = 0.5 + (n.x - (x0 + x1) / 2) / span;
    n.y = 0.5 + (n.y - (y0 + y1) / 2) / span;
  }
}

export function layoutSegmentGraph(segments: readonly SegmentDescription[], perSegment: number, iterations: number, seed: number): SegmentGraph {
  const g = buildGraph(segments, perSegment);
  seedPositions(g, seed);
  if (g.order > 1) {
    forceAtlas2.assign(g, {
      iterations,
      getEdgeWeight: 'weight',
      settings: { ...forceAtlas2.inferSettings(g), linLogMode: true, outboundAttractionDistribution: true, edgeWeightInfluence: 0.5 },
    });
  }
  const nodes: GraphNode[] = g.mapNodes((id, a) => ({ id, kind: a.kind, segment: a.segment, label: a.label, weight: a.weight, x: a.x, y: a.y }));
  normalise(nodes);
  const edges: GraphEdge[] = g.mapEdges((_, a, source, target) => ({ source, target, segment: a.segment, weight: a.weight }));
  return { nodes, edges };
}

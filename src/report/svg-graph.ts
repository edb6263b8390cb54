/**
 * The segment graph as inline SVG: edges coloured by segment and as thick as
 * the number of members behind them, segment discs sized by users, product
 * dots sized by reviewers, labels on top with a white halo. Every mark has a
 * data-node / data-edge attribute and a <title> for hover.
 */
import { coord, esc, int, truncate } from './format.js';
import { segmentColour, textOn } from './palette.js';
import type { GraphNode, SegmentGraph } from './segment-graph.js';

const width = 1000;
const height = 720;
const padX = 190;
const padY = 60;

type Placed = GraphNode & { px: number; py: number; r: number };

function place(graph: SegmentGraph): Map<string, Placed> {
  const xs = graph.nodes.map((n) => n.x);
  const ys = graph.nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const maxSegment = Math.max(1, ...graph.nodes.filter((n) => n.kind === 'segment').map((n) => n.weight));
  const maxProduct = Math.max(1, ...graph.nodes.filter((n) => n.kind === 'product').map((n) => n.weight));
  const out = new Map<string, Placed>();
  for (const n of graph.nodes) {
    const px = x1 > x0 ? padX + ((n.x - x0) / (x1 - x0)) * (width - 2 * padX) : width / 2;
    const py = y1 > y0 ? padY + ((n.y - y0) / (y1 - y0)) * (height - 2 * padY) : height / 2;
    const r = n.kind === 'segment' ? 16 + 22 * Math.sqrt(n.weight / maxSegment) : 4 + 7 * Math.sqrt(n.weight / maxProduct);
    out.set(n.id, { ...n, px, py, r });
  }
  return out;
}

function edgeMarks(graph: SegmentGraph, at: Map<string, Placed>): string {
  const max = Math.max(1, ...graph.edges.map((e) => e.weight));
  return graph.edges
    .map((e) => {
      const a = at.get(e.source) as Placed;
      const b = at.get(e.target) as Placed;
      const product = a.kind === 'product' ? a : b;
      return (
        `<line data-edge="${e.segment}" x1="${coord(a.px)}" y1="${coord(a.py)}" x2="${coord(b.px)}" y2="${coord(b.py)}" ` +
        `stroke="${segmentColour(e.segment)}" stroke-width="${coord(1 + 5 * (e.weight / max))}">` +
        `<title>Segment ${e.segment} → ${esc(product.label)}: ${int(e.weight)} members reviewed it</title></line>`
      );
    })
    .join('');
}

function productTitle(n: Placed, graph: SegmentGraph): string {
  const by = graph.edges.filter((e) => e.target === n.id || e.source === n.id).map((e) => `segment ${e.segment}: ${int(e.weight)}`);
  return `${n.label} — reviewed by ${by.join(', ')}`;
}

function nodeMarks(graph: SegmentGraph, at: Map<string, Placed>): string {
  const products: string[] = [];
  const segments: string[] = [];
  for (const n of at.values()) {
    if (n.kind === 'product') {
      products.push(
        `<circle data-node="product" class="gp" cx="${coord(n.px)}" cy="${coord(n.py)}" r="${coord(n.r)}"><title>${esc(productTitle(n, graph))}</title></circle>`,
      );
    } else {
      const fill = segmentColour(n.segment);
      segments.push(
        `<g data-node="segment" data-segment="${n.segment}"><title>Segment ${n.segment}: ${int(n.weight)} users — ${esc(n.label)}</title>` +
          `<circle cx="${coord(n.px)}" cy="${coord(n.py)}" r="${coord(n.r)}" fill="${fill}"/>` +
          `<text class="gn" x="${coord(n.px)}" y="${coord(n.py)}" fill="${textOn(fill)}">${n.segment}</text></g>`,
      );
    }
  }
  return products.join('') + segments.join('');
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface LabelBox extends Box {
  x: number;
  y: number;
  anchor: 'start' | 'end' | 'middle';
  text: string;
  cls: string;
}

const lineHeight = 15;
const charWidth = { lp: 6.3, ls: 7.4 } as const;

/** The box a label covers, from its anchor point (text width estimated per character of the label's font). */
export function label(x: number, y: number, anchor: LabelBox['anchor'], text: string, cls: 'lp' | 'ls'): LabelBox {
  const w = text.length * charWidth[cls];
  const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
  return { x, y, anchor, text, cls, x0, x1: x0 + w, y0: y - lineHeight / 2, y1: y + lineHeight / 2 };
}

export function hits(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

const inside = (b: Box): boolean => b.x0 >= 0 && b.x1 <= width && b.y0 >= 0 && b.y1 <= height;

/** The first candidate inside the picture that overlaps nothing placed so far, or null. */
function freeOf(candidates: readonly LabelBox[], taken: readonly Box[]): LabelBox | null {
  return candidates.find((c) => inside(c) && !taken.some((t) => hits(c, t))) ?? null;
}

/**
 * Labels are placed greedily, segments first, avoiding every node and every
 * label already placed, so no two labels overlap. A product label prefers the
 * side facing away from its segments (so it runs off the cluster rather than
 * across it), then the other side, then above or below, a line or two up or
 * down; a product with no free spot goes unlabelled (its hover title still
 * names it). Segment labels, placed first, only ever have nodes to avoid.
 */
function labels(graph: SegmentGraph, at: Map<string, Placed>): string {
  const centre = new Map<string, { x: number; n: number }>();
  for (const e of graph.edges) {
    const seg = at.get(e.source)?.kind === 'segment' ? e.source : e.target;
    const prod = seg === e.source ? e.target : e.source;
    const c = centre.get(prod) ?? { x: 0, n: 0 };
    c.x += (at.get(seg) as Placed).px;
    c.n++;
    centre.set(prod, c);
  }
  const taken: Box[] = [...at.values()].map((n) => ({ x0: n.px - n.r, x1: n.px + n.r, y0: n.py - n.r, y1: n.py + n.r }));
  const placed: LabelBox[] = [];
  const put = (b: LabelBox): void => {
    placed.push(b);
    taken.push(b);
  };
  for (const n of at.values()) {
    if (n.kind !== 'segment') continue;
    const text = truncate(n.label.split(', ').slice(0, 3).join(', '), 32);
    const below = (dy: number): LabelBox => label(n.px, n.py + n.r + 10 + dy, 'middle', text, 'ls');
    const above = (dy: number): LabelBox => label(n.px, n.py - n.r - 10 - dy, 'middle', text, 'ls');
    const free = freeOf([below(0), above(0), below(lineHeight), above(lineHeight), below(2 * lineHeight), above(2 * lineHeight)], taken);
    if (free) put(free);
  }
  for (const n of at.values()) {
    if (n.kind !== 'product') continue;
    const c = centre.get(n.id);
    const awayLeft = c ? n.px < c.x / c.n : n.px < width / 2;
    const text = truncate(n.label, 28);
    const side = (toLeft: boolean, dy: number): LabelBox => label(toLeft ? n.px - n.r - 4 : n.px + n.r + 4, n.py + dy, toLeft ? 'end' : 'start', text, 'lp');
    const candidates = [side(awayLeft, 0), side(!awayLeft, 0), label(n.px, n.py - n.r - 9, 'middle', text, 'lp'), label(n.px, n.py + n.r + 9, 'middle', text, 'lp')];
    for (const dy of [lineHeight, -lineHeight, 2 * lineHeight, -2 * lineHeight]) candidates.push(side(awayLeft, dy), side(!awayLeft, dy));
    const free = freeOf(candidates, taken);
    if (free) put(free);
  }
  // Segment labels are centred by the stylesheet; product labels say their anchor.
  const anchor = (b: LabelBox): string => (b.cls === 'ls' ? '' : ` text-anchor="${b.anchor}"`);
  const out = placed.map((b) => `<text class="${b.cls}" x="${coord(b.x)}" y="${coord(b.y)}"${anchor(b)}>${esc(b.text)}</text>`);
  return `<g class="labels" aria-hidden="true">${out.join('')}</g>`;
}

export function renderGraph(graph: SegmentGraph): string {
  const at = place(graph);
  const segments = graph.nodes.filter((n) => n.kind === 'segment').length;
  const products = graph.nodes.length - segments;
  return (
    `<svg class="chart graph" data-chart="graph" data-nodes="${graph.nodes.length}" data-edges="${graph.edges.length}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="graph-title graph-desc">` +
    `<title id="graph-title">Segments and their top products</title>` +
    `<desc id="graph-desc">${segments} segments and ${products} products; a line joins a segment to a product its members reviewed, thicker for more members.</desc>` +
    `<g class="edges">${edgeMarks(graph, at)}</g><g class="nodes">${nodeMarks(graph, at)}</g>${labels(graph, at)}</svg>`
  );
}

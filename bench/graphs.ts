/**
 * Seeded synthetic graphs for the benches: the walk and skip-gram benches
 * measure the same 1M-edge power-law graph (same formula, same seed);
 * bench:scale writes a larger one as an edge-list file.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { ArcBuffer, arcsToCsr } from '../src/graph/csr-build.js';
import type { Csr } from '../src/graph/csr.js';
import { uniform } from '../src/util/random.js';

/**
 * The edges of a seeded Chung-Lu graph: endpoint i drawn with weight
 * (i + 10)^(-1/(gamma-1)), gamma = 2.5; no self-loops or repeats. Yields the
 * first `edges` distinct pairs a < b in draw order, each as a * nodes + b.
 */
function* chungLuEdges(nodes: number, edges: number, seed: number): Generator<number, void, undefined> {
  const cumulative = new Float64Array(nodes);
  let total = 0;
  for (let i = 0; i < nodes; i++) cumulative[i] = total += (i + 10) ** (-1 / 1.5);
  const rand = uniform(seed);
  const pick = (): number => {
    const x = rand() * total;
    let lo = 0;
    let hi = nodes - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const seen = new Set<number>();
  while (seen.size < edges) {
    let a = pick();
    let b = pick();
    if (a === b) continue;
    if (a > b) [a, b] = [b, a];
    const key = a * nodes + b;
    if (seen.has(key)) continue;
    seen.add(key);
    yield key;
  }
}

/** Seeded Chung-Lu graph as an undirected CSR (see chungLuEdges). */
export function chungLu(nodes: number, edges: number, seed: number): Csr {
  const arcs = new ArcBuffer();
  for (const key of chungLuEdges(nodes, edges, seed)) arcs.push(Math.floor(key / nodes), key % nodes, 1);
  const keys = Array.from({ length: nodes }, (_, i) => String(i));
  return arcsToCsr(nodes, arcs.toArcList(), true, new Uint8Array(nodes), keys);
}

/** Writes the same graph as an edge list ("a b" per line, streamed); resolves to the bytes written. */
export async function writeChungLuEdgeList(file: string, nodes: number, edges: number, seed: number): Promise<number> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let bytes = 0;
  let lines: string[] = [];
  const flush = async (): Promise<void> => {
    const chunk = lines.join('');
    lines = [];
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  for (const key of chungLuEdges(nodes, edges, seed)) {
    lines.push(`${Math.floor(key / nodes)} ${key % nodes}\n`);
    if (lines.length === 65536) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return bytes;
}

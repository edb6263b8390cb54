/**
 * Seeded synthetic graphs for the benches. chungLu is the generator of
 * bench/walk.ts (same formula, same seed gives the same graph), so the walk and
 * skip-gram benches can measure the same 1M-edge power-law graph.
 */
import { ArcBuffer, arcsToCsr } from '../src/graph/csr-build.js';
import type { Csr } from '../src/graph/csr.js';

/** Seeded Chung-Lu graph: endpoint i drawn with weight (i + 10)^(-1/(gamma-1)), gamma = 2.5; no self-loops or repeats. */
export function chungLu(nodes: number, edges: number, seed: number): Csr {
  const cumulative = new Float64Array(nodes);
  let total = 0;
  for (let i = 0; i < nodes; i++) cumulative[i] = total += (i + 10) ** (-1 / 1.5);
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
  const arcs = new ArcBuffer();
  while (arcs.count < edges) {
    let a = pick();
    let b = pick();
    if (a === b) continue;
    if (a > b) [a, b] = [b, a];
    const key = a * nodes + b;
    if (seen.has(key)) continue;
    seen.add(key);
    arcs.push(a, b, 1);
  }
  const keys = Array.from({ length: nodes }, (_, i) => String(i));
  return arcsToCsr(nodes, arcs.toArcList(), true, new Uint8Array(nodes), keys);
}

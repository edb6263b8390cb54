/**
 * Seeded synthetic graphs for the benches: the walk and skip-gram benches
 * measure the same 1M-edge power-law graph (same formula, same seed).
 */
import { ArcBuffer, arcsToCsr } from '../src/graph/csr-build.js';
import type { Csr } from '../src/graph/csr.js';
import { uniform } from '../src/util/random.js';

/** Seeded Chung-Lu graph: endpoint i drawn with weight (i + 10)^(-1/(gamma-1)), gamma = 2.5; no self-loops or repeats. */
export function chungLu(nodes: number, edges: number, seed: number): Csr {
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

import { describe, expect, it } from 'vitest';
import { NodeType } from '../src/graph/csr.js';
import { AbortedError, GraphprofError, OptionError } from '../src/util/errors.js';
import { generateWalks, resolveWalkOptions, walkDefaults } from '../src/walk/index.js';
import {
  chiSquare,
  chiSquareCritical,
  csrFromEdges,
  hasArc,
  randomEdges,
  walkAt,
  walkStarts,
  type Edge,
} from './walk-csr.js';

/**
 * Empirical next-step counts after the first step t -> v, from walks of length
 * 3 started at t (walks whose first step is not v are ignored).
 */
async function nextStepCounts(
  edges: readonly Edge[],
  directed: boolean,
  t: number,
  v: number,
  p: number,
  q: number,
  walks: number,
  nodeCount = 9,
): Promise<Map<number, number>> {
  const csr = csrFromEdges(nodeCount, edges, { directed });
  const corpus = await generateWalks(csr, {
    p,
    q,
    walkLength: 3,
    walksPerNode: walks,
    startNodes: Uint32Array.of(t),
    seed: 7,
    threads: 2,
  });
  const counts = new Map<number, number>();
  const { tokens, lengths } = corpus;
  let shortAfterV = 0;
  for (let i = 0, at = 0; i < lengths.length; at += lengths[i]!, i++) {
    if (lengths[i]! < 2 || tokens[at + 1] !== v) continue;
    if (lengths[i] !== 3) shortAfterV++;
    else counts.set(tokens[at + 2]!, (counts.get(tokens[at + 2]!) ?? 0) + 1);
  }
  expect(shortAfterV, 'v has arcs, so walks through v are not cut short').toBe(0);
  return counts;
}

type Alpha = (x: number, isNeighbourOfT: boolean) => number;

/** Node2vec's bias: 1/p back to t, 1 to t's neighbours, 1/q elsewhere. */
const node2vecAlpha =
  (t: number, p: number, q: number): Alpha =>
  (x, isNeighbour) =>
    x === t ? 1 / p : isNeighbour ? 1 : 1 / q;

/** Node2vec's formula: P(x | t, v) proportional to w(v,x) * alpha(t,x). */
function expectedNext(
  edges: readonly Edge[],
  directed: boolean,
  t: number,
  v: number,
  p: number,
  q: number,
  alpha: Alpha = node2vecAlpha(t, p, q),
  nodeCount = 9,
): Map<number, number> {
  const csr = csrFromEdges(nodeCount, edges, { directed });
  const mass = new Map<number, number>();
  for (let k = Number(csr.offsets[v]); k < Number(csr.offsets[v + 1]); k++) {
    const x = csr.targets[k]!;
    mass.set(x, (mass.get(x) ?? 0) + csr.weights[k]! * alpha(x, hasArc(csr, t, x)));
  }
  let total = 0;
  for (const m of mass.values()) total += m;
  for (const [x, m] of mass) mass.set(x, m / total);
  return mass;
}

async function expectNode2vecDistribution(
  edges: readonly Edge[],
  directed: boolean,
  p: number,
  q: number,
  nodeCount = 9,
): Promise<void> {
  const t = 0;
  const v = 1;
  const counts = await nextStepCounts(edges, directed, t, v, p, q, 120_000, nodeCount);
  const expected = expectedNext(edges, directed, t, v, p, q, undefined, nodeCount);
  for (const x of counts.keys()) expect(expected.has(x), `step to ${x} follows an arc of ${v}`).toBe(true);
  const xs = [...expected.keys()];
  const stat = chiSquare(
    xs.map((x) => counts.get(x) ?? 0),
    xs.map((x) => expected.get(x)!),
  );
  expect(stat, `chi-square for p=${p} q=${q}: counts ${JSON.stringify([...counts])}`).toBeLessThan(
    chiSquareCritical(xs.length - 1),
  );
  // The same counts must reject a sampler with a broken alpha (p and q
  // swapped; t's neighbours not told apart; the return weighted as 1/q), so
  // this test can fail.
  const broken: Alpha[] = [
    node2vecAlpha(t, q, p),
    (x) => (x === t ? 1 / p : 1 / q),
    (x, isNeighbour) => (x === t ? 1 / q : isNeighbour ? 1 : 1 / q),
  ];
  for (const alpha of broken) {
    const wrong = expectedNext(edges, directed, t, v, p, q, alpha, nodeCount);
    const distance = xs.reduce((sum, x) => sum + Math.abs(wrong.get(x)! - expected.get(x)!), 0) / 2;
    if (distance < 0.02) continue; // the broken alpha happens to give the same distribution (e.g. p = q)
    const wrongStat = chiSquare(
      xs.map((x) => counts.get(x) ?? 0),
      xs.map((x) => wrong.get(x)!),
    );
    expect(wrongStat, `a broken alpha (total variation ${distance.toFixed(3)}) is detected`).toBeGreaterThan(
      chiSquareCritical(xs.length - 1),
    );
  }
}

// t = 0, v = 1. From v: back to t over a multi-edge (2 + 3), a self-loop at v
// (v is a neighbour of t: alpha 1), common neighbours 2 and 3 (alpha 1),
// non-neighbours of t 4 (multi-edge 3 + 1), 5 and 6 (alpha 1/q).
const undirectedEdges: Edge[] = [
  [0, 1, 2],
  [0, 1, 3],
  [0, 2, 1],
  [0, 3, 1],
  [0, 8, 1],
  [1, 1, 1],
  [1, 2, 1.5],
  [1, 3, 0.5],
  [1, 4, 3],
  [1, 4, 1],
  [1, 5, 1],
  [1, 6, 2],
  [2, 7, 1],
  [5, 6, 1],
];

// Directed: 4 -> 0 exists but 0 -> 4 does not, so from (0, 1) node 4 is NOT a
// neighbour of t (out-neighbours of t decide) and gets 1/q.
const directedEdges: Edge[] = [
  [0, 1, 2],
  [0, 2, 1],
  [0, 3, 1],
  [1, 0, 1.5],
  [1, 1, 0.5],
  [1, 2, 1],
  [1, 3, 0.25],
  [1, 4, 2],
  [1, 5, 1],
  [4, 0, 1],
  [2, 6, 1],
];

/** The same graphs with every weight 1: no alias tables, the accept coin comes from the draw's spare bits. */
const unweighted = (edges: readonly Edge[]): Edge[] => edges.map(([a, b]) => [a, b]);

// t = 0 is a hub: 140 arcs to nodes 10..149 besides those of undirectedEdges,
// so its row (> 128 arcs, NeighbourSets::kHashedRow) is answered by its hash
// set, not searched. v = 1 gains two of the hub's neighbours (10, 11) and a
// multi-edge to one of them, and node 150 that t does not reach.
const HUB_NODES = 151;
const hubEdges: Edge[] = [
  ...undirectedEdges,
  ...Array.from({ length: 140 }, (_, i): Edge => [0, 10 + i, 1 + (i % 3)]),
  [1, 10, 2],
  [1, 11, 1],
  [1, 11, 0.5],
  [1, 150, 1.5],
];
const directedHubEdges: Edge[] = [
  ...directedEdges,
  ...Array.from({ length: 140 }, (_, i): Edge => [0, 10 + i, 1]),
  [1, 10, 1],
  [1, 11, 2],
  [1, 150, 1],
  [150, 0, 1],
];

const pqCases: [number, number][] = [
  [1, 1],
  [0.25, 4],
  [4, 0.25],
  [0.5, 2],
  [2, 0.5],
  [1, 4],
  [0.25, 0.1],
  [3, 1],
];

describe('generateWalks: exact node2vec transition probabilities', () => {
  for (const [p, q] of pqCases) {
    it(`undirected weighted graph, p=${p} q=${q}`, async () => {
      await expectNode2vecDistribution(undirectedEdges, false, p, q);
    });
  }
  for (const [p, q] of [
    [0.25, 4],
    [4, 0.25],
    [1, 1],
  ] as const) {
    it(`directed weighted graph, p=${p} q=${q}`, async () => {
      await expectNode2vecDistribution(directedEdges, true, p, q);
    });
  }
  for (const [p, q] of [
    [0.25, 4],
    [4, 0.25],
    [2, 0.5],
  ] as const) {
    it(`undirected unweighted graph, p=${p} q=${q}`, async () => {
      await expectNode2vecDistribution(unweighted(undirectedEdges), false, p, q);
    });
    it(`hub t (hash set), undirected weighted and unweighted, p=${p} q=${q}`, async () => {
      await expectNode2vecDistribution(hubEdges, false, p, q, HUB_NODES);
      await expectNode2vecDistribution(unweighted(hubEdges), false, p, q, HUB_NODES);
    });
    it(`hub t (hash set), directed, p=${p} q=${q}`, async () => {
      await expectNode2vecDistribution(directedHubEdges, true, p, q, HUB_NODES);
    });
  }

  // Later steps: the walker carries the t-v arcs along the walk (undirected),
  // so check a step deep in the walk, reached over returns and detours.
  for (const [p, q] of [
    [0.25, 4],
    [4, 0.25],
  ] as const) {
    it(`matches the formula at the 4th step, p=${p} q=${q}`, async () => {
      const csr = csrFromEdges(9, undirectedEdges);
      const corpus = await generateWalks(csr, {
        p,
        q,
        walkLength: 5,
        walksPerNode: 150_000,
        startNodes: Uint32Array.of(0),
        seed: 3,
        threads: 2,
      });
      const counts = new Map<number, number>();
      const { tokens, lengths } = corpus;
      for (let i = 0, at = 0; i < lengths.length; at += lengths[i]!, i++) {
        if (lengths[i] !== 5 || tokens[at + 2] !== 0 || tokens[at + 3] !== 1) continue;
        counts.set(tokens[at + 4]!, (counts.get(tokens[at + 4]!) ?? 0) + 1);
      }
      const expected = expectedNext(undirectedEdges, false, 0, 1, p, q);
      const xs = [...expected.keys()];
      const n = xs.reduce((sum, x) => sum + (counts.get(x) ?? 0), 0);
      expect(n).toBeGreaterThan(10_000);
      const stat = chiSquare(
        xs.map((x) => counts.get(x) ?? 0),
        xs.map((x) => expected.get(x)!),
      );
      expect(stat).toBeLessThan(chiSquareCritical(xs.length - 1));
    });
  }

  it('takes the first step first-order (proportional to weight)', async () => {
    const csr = csrFromEdges(9, undirectedEdges);
    const corpus = await generateWalks(csr, {
      p: 0.25,
      q: 4,
      walkLength: 2,
      walksPerNode: 50_000,
      startNodes: Uint32Array.of(1),
      threads: 2,
    });
    const counts = new Map<number, number>();
    for (let i = 0; i < corpus.lengths.length; i++) {
      const x = corpus.tokens[2 * i + 1]!;
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    // Row of 1: 0 (2+3), 1 (1), 2 (1.5), 3 (0.5), 4 (3+1), 5 (1), 6 (2): total 15.
    const xs = [0, 1, 2, 3, 4, 5, 6];
    const probs = [5, 1, 1.5, 0.5, 4, 1, 2].map((w) => w / 15);
    const stat = chiSquare(
      xs.map((x) => counts.get(x) ?? 0),
      probs,
    );
    expect(stat).toBeLessThan(chiSquareCritical(xs.length - 1));
  });
});

describe('generateWalks: walks follow the graph', () => {
  for (const directed of [false, true]) {
    for (const [p, q] of [
      [1, 1],
      [0.25, 4],
      [4, 0.25],
    ] as const) {
      it(`every step is an arc (${directed ? 'directed' : 'undirected'}, p=${p} q=${q})`, async () => {
        const csr = csrFromEdges(300, randomEdges(300, 900, 11), { directed });
        const corpus = await generateWalks(csr, { p, q, walkLength: 25, walksPerNode: 4, threads: 2 });
        expect(corpus.lengths.length).toBe(300 * 4);
        expect(corpus.nodeCount).toBe(300);
        const starts = walkStarts(corpus.lengths);
        expect(corpus.tokens.length).toBe(starts[starts.length - 1]! + corpus.lengths[corpus.lengths.length - 1]!);
        for (let i = 0; i < corpus.lengths.length; i++) {
          const walk = walkAt(corpus.tokens, corpus.lengths, starts, i);
          for (let j = 1; j < walk.length; j++) {
            if (!hasArc(csr, walk[j - 1]!, walk[j]!)) throw new Error(`walk ${i} step ${j}: no arc ${walk[j - 1]}->${walk[j]}`);
          }
          const last = walk[walk.length - 1]!;
          if (walk.length < 25) expect(csr.offsets[last + 1]).toBe(csr.offsets[last]);
        }
      });
    }
  }

  it('orders walks by round, each round a shuffle of the start nodes', async () => {
    const csr = csrFromEdges(50, randomEdges(50, 200, 3));
    const corpus = await generateWalks(csr, { walkLength: 5, walksPerNode: 3, threads: 2 });
    const starts = walkStarts(corpus.lengths);
    const firsts = Array.from({ length: 150 }, (_, i) => corpus.tokens[starts[i]!]!);
    for (let r = 0; r < 3; r++) {
      expect([...firsts.slice(r * 50, r * 50 + 50)].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    }
    expect(firsts.slice(0, 50)).not.toEqual([...Array(50).keys()]);
    expect(firsts.slice(0, 50)).not.toEqual(firsts.slice(50, 100));
  });
});

describe('generateWalks: determinism', () => {
  const csr = csrFromEdges(400, randomEdges(400, 2000, 5));
  it('gives the same corpus for 1, 2 and 3 threads and across runs', async () => {
    for (const [p, q] of [
      [1, 1],
      [0.25, 4],
      [4, 0.25],
    ] as const) {
      const runs = await Promise.all(
        [1, 2, 3, 2].map((threads) => generateWalks(csr, { p, q, walkLength: 30, walksPerNode: 6, seed: 99, threads })),
      );
      for (const run of runs.slice(1)) {
        expect(Buffer.from(run.tokens.buffer, run.tokens.byteOffset, run.tokens.byteLength).equals(
          Buffer.from(runs[0]!.tokens.buffer, runs[0]!.tokens.byteOffset, runs[0]!.tokens.byteLength),
        )).toBe(true);
        expect(run.lengths).toEqual(runs[0]!.lengths);
      }
    }
  });

  it('changes with the seed', async () => {
    const a = await generateWalks(csr, { walkLength: 10, walksPerNode: 2, seed: 1 });
    const b = await generateWalks(csr, { walkLength: 10, walksPerNode: 2, seed: 2 });
    expect(a.tokens).not.toEqual(b.tokens);
  });

  it('reads BigUint64Array offsets like Uint32Array offsets', async () => {
    const edges = randomEdges(100, 400, 8);
    const narrow = csrFromEdges(100, edges);
    const wide = csrFromEdges(100, edges, { wideOffsets: true });
    expect(wide.offsets).toBeInstanceOf(BigUint64Array);
    const opts = { p: 0.5, q: 2, walkLength: 20, walksPerNode: 3 };
    const a = await generateWalks(narrow, opts);
    const b = await generateWalks(wide, opts);
    expect(b.tokens).toEqual(a.tokens);
    expect(b.lengths).toEqual(a.lengths);
  });
});

describe('generateWalks: awkward graphs', () => {
  it('stops at dead ends, records the true length and packs walks', async () => {
    // 0 -> 1 -> 2 (dead end); 3 <-> 4 cycle; 5 isolated.
    const csr = csrFromEdges(
      6,
      [
        [0, 1],
        [1, 2],
        [3, 4],
        [4, 3],
      ],
      { directed: true },
    );
    const corpus = await generateWalks(csr, { walkLength: 6, walksPerNode: 2, p: 0.5, q: 2, threads: 2 });
    const starts = walkStarts(corpus.lengths);
    const byStart = new Map<number, number[]>();
    for (let i = 0; i < corpus.lengths.length; i++) {
      const walk = [...walkAt(corpus.tokens, corpus.lengths, starts, i)];
      byStart.set(walk[0]!, walk);
    }
    expect(byStart.get(0)).toEqual([0, 1, 2]);
    expect(byStart.get(1)).toEqual([1, 2]);
    expect(byStart.get(2)).toEqual([2]);
    expect(byStart.get(3)).toEqual([3, 4, 3, 4, 3, 4]);
    expect(byStart.get(5)).toEqual([5]);
    expect(corpus.tokens.length).toBe(2 * (3 + 2 + 1 + 6 + 6 + 1));
  });

  // Enough walks that the threads pack the corpus in parallel (each moves its
  // own range, a few walks set aside): with fewer dead ends (a fifth of the
  // tokens missing: parallel at 2 and 3 threads) and with many (six sevenths
  // missing: parallel at 2, too many to set aside at 3, so serial). The
  // corpus is the same for any thread count, and every walk is a path that
  // stops only at the walk length or at a node without arcs.
  for (const [name, deadEvery] of [
    ['fewer', 400],
    ['many', 3],
  ] as const) {
    it(`packs thousands of walks cut short at dead ends (${name}) the same for 1, 2 and 3 threads`, async () => {
      const nodeCount = 3000;
      const edges = randomEdges(nodeCount, 12_000, 13).filter(([a]) => a % deadEvery !== 0);
      const csr = csrFromEdges(nodeCount, edges, { directed: true });
      const walkLength = 20;
      const runs = await Promise.all(
        [1, 2, 3].map((threads) => generateWalks(csr, { p: 0.5, q: 2, walkLength, walksPerNode: 2, seed: 3, threads })),
      );
      const first = runs[0]!;
      expect(first.tokens.length).toBeLessThan(2 * nodeCount * walkLength);
      for (const run of runs.slice(1)) {
        expect(run.lengths).toEqual(first.lengths);
        expect(Buffer.from(run.tokens.buffer, run.tokens.byteOffset, run.tokens.byteLength).equals(
          Buffer.from(first.tokens.buffer, first.tokens.byteOffset, first.tokens.byteLength),
        )).toBe(true);
      }
      const starts = walkStarts(first.lengths);
      let notArcs = 0;
      let cutShort = 0;
      let cutWithArcsLeft = 0;
      for (let i = 0; i < first.lengths.length; i++) {
        const walk = walkAt(first.tokens, first.lengths, starts, i);
        for (let k = 1; k < walk.length; k++) if (!hasArc(csr, walk[k - 1]!, walk[k]!)) notArcs++;
        const last = walk[walk.length - 1]!;
        if (walk.length < walkLength) {
          cutShort++;
          if (csr.offsets[last + 1] !== csr.offsets[last]) cutWithArcsLeft++;
        }
      }
      expect(cutShort).toBeGreaterThan(0);
      expect({ notArcs, cutWithArcsLeft }).toEqual({ notArcs: 0, cutWithArcsLeft: 0 });
    });
  }

  it('walks isolated nodes as length-1 walks', async () => {
    const csr = csrFromEdges(3, []);
    const corpus = await generateWalks(csr, { walkLength: 10, walksPerNode: 2 });
    expect([...corpus.lengths]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([...corpus.tokens].sort()).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('follows self-loops', async () => {
    const csr = csrFromEdges(2, [
      [0, 0, 2],
      [1, 1, 1],
    ]);
    for (const [p, q] of [
      [0.25, 4],
      [4, 0.25],
      [1, 1],
    ] as const) {
      const corpus = await generateWalks(csr, { p, q, walkLength: 5, walksPerNode: 1, startNodes: Uint32Array.of(1) });
      expect([...corpus.tokens]).toEqual([1, 1, 1, 1, 1]);
    }
  });

  it('handles a node whose only arcs go back to the previous node (multi-edge)', async () => {
    const csr = csrFromEdges(2, [
      [0, 1, 1],
      [0, 1, 2],
    ]);
    const corpus = await generateWalks(csr, { p: 0.25, q: 4, walkLength: 6, walksPerNode: 1, startNodes: Uint32Array.of(0) });
    expect([...corpus.tokens]).toEqual([0, 1, 0, 1, 0, 1]);
  });
});

describe('generateWalks: start nodes', () => {
  const { user, product, review, plain } = NodeType;
  const nodeType = Uint8Array.of(user, product, review, user, product, review, plain, user);
  const csr = csrFromEdges(
    8,
    [
      [0, 2],
      [2, 1],
      [3, 5],
      [5, 4],
      [6, 7],
      [7, 0],
    ],
    { nodeType },
  );

  it('starts only from the chosen node types', async () => {
    const corpus = await generateWalks(csr, {
      startTypes: [NodeType.user, NodeType.product],
      walkLength: 4,
      walksPerNode: 3,
    });
    const starts = walkStarts(corpus.lengths);
    const firsts = [...starts].map((s) => corpus.tokens[s]!);
    expect(firsts.length).toBe(5 * 3);
    expect(new Set(firsts)).toEqual(new Set([0, 1, 3, 4, 7]));
  });

  it('starts from explicit nodes, filtered by type when both are given', async () => {
    const corpus = await generateWalks(csr, {
      startNodes: Uint32Array.of(6, 2, 7),
      startTypes: [NodeType.user, NodeType.review],
      walkLength: 3,
      walksPerNode: 2,
    });
    const firsts = [...walkStarts(corpus.lengths)].map((s) => corpus.tokens[s]!);
    expect(firsts.sort()).toEqual([2, 2, 7, 7]);
  });
});

describe('generateWalks: options and errors', () => {
  const csr = csrFromEdges(4, [
    [0, 1],
    [1, 2],
  ]);

  it('resolves defaults in one place', () => {
    const r = resolveWalkOptions(csr);
    expect(r).toMatchObject({ ...walkDefaults });
    expect(r.threads).toBeGreaterThanOrEqual(1);
    expect([...r.starts]).toEqual([0, 1, 2, 3]);
  });

  it.each([
    ['p', { p: 0 }],
    ['p', { p: -1 }],
    ['q', { q: Number.NaN }],
    ['q', { q: Infinity }],
    ['walkLength', { walkLength: 0 }],
    ['walksPerNode', { walksPerNode: 1.5 }],
    ['threads', { threads: 0 }],
    ['seed', { seed: -3 }],
    ['startNodes', { startNodes: Uint32Array.of(9) }],
    ['startTypes', { startTypes: [NodeType.category] }],
  ])('rejects a bad %s', async (option, opts) => {
    const err = await generateWalks(csr, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OptionError);
    expect((err as Error).message).toContain(`"${option}"`);
    expect((err as Error).message).toContain('generateWalks');
  });

  it('rejects an unsorted CSR row with a GraphprofError naming the node', async () => {
    const bad = { ...csr, targets: Uint32Array.of(1, 2, 0, 1) };
    const err = await generateWalks(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphprofError);
    expect((err as Error).message).toMatch(/generateWalks: .*node 1 is not sorted/);
  });

  it('rejects a non-positive weight', async () => {
    const bad = { ...csr, weights: Float32Array.of(1, 0, 1, 1) };
    await expect(generateWalks(bad)).rejects.toThrow(/weights\[1\]/);
  });
});

describe('generateWalks: progress and cancellation', () => {
  it('reports progress up to the total', async () => {
    const csr = csrFromEdges(2000, randomEdges(2000, 8000, 4));
    const calls: [number, number, string | undefined][] = [];
    await generateWalks(csr, {
      walkLength: 20,
      walksPerNode: 5,
      onProgress: (done, total, status) => calls.push([done, total, status]),
    });
    expect(calls.length).toBeGreaterThan(0);
    const last = calls[calls.length - 1]!;
    expect(last).toEqual([10_000, 10_000, 'walks']);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
  });

  // On a cycle with p = q = 1e4 almost every proposal is rejected, so walks are
  // slow enough that the abort (fired from a timer, which also shows the event
  // loop keeps running) lands mid-job.
  const slowCycle = csrFromEdges(
    100,
    Array.from({ length: 100 }, (_, i): Edge => [i, (i + 1) % 100]),
  );

  it('rejects with AbortedError when the signal aborts', async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 150);
    const run = generateWalks(slowCycle, { p: 1e4, q: 1e4, walksPerNode: 2000, signal: controller.signal });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    clearTimeout(timer);
    expect(controller.signal.aborted).toBe(true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    await expect(generateWalks(slowCycle, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
  });

  it('stops and rethrows when the progress callback throws', async () => {
    const run = generateWalks(slowCycle, {
      p: 1e4,
      q: 1e4,
      walksPerNode: 2000,
      onProgress: () => {
        throw new Error('progress sink failed');
      },
    });
    await expect(run).rejects.toThrow('progress sink failed');
  });
});

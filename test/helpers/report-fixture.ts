/**
 * A trained-looking run written straight into a database, for report tests:
 * planted segments of users who review mostly their segment's products (plus
 * a few products every segment buys) in words from a per-segment vocabulary.
 * Fused vectors are noisy copies of a per-segment direction, so the map has
 * real clusters; segment descriptions come from the real describeSegments.
 * Seconds to build even at 10k users, where training would take minutes.
 */
import type { Database as DB } from 'better-sqlite3';
import { arcsToCsr, ArcBuffer } from '../../src/graph/csr-build.js';
import { NodeType } from '../../src/graph/csr.js';
import type { ProductRecord, ReviewRecord } from '../../src/ingest/records.js';
import { reviewTableOf } from '../../src/ingest/table.js';
import { Prng } from '../../src/util/random.js';
import { describeSegments } from '../../src/segment/describe.js';
import { writeRun } from '../../src/store/runs.js';

export interface FixtureOptions {
  users: number;
  segments: number;
  productsPerSegment?: number;
  /** Products every segment reviews now and then (so the segment graph has shared nodes). */
  sharedProducts?: number;
  dim?: number;
  seed?: number;
  /** Also store an eval run on the same input files. */
  withEval?: boolean;
  /** Products without categories (default: one per segment). */
  noCategories?: boolean;
}

export interface Fixture {
  runId: number;
  evalRunId: number | null;
  users: number;
  segments: number;
  /** Distinct products among the segments' top-5 lists (nodes the segment graph must draw). */
  graphProducts: number;
  /** Segment-product links among the top-5 lists. */
  graphEdges: number;
}

const themes = [
  'guitar strings tone fretboard capo chords',
  'microphone vocals podcast stand condenser cable',
  'pedal distortion amp reverb delay overdrive',
  'drums sticks cymbals snare practice pad',
  'piano keyboard sustain keys weighted midi',
  'violin bow rosin bridge orchestra strings',
  'ukulele beach travel soprano tuner bright',
  'studio monitor headphones mixing interface latency',
  'trumpet valve mouthpiece brass lessons mute',
  'bass groove thumb slap four-string warm',
  'harmonica blues reed pocket folk bend',
  'flute silver keys embouchure band recital',
];
const filler = ['works', 'great', 'quality', 'price', 'happy', 'sound', 'shipping', 'recommend'];

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

function reviewText(rng: Prng, segment: number, product: string): string {
  const words = themes[segment % themes.length].split(' ');
  const out: string[] = [];
  for (let i = 0; i < 14; i++) out.push(rng.chance(0.55) ? rng.pick(words) : rng.pick(filler));
  return `About ${product}: ${out.join(' ')}.`;
}

export function writeReportFixture(db: DB, o: FixtureOptions): Fixture {
  const rng = new Prng(o.seed ?? 7, 'report-fixture');
  const dim = o.dim ?? 24;
  const perSegment = o.productsPerSegment ?? 8;
  const shared = o.sharedProducts ?? 3;
  const k = o.segments;
  const productIds: string[] = [];
  const products: ProductRecord[] = [];
  const productSegment: number[] = [];
  for (let s = 0; s < k; s++) {
    for (let j = 0; j < perSegment; j++) {
      const id = `P${s}-${j}`;
      productIds.push(id);
      productSegment.push(s);
      products.push({ productId: id, title: `${themes[s % themes.length].split(' ')[0]} product ${j} <b>&</b>`, categories: o.noCategories ? [] : [`Category ${s}`], brand: '', price: null });
    }
  }
  for (let j = 0; j < shared; j++) {
    productIds.push(`SHARED-${j}`);
    productSegment.push(-1);
    products.push({ productId: `SHARED-${j}`, title: `Everyday accessory ${j}`, categories: o.noCategories ? [] : ['Accessories'], brand: '', price: null });
  }
  const userIds = Array.from({ length: o.users }, (_, i) => `U${String(i).padStart(6, '0')}`);
  const planted = Int32Array.from(userIds, (_, i) => i % k);
  // Users first, then products: CSR index = position in this key list.
  const keys = [...userIds.map((u) => `user:${u}`), ...productIds.map((p) => `product:${p}`)];
  const nodeType = new Uint8Array(keys.length);
  nodeType.fill(NodeType.user, 0, userIds.length);
  nodeType.fill(NodeType.product, userIds.length);
  const arcs = new ArcBuffer();
  const reviews: ReviewRecord[] = [];
  const described = { member: [] as number[], product: [] as number[], rating: [] as number[], text: [] as string[] };
  userIds.forEach((u, i) => {
    const seg = planted[i];
    const seen = new Set<number>();
    const n = rng.range(2, 4);
    for (let r = 0; r < n; r++) {
      const p = rng.chance(0.85) ? seg * perSegment + rng.int(Math.max(1, Math.min(perSegment, 2 + r * 2))) : k * perSegment + rng.int(Math.max(1, shared));
      if (p >= productIds.length || seen.has(p)) continue;
      seen.add(p);
      const text = reviewText(rng, seg, productIds[p]);
      const rating = rng.range(2, 5);
      reviews.push({ reviewId: `R${i}-${r}`, userId: u, productId: productIds[p], rating, text, summary: '', timestamp: 1_600_000_000 + r, source: { file: 'fixture', line: reviews.length + 2 } });
      described.member.push(i);
      described.product.push(p);
      described.rating.push(rating);
      described.text.push(text);
      arcs.push(i, userIds.length + p, rating);
    }
  });
  const csr = arcsToCsr(keys.length, arcs.toArcList(), true, nodeType, keys);
  const centres = Array.from({ length: k }, () => unit(Float32Array.from({ length: dim }, () => rng.normal(0, 1))));
  const vectors = new Float32Array(keys.length * dim);
  const distance = new Float32Array(o.users);
  keys.forEach((_, v) => {
    const seg = v < userIds.length ? planted[v] : productSegment[v - userIds.length];
    const row = vectors.subarray(v * dim, (v + 1) * dim);
    for (let j = 0; j < dim; j++) row[j] = (seg >= 0 ? centres[seg][j] : 0) + rng.normal(0, 0.35);
    unit(row);
    if (v < userIds.length) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += (row[j] - centres[seg][j]) ** 2;
      distance[v] = Math.sqrt(d);
    }
  });
  const titles = new Map(products.map((p) => [p.productId, p]));
  const descriptions = describeSegments({
    k,
    assignment: planted,
    distance,
    reviews: { member: Int32Array.from(described.member), product: Uint32Array.from(described.product), rating: Float64Array.from(described.rating), text: described.text },
    products: { ids: productIds, titles: productIds.map((p) => titles.get(p)?.title ?? ''), categories: productIds.map((p) => titles.get(p)?.categories ?? []) },
  });
  const inputs = ['fixture/reviews.csv', 'fixture/products.csv'];
  const runId = writeRun(db, {
    kind: 'train',
    inputs,
    params: { dim, walkLength: 80, walksPerNode: 10, window: 10, p: 1, q: 1, negative: 5, epochs: 1, textWeight: 0.5, clusters: k, seed: o.seed ?? 7 },
    counts: { users: o.users, products: productIds.length, reviews: reviews.length, segments: k },
    timings: { read: 0.5, graph: 0.2, walks: 1.5, 'skip-gram': 12, text: 30, fusion: 0.1, segments: 2, describe: 0.3 },
    modelId: 'fixture-model',
    csr,
    reviews: reviewTableOf(reviews),
    products,
    vectors: [{ kind: 'fused', dim, data: vectors }],
    segments: descriptions.map((d, s) => ({ segment: s, size: d.size, centroid: centres[s], description: d })),
    assignments: { indices: Uint32Array.from(userIds, (_, i) => i), segment: planted, distance },
  });
  let evalRunId: number | null = null;
  if (o.withEval) {
    evalRunId = writeRun(db, {
      kind: 'eval',
      inputs,
      params: { k: 10 },
      counts: { k: 10, users: Math.floor(o.users / 2), heldOutProductsUnseen: 0, recall: { popularity: 0.11, graph: 0.2, text: 0.15, fused: 0.23 }, ndcg: { popularity: 0.05, graph: 0.1, text: 0.08, fused: 0.12 }, ari: 0.91, segments: k },
      timings: { score: 1 },
    });
  }
  const top = descriptions.map((d) => d.topProducts.slice(0, 5));
  return {
    runId,
    evalRunId,
    users: o.users,
    segments: k,
    graphProducts: new Set(top.flat().map((p) => p.productId)).size,
    graphEdges: top.reduce((a, t) => a + t.length, 0),
  };
}

/**
 * The parts of a profile, each a (user vectors, product vectors) pair whose
 * dot product scores a user against a product; fusion.ts weighs them.
 */
import { normaliseRows } from '../fuse/vectors.js';
import { itemDegree, type Interactions } from './interactions.js';
import type { PartName, ScoringPart } from './fusion.js';
import { walkPart, type WalkPartOptions } from './walk-part.js';

export interface PartInputs {
  /** Users x products of the profile rows (same row order as every matrix below). */
  x: Interactions;
  /** Skip-gram vectors: input vectors of users and products, output (context) vectors of products. */
  graph?: { dim: number; users: Float32Array; products: Float32Array; productContext: Float32Array };
  /** Mean text vectors (unit rows, zero rows for no text: used as they are). */
  text?: { dim: number; users: Float32Array; products: Float32Array };
  walk: WalkPartOptions;
  /** Parts to build (default: all that have their inputs). */
  only?: readonly PartName[];
}

/** Popularity as a part: user [1], product [log(1 + reviews)]. */
export function popularityPart(x: Interactions): ScoringPart {
  return {
    name: 'popularity',
    dim: 1,
    users: new Float32Array(x.users).fill(1),
    products: Float32Array.from({ length: x.items }, (_, j) => Math.log1p(itemDegree(x, j))),
  };
}

/** The parts, user rows unit length (a ranking only sees a user vector's direction). */
export function scoringParts(inp: PartInputs): ScoringPart[] {
  const want = (n: PartName): boolean => inp.only === undefined || inp.only.includes(n);
  const parts: ScoringPart[] = [];
  const g = inp.graph;
  // graph and context share the users' unit skip-gram vectors.
  const graphUsers = g ? normaliseRows(g.users.slice(), g.dim) : new Float32Array(0);
  if (g && want('graph')) parts.push({ name: 'graph', dim: g.dim, users: graphUsers, products: normaliseRows(g.products.slice(), g.dim) });
  if (g && want('context')) parts.push({ name: 'context', dim: g.dim, users: graphUsers, products: g.productContext });
  if (inp.text && inp.text.dim > 0 && want('text')) parts.push({ name: 'text', dim: inp.text.dim, users: inp.text.users, products: inp.text.products });
  if (want('walk')) {
    const w = walkPart(inp.x, inp.walk);
    parts.push({ name: 'walk', dim: w.dim, users: normaliseRows(w.users, w.dim), products: w.products });
  }
  if (want('popularity')) parts.push(popularityPart(inp.x));
  return parts;
}

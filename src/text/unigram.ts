/**
 * A fast, exact re-implementation of @lenml/tokenizers' encode() for one
 * tokenizer shape: a SentencePiece Unigram model with the normaliser NFKC,
 * Prepend "▁", Replace " " → "▁", no pre-tokenizer, no post-processor and no
 * added tokens — the tokenizer.json graphprof writes for USE-lite.
 *
 * Why hand-written: on the Musical Instruments reviews the library spends
 * ~9 s tokenizing 10,254 texts (its lattice rebuilds strings at every
 * position, and normaliser and pre-tokenizer run through generic machinery);
 * this path takes ~1 s, which is a fifth of the int8 text phase saved.
 *
 * What it reproduces, step by step (checked against the library on every
 * review of both Amazon sets and on edge cases in test/text-tokenizer.test.ts):
 *   - NFKC, "▁" + text with every " " replaced by "▁";
 *   - cut before every "▁" (exact: no vocabulary piece has an interior "▁",
 *     which unigramShapeOf() checks), each piece encoded on its own, memoised;
 *   - Viterbi over code points: at each position every vocabulary piece that
 *     starts there (shortest first), plus the unknown piece when no
 *     one-character piece does; each node keeps the first left neighbour (by
 *     start) with the highest sum left score + its own score, computed in
 *     float64 in that order, so equal-score segmentations resolve as in the
 *     library;
 *   - piece strings map to ids through a Map built in vocabulary order (a
 *     duplicated piece string takes its last id; unknown strings take unk_id);
 *     the unknown id scores (lowest score - 10);
 *   - runs of consecutive unknown ids collapse into one (fuse_unk).
 */
const META = '\u2581';
const MEMO_LIMIT = 200_000;

export interface UnigramShape {
  vocab: [string, number][];
  unkId: number;
}

function isExactSentencePieceNormalizer(n: unknown): boolean {
  const seq = n as { type?: unknown; normalizers?: unknown } | null;
  if (!seq || seq.type !== 'Sequence' || !Array.isArray(seq.normalizers) || seq.normalizers.length !== 3) return false;
  const [a, b, c] = seq.normalizers as Record<string, unknown>[];
  const pattern = c?.pattern as { String?: unknown } | undefined;
  return a?.type === 'NFKC' && b?.type === 'Prepend' && b.prepend === META && c?.type === 'Replace' && pattern?.String === ' ' && c.content === META;
}

/** The Unigram vocabulary when `json` has exactly the shape this module reproduces, else undefined. */
export function unigramShapeOf(json: Record<string, unknown>): UnigramShape | undefined {
  const model = json.model as { type?: unknown; vocab?: unknown; unk_id?: unknown; byte_fallback?: unknown } | undefined;
  if (model?.type !== 'Unigram' || !Array.isArray(model.vocab) || typeof model.unk_id !== 'number' || model.byte_fallback === true) return undefined;
  if (json.pre_tokenizer != null || json.post_processor != null) return undefined;
  if (Array.isArray(json.added_tokens) && json.added_tokens.length > 0) return undefined;
  if (!isExactSentencePieceNormalizer(json.normalizer)) return undefined;
  const vocab: [string, number][] = [];
  for (const e of model.vocab as unknown[]) {
    if (!Array.isArray(e) || typeof e[0] !== 'string' || (e[1] !== null && typeof e[1] !== 'number')) return undefined;
    if (e[0].indexOf(META, 1) >= 0) return undefined;
    vocab.push([e[0], (e[1] as number | null) ?? 0]);
  }
  if (model.unk_id < 0 || model.unk_id >= vocab.length) return undefined;
  return { vocab, unkId: model.unk_id };
}

interface Workspace {
  positions: number;
  id: Int32Array;
  bt: Float64Array;
  prev: Int32Array;
  next: Int32Array;
  head: Int32Array;
  tail: Int32Array;
}

function makeWorkspace(positions: number): Workspace {
  const nodes = (positions * (positions + 1)) / 2 + positions + 1;
  return {
    positions,
    id: new Int32Array(nodes),
    bt: new Float64Array(nodes),
    prev: new Int32Array(nodes),
    next: new Int32Array(nodes),
    head: new Int32Array(positions),
    tail: new Int32Array(positions),
  };
}

export class FastUnigram {
  /** Trie over code points: children per node, and the id of the piece ending at a node (-1: none). */
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly pieceId: number[] = [-1];
  private readonly scores: Float64Array;
  private readonly unkId: number;
  private readonly memo = new Map<string, number[]>();
  private ws: Workspace = makeWorkspace(0);

  constructor(shape: UnigramShape) {
    const { vocab, unkId } = shape;
    this.unkId = unkId;
    const idOf = new Map<string, number>();
    vocab.forEach(([piece], id) => idOf.set(piece, id));
    this.scores = Float64Array.from(vocab, ([, s]) => s);
    let min = Infinity;
    for (const [, s] of vocab) if (s < min) min = s;
    this.scores[unkId] = min - 10;
    for (const [piece] of vocab) {
      let node = 0;
      for (const ch of piece) {
        const cp = ch.codePointAt(0)!;
        let next = this.children[node]!.get(cp);
        if (next === undefined) {
          next = this.children.length;
          this.children.push(new Map());
          this.pieceId.push(-1);
          this.children[node]!.set(cp, next);
        }
        node = next;
      }
      this.pieceId[node] = idOf.get(piece)!;
    }
  }

  /** Ids of `text` without special tokens (there are none in this shape). */
  encode(text: string): number[] {
    const out: number[] = [];
    if (text.length === 0) return out;
    // Prepending before replaceAll leaves one flat string: indexOf on a "▁" + rest cons string is ~30x slower.
    const s = (META + text.normalize('NFKC')).replaceAll(' ', META);
    // s starts with "▁", so its pieces are each "▁" with everything up to the next "▁".
    for (let start = 0; start < s.length; ) {
      let end = s.indexOf(META, start + 1);
      if (end < 0) end = s.length;
      const piece = s.slice(start, end);
      start = end;
      let ids = this.memo.get(piece);
      if (ids === undefined) {
        ids = this.viterbi(piece);
        if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
        this.memo.set(piece, ids);
      }
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        // fuse_unk: a run of unknown ids becomes one.
        if (id !== this.unkId || out.length === 0 || out[out.length - 1] !== this.unkId) out.push(id);
      }
    }
    return out;
  }

  /** Lattice arrays for a piece of n code points (at most n(n+1)/2 + n + 1 nodes), reused across calls. */
  private workspace(n: number): Workspace {
    if (this.ws.positions < n + 1) this.ws = makeWorkspace(Math.max(n + 1, this.ws.positions * 2));
    return this.ws;
  }

  /**
   * The library's lattice, node for node: nodes by start, shortest first, the
   * unknown piece last; each node links to the first node ending where it
   * starts (in that order) with the highest (left score + its score). Node
   * lists per end position are linked lists in creation order.
   */
  private viterbi(piece: string): number[] {
    const cps = Array.from(piece, (c) => c.codePointAt(0)!);
    const n = cps.length;
    const w = this.workspace(n);
    const { id, bt, prev, next, head, tail } = w;
    head.fill(-1, 0, n + 1);
    tail.fill(-1, 0, n + 1);
    // Node 0 is the start of the text: it ends at 0 with score 0.
    let count = 1;
    head[0] = 0;
    tail[0] = 0;
    next[0] = -1;
    const add = (start: number, end: number, pieceId: number): void => {
      const score = this.scores[pieceId]!;
      let best = -1;
      let bestScore = 0;
      for (let l = head[start]!; l >= 0; l = next[l]!) {
        const sc = bt[l]! + score;
        if (best < 0 || sc > bestScore) {
          best = l;
          bestScore = sc;
        }
      }
      const k = count++;
      id[k] = pieceId;
      bt[k] = bestScore;
      prev[k] = best;
      next[k] = -1;
      if (head[end]! < 0) head[end] = k;
      else next[tail[end]!] = k;
      tail[end] = k;
    };
    for (let s = 0; s < n; s++) {
      let node = 0;
      let single = false;
      for (let e = s; e < n; e++) {
        const child = this.children[node]!.get(cps[e]!);
        if (child === undefined) break;
        node = child;
        const pieceId = this.pieceId[node]!;
        if (pieceId < 0) continue;
        if (e === s) single = true;
        add(s, e + 1, pieceId);
      }
      if (!single) add(s, s + 1, this.unkId);
    }
    let last = -1;
    let lastScore = 0;
    for (let l = head[n]!; l >= 0; l = next[l]!) {
      if (last < 0 || bt[l]! > lastScore) {
        last = l;
        lastScore = bt[l]!;
      }
    }
    const ids: number[] = [];
    for (let k = last; k > 0; k = prev[k]!) ids.push(id[k]!);
    return ids.reverse();
  }
}

/**
 * The walk corpus: every walk's node indices packed back to back in one
 * Uint32Array, with each walk's true length (walks that hit a dead end are
 * shorter). This is what the walker produces and the skip-gram trainer reads.
 */
export interface WalkCorpus {
  /** Node indices of all walks, concatenated. Length = sum(lengths). */
  readonly tokens: Uint32Array;
  /** Length of each walk, in walk order. */
  readonly lengths: Uint32Array;
  /** Number of nodes in the graph the walks came from (the vocabulary size). */
  readonly nodeCount: number;
}

/**
 * Defaults of `graphprof train` / `eval` / `refresh`, in one place. They serve
 * a typical shop: node2vec's own defaults for the walks (p = q = 1, length 80,
 * 10 walks per node, window 10, dim 128), one skip-gram epoch, and the text
 * weight chosen by `graphprof eval` on the Amazon sets (README: "Figures").
 */
export const trainDefaults = {
  dim: 128,
  walkLength: 80,
  walksPerNode: 10,
  window: 10,
  p: 1,
  q: 1,
  negative: 5,
  epochs: 1,
  textWeight: 0.5,
  clusters: 'auto' as number | 'auto',
  seed: 42,
  batchSize: 64,
} as const;

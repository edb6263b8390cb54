/**
 * Defaults of `graphprof train` / `eval` / `refresh`, in one place. They serve
 * a typical shop: node2vec's own defaults for the walks (p = q = 1, length 80,
 * 10 walks per node, window 10, dim 128), one skip-gram epoch, and the text
 * weight chosen by `graphprof eval` on the Amazon sets (README: "Figures").
 */
import { SGNS_DEFAULTS } from '../sgns/options.js';
import { walkDefaults } from '../walk/options.js';

export const trainDefaults = {
  dim: SGNS_DEFAULTS.dim,
  walkLength: walkDefaults.walkLength,
  walksPerNode: walkDefaults.walksPerNode,
  window: SGNS_DEFAULTS.window,
  p: walkDefaults.p,
  q: walkDefaults.q,
  negative: SGNS_DEFAULTS.negative,
  epochs: SGNS_DEFAULTS.epochs,
  textWeight: 0.6,
  clusters: 'auto' as number | 'auto',
  seed: SGNS_DEFAULTS.seed,
  batchSize: 64,
} as const;

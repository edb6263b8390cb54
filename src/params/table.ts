/**
 * Every parameter of graphprof's jobs, declared once: name (the key), flag,
 * default, check and help. The option types of the jobs, their resolvers, the
 * command-line flags, --config (any flag by its long name) and refresh's
 * merge with the run it extends are all derived from this table; adding a
 * parameter is adding one entry (and its name to the lists at the end).
 *
 * Defaults serve a typical shop: node2vec's own defaults for the walks
 * (p = q = 1, length 80, 10 walks per node, window 10, dim 128), gensim's for
 * the skip-gram learning rate and sub-sampling, and the text weight chosen by
 * `graphprof eval` on the Amazon sets (README: "Figures"). The walker's and the
 * trainer's defaults stay in their modules (walk/options.ts, sgns/options.ts),
 * which library callers of those modules rely on; the table takes them from there.
 */
import { canonicalColumns, inputFormats } from '../ingest/options.js';
import type { InputFormat } from '../ingest/records.js';
import { AUTO_EPOCH_TOKENS, AUTO_MAX_EPOCHS, SGNS_DEFAULTS } from '../sgns/options.js';
import { TEXT_MODEL_AUTO, TEXT_MODEL_SHOP, TEXT_PRECISIONS } from '../text/params.js';
import { walkDefaults } from '../walk/options.js';
import { WALK_DIM_AUTO } from '../rank/walk-part.js';
import { tagDefaults } from '../tags/score.js';
import { driftDefaults } from '../segment/drift.js';
import { accept, bool, choice, custom, int, list, maxThreads, num, reject, str, strings, type Param } from './param.js';

const group = {
  input: 'Input:',
  graph: 'Node2vec / skip-gram:',
  text: 'Text and fusion:',
  segments: 'Segments:',
  tags: 'Tags:',
  refresh: 'Refresh:',
  eval: 'Evaluation:',
  run: 'Run:',
} as const;

/** More segments than this are not a segmentation a person can read; k-means++ also slows with k. */
export const maxClusters = 100;

/** `--map user_id=reviewer,rating=stars` (repeatable), or an object from --config or a stored run. */
function readMap(value: unknown): Record<string, string> | string {
  const out: Record<string, string> = {};
  const add = (canonical: string, column: unknown): string | undefined => {
    const c = canonical.trim();
    if (!(canonicalColumns as readonly string[]).includes(c)) return `canonical=column pairs; "${c}" is not one of ${canonicalColumns.join(', ')}`;
    if (typeof column !== 'string' || column.trim() === '') return `canonical=column pairs; "${c}" maps to no column`;
    out[c] = column.trim();
    return undefined;
  };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const bad = add(k, v);
      if (bad) return bad;
    }
    return out;
  }
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (typeof item !== 'string') return 'canonical=column pairs, e.g. user_id=reviewer,rating=stars';
    for (const pair of item.split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0 || eq === pair.length - 1) return `canonical=column pairs, e.g. user_id=reviewer,rating=stars ("${pair}" has no "=")`;
      const bad = add(pair.slice(0, eq), pair.slice(eq + 1));
      if (bad) return bad;
    }
  }
  return out;
}

export const params = {
  // Input
  files: strings({ flag: 'input', alias: 'i', label: 'Input files', group: group.input, default: undefined, required: true, inherit: false, expected: 'one or more files or folders', help: 'Input files or folders (reviews, metadata, users/products CSV, or an edge list); .gz read transparently' }),
  format: choice<InputFormat, undefined>({ flag: 'format', label: 'Input format', group: group.input, default: undefined, defaultText: 'detected per file', choices: inputFormats, help: 'Input format of every file' }),
  skipInvalid: bool({ flag: 'skip-invalid', label: 'Skip invalid rows', group: group.input, default: false, help: 'Skip bad rows and count them by reason instead of stopping' }),
  map: custom<Record<string, string>, undefined>({
    flag: 'map',
    label: 'Column mapping',
    group: group.input,
    default: undefined,
    shape: { type: 'string', array: true },
    expected: 'canonical=column pairs, e.g. user_id=reviewer,rating=stars',
    help: `Generic CSV columns by canonical name, e.g. user_id=reviewer,rating=stars (names: ${canonicalColumns.join(', ')}); common names (stars, date, business_id, ...) are recognised without it`,
    check(value) {
      const m = readMap(value);
      return typeof m === 'string' ? reject(m) : accept(m);
    },
  }),
  pseudonymize: str({ flag: 'pseudonymize', label: 'Pseudonymised', group: group.input, default: undefined, inherit: false, expected: 'a key file (e.g. --pseudonymize key.bin, made with "head -c 32 /dev/urandom > key.bin"); without one, raw user ids would be stored', help: 'Replace user ids by HMAC-SHA256 keyed hashes; the key is read from this file' }),
  directed: bool({ flag: 'directed', label: 'Directed edges', group: group.input, default: false, help: 'Edge lists: keep edges one way' }),

  // Walks and skip-gram
  dim: int({ flag: 'dim', label: 'Graph vector size', group: group.graph, default: SGNS_DEFAULTS.dim, min: 1, max: 4096, help: 'Graph vector size' }),
  walkLength: int({ flag: 'walk-length', label: 'Walk length', group: group.graph, default: walkDefaults.walkLength, min: 2, max: 100_000, help: 'Nodes per walk' }),
  walksPerNode: int({ flag: 'walks', label: 'Walks per node', group: group.graph, default: walkDefaults.walksPerNode, min: 1, max: 10_000, help: 'Walks per node' }),
  p: num({ flag: 'p', label: 'Return parameter p', group: group.graph, default: walkDefaults.p, min: 0, max: 1e6, openMin: true, help: 'Return parameter (low: walks stay local)' }),
  q: num({ flag: 'q', label: 'In-out parameter q', group: group.graph, default: walkDefaults.q, min: 0, max: 1e6, openMin: true, help: 'In-out parameter (low: walks explore outward)' }),
  window: int({ flag: 'window', label: 'Context window', group: group.graph, default: SGNS_DEFAULTS.window, min: 1, max: 1000, help: 'Skip-gram context window' }),
  negative: int({ flag: 'negative', label: 'Negative samples', group: group.graph, default: SGNS_DEFAULTS.negative, min: 1, max: 1000, help: 'Negative samples per pair' }),
  epochs: custom<number | 'auto', number | 'auto'>({
    flag: 'epochs',
    label: 'Skip-gram epochs',
    group: group.graph,
    default: SGNS_DEFAULTS.epochs,
    expected: '"auto" or an integer in [1, 1000]',
    range: 'auto|1..1000',
    help: `Skip-gram passes over the walks, or "auto" (round(${AUTO_EPOCH_TOKENS / 1e6}M / walk tokens), 1..${AUTO_MAX_EPOCHS}: small corpora train more, large ones once)`,
    check(value) {
      if (value === 'auto') return accept('auto');
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      return Number.isInteger(n) && n >= 1 && n <= 1000 ? accept(n) : reject('"auto" or an integer in [1, 1000]');
    },
  }),
  alpha: num({ flag: 'alpha', label: 'Learning rate', group: group.graph, default: SGNS_DEFAULTS.alpha, min: 0, max: 1, openMin: true, help: 'Skip-gram learning rate at the start (decays linearly to --min-alpha)' }),
  minAlpha: num({ flag: 'min-alpha', label: 'Final learning rate', group: group.graph, default: SGNS_DEFAULTS.minAlpha, min: 0, max: 1, help: 'Skip-gram learning rate at the end (at most --alpha)' }),
  sample: num({ flag: 'sample', label: 'Sub-sampling threshold', group: group.graph, default: SGNS_DEFAULTS.sample, min: 0, max: 1, openMax: true, help: 'Sub-sampling threshold of frequent nodes (word2vec\'s sample; 0: off)' }),
  minCount: int({ flag: 'min-count', label: 'Minimum count', group: group.graph, default: SGNS_DEFAULTS.minCount, min: 0, max: 1_000_000_000, help: 'Nodes seen fewer times in the walks are left out of training' }),
  seed: int({ flag: 'seed', label: 'Seed', group: group.graph, default: SGNS_DEFAULTS.seed, min: 0, max: Number.MAX_SAFE_INTEGER, help: 'Seed of every random choice (one thread: bit-reproducible)' }),
  reviewVectors: bool({ flag: 'review-vectors', label: 'Review vectors', group: group.graph, default: false, help: 'Also start walks at review nodes and train their vectors (off: reviews are walked through only, which trains users and products better and faster)' }),
  threads: int({ flag: 'threads', label: 'Threads', group: group.graph, default: undefined, defaultText: 'all cores', inherit: false, min: 1, max: maxThreads, help: 'Worker threads' }),

  // Text and fusion
  textWeight: num({ flag: 'text-weight', label: 'Text weight', group: group.text, default: 0.6, min: 0, max: 1, help: 'Share of the fused similarity from review text (0: no text model)' }),
  fusedDim: int({ flag: 'fused-dim', label: 'Fused dimensions', group: group.text, default: undefined, defaultText: 'graph + text size', min: 2, max: 4096, help: 'Project fused vectors to this many dimensions (PCA)' }),
  textModel: str({ flag: 'text-model', label: 'Text model', group: group.text, default: TEXT_MODEL_AUTO, defaultText: 'auto; $GRAPHPROF_TEXT_MODEL replaces auto', expected: `"${TEXT_MODEL_AUTO}", "${TEXT_MODEL_SHOP}", a model directory or a cached model name`, help: 'Text encoder: auto (USE-lite for English reviews, one trained on the shop\'s reviews for other languages), shop (the shop-trained one for all), or an ONNX model DIR / cached name' }),
  textPrecision: choice({ flag: 'text-precision', label: 'Text precision', group: group.text, default: 'int8', choices: TEXT_PRECISIONS, help: 'Built-in text model variant: int8 (int8 MatMul weights, ~2x faster) or fp32 (weights as shipped)' }),
  batchSize: int({ flag: 'batch-size', label: 'Text batch size', group: group.text, default: 32, min: 1, max: 4096, help: 'Texts per ONNX batch' }),

  fusion: choice({ flag: 'fusion', label: 'Fusion', group: group.text, default: 'learned', choices: ['learned', 'fixed'] as const, help: 'learned: the weights of the graph, context, text, walk and popularity parts are fitted on a validation split of the training reviews; fixed: graph and text blended by --text-weight' }),
  walkDim: custom<number | 'auto', number | 'auto'>({
    flag: 'walk-dim',
    label: 'Walk part size',
    group: group.text,
    default: 'auto',
    expected: '"auto" or an integer in [1, 4096]',
    range: 'auto|1..4096',
    help: `Rank of the walk part (RP3β item-item walk scores, factorised; capped at the number of products), or "auto" (every product up to ${WALK_DIM_AUTO.exactMaxItems}, so the walk part is RP3β exactly; ${WALK_DIM_AUTO.largeDim} above)`,
    check(value) {
      if (value === 'auto') return accept('auto');
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      return Number.isInteger(n) && n >= 1 && n <= 4096 ? accept(n) : reject('"auto" or an integer in [1, 4096]');
    },
  }),
  validationUsers: int({ flag: 'validation-users', label: 'Validation users', group: group.text, default: 2000, min: 1, max: 10_000_000, help: 'At most this many users give their newest training review to the validation split the learned fusion is fitted on' }),

  // Segments
  clusters: custom<number | 'auto', number | 'auto'>({
    flag: 'clusters',
    label: 'Segments asked for',
    group: group.segments,
    default: 'auto',
    expected: `"auto" or an integer in [2, ${maxClusters}]`,
    range: `auto|2..${maxClusters}`,
    help: 'Number of segments, or "auto" (best mean silhouette over 2..12)',
    check(value) {
      if (value === 'auto') return accept('auto');
      const k = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (k === 1) return reject(`"auto" or an integer in [2, ${maxClusters}]: one segment would hold every user and tell them apart by nothing`);
      return Number.isInteger(k) && k >= 2 && k <= maxClusters ? accept(k) : reject(`"auto" or an integer in [2, ${maxClusters}]`);
    },
  }),

  matchBy: choice({ flag: 'match-by', label: 'Segments matched by', group: group.segments, default: 'members', choices: ['members', 'centroid', 'both'] as const, help: 'How a new run\'s segments keep the previous run\'s stable ids (Hungarian matching): members (Jaccard overlap of their users), centroid (cosine of the centroids; only within one vector space, e.g. refresh --refit), or both (their mean)' }),

  // Tags
  tags: str({ flag: 'tags', label: 'Tag file', group: group.tags, default: undefined, defaultText: 'the built-in set', inherit: false, expected: 'a YAML or JSON tag file (README: "Tags")', help: 'Tag definitions (YAML or JSON: a name and describing phrases in any language per tag, optional kind, polarity, behaviour hooks, threshold); interest tags per category are added' }),
  tagThreshold: num({ flag: 'tag-threshold', label: 'Tag threshold', group: group.tags, default: tagDefaults.threshold, min: -10, max: 10, inherit: false, help: 'Score (a z statistic against the shop\'s typical user) from which a user has a tag; a tag file can set its own per tag' }),

  // Refresh
  driftThreshold: num({ flag: 'drift-threshold', label: 'Drift threshold', group: group.refresh, default: driftDefaults.threshold, min: 0, max: 2, inherit: false, help: 'Cosine distance between a user\'s fused vectors in the base run and the refresh from which the user has drifted (a changed segment counts too)' }),
  onlyIfDrift: num({ flag: 'only-if-drift', label: 'Retrain at drift share', group: group.refresh, default: undefined, min: 0, max: 1, inherit: false, help: 'Nightly trigger: after the refresh, exit with code 10 when this share of users (0..1) or more drifted, telling the script to retrain' }),
  driftLimit: num({ flag: 'limit', label: 'Drift share limit', group: group.refresh, default: undefined, min: 0, max: 1, inherit: false, help: 'Exit with code 10 when this share of users (0..1) or more drifted in the refresh (the script retrains then)' }),

  run: custom<number | 'latest', number | 'latest'>({
    flag: 'run',
    label: 'Run',
    group: group.run,
    default: 'latest',
    inherit: false,
    shape: { type: 'string' },
    expected: '"latest" or a run id (see "graphprof runs")',
    help: 'Run id, or "latest" (the newest train or refresh run)',
    check(value) {
      if (value === 'latest') return accept('latest');
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
      return Number.isSafeInteger(n) && n > 0 ? accept(n) : reject('"latest" or a run id (see "graphprof runs")');
    },
  }),
  refit: bool({ flag: 'refit', label: 'Re-clustered', group: group.refresh, default: false, inherit: false, help: 'Re-cluster users instead of assigning them to the existing segments' }),
  radius: int({ flag: 'radius', label: 'Refresh radius', group: group.refresh, default: 1, min: 0, max: 10, help: 'Hops around new nodes whose walks are redone' }),

  // Keeping the database bounded (runs)
  deleteRuns: custom<number[], undefined>({
    flag: 'delete',
    label: 'Runs deleted',
    group: group.run,
    default: undefined,
    inherit: false,
    shape: { type: 'string', array: true },
    expected: 'run ids (see "graphprof runs")',
    help: 'Delete these runs (and what only they use), then compact the file',
    check(value) {
      const items = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter((v) => v.trim() !== '');
      const ids = items.map((v) => (/^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN));
      return ids.length > 0 && ids.every((n) => Number.isSafeInteger(n) && n > 0) ? accept(ids) : reject('run ids (see "graphprof runs")');
    },
  }),
  keepLast: int({ flag: 'keep-last', label: 'Runs kept', group: group.run, default: undefined, inherit: false, min: 1, max: 1_000_000, help: 'Delete all but the newest K runs, then compact the file (e.g. after a nightly refresh)' }),
  space: bool({ flag: 'space', label: 'Space report', group: group.run, default: false, inherit: false, help: 'Also show what takes the space: bytes per table, and per review of the newest run' }),

  // Evaluation and queries
  k: int({ flag: 'k', label: 'Cut-off k', group: group.eval, default: 10, min: 1, max: 1000, inherit: false, help: 'Cut-off of the ranking metrics (Recall@k, NDCG@k)' }),
  textWeights: list({ flag: 'text-weights', label: 'Text weights swept', group: group.eval, default: undefined, min: 0, max: 1, inherit: false, help: 'Also score fused vectors at these text weights' }),
  truth: str({ flag: 'truth', label: 'Ground truth', group: group.eval, default: undefined, inherit: false, expected: 'a CSV file path', help: 'CSV user_id,segment of planted segments: report the adjusted Rand index' }),
  top: int({ flag: 'k', label: 'Results', group: group.run, default: 10, min: 1, max: 10_000, inherit: false, help: 'How many users or products to list' }),
} satisfies Record<string, Param<unknown>>;

export type Params = typeof params;
export type ParamName = keyof Params;

/** Rules between parameters, checked once every value is known. */
export const paramRules: readonly { names: readonly ParamName[]; holds: (v: Partial<Record<ParamName, unknown>>) => boolean; expected: string }[] = [
  {
    names: ['minAlpha', 'alpha'],
    holds: (v) => typeof v.minAlpha !== 'number' || typeof v.alpha !== 'number' || v.minAlpha <= v.alpha,
    expected: 'a final learning rate (--min-alpha) no larger than the starting one (--alpha)',
  },
];

/** Reading input files (train, eval, refresh, ingest). */
export const readParamNames = ['format', 'skipInvalid', 'map', 'pseudonymize'] as const satisfies readonly ParamName[];
/** Node2vec walks and skip-gram (embed-graph, and the graph part of every profile). */
export const graphParamNames = ['dim', 'walkLength', 'walksPerNode', 'p', 'q', 'window', 'negative', 'epochs', 'alpha', 'minAlpha', 'sample', 'minCount', 'seed', 'threads'] as const satisfies readonly ParamName[];
/** Everything that shapes a run's profiles (train, eval, refresh). */
export const profileParamNames = [...graphParamNames, 'reviewVectors', 'textWeight', 'fusedDim', 'textModel', 'textPrecision', 'batchSize', 'fusion', 'walkDim', 'validationUsers', 'clusters'] as const satisfies readonly ParamName[];
/** Profile parameters a refresh cannot change: they define the vector space the refreshed run shares with its base. */
export const fixedOnRefresh = ['dim', 'textWeight', 'fusedDim', 'fusion', 'walkDim', 'textModel', 'textPrecision'] as const satisfies readonly ParamName[];
export const refreshParamNames = profileParamNames.filter((n): n is Exclude<(typeof profileParamNames)[number], (typeof fixedOnRefresh)[number]> => !(fixedOnRefresh as readonly string[]).includes(n));

/** Tags fitted by train (refresh rescoring uses its base run's tag model). */
export const tagParamNames = ['tags', 'tagThreshold'] as const satisfies readonly ParamName[];
/** Drift of a refresh from its base run, and the nightly trigger. */
export const driftParamNames = ['driftThreshold', 'onlyIfDrift'] as const satisfies readonly ParamName[];

export type ProfileParamName = (typeof profileParamNames)[number];
export type ReadParamName = (typeof readParamNames)[number];

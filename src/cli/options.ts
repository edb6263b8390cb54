/**
 * Options shared by several commands, declared once so their names, defaults
 * and help text stay the same everywhere.
 */
import type { Argv } from 'yargs';
import { defaultDbPath } from '../store/store.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { pseudonymizer } from '../util/pseudonym.js';
import { trainDefaults } from '../jobs/defaults.js';
import { textModelParam, textPrecisionParam, type TextPrecision } from '../text/params.js';

export interface GlobalArgs {
  db: string;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

export function globalOptions<T>(y: Argv<T>): Argv<T & GlobalArgs> {
  return y
    .option('db', { type: 'string', default: defaultDbPath, describe: 'SQLite database file', global: true })
    .option('json', { type: 'boolean', default: false, describe: 'Print machine-readable JSON on stdout', global: true })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress or notes on stderr', global: true })
    .option('verbose', { type: 'boolean', default: false, describe: 'Show stack traces on errors', global: true });
}

export interface InputArgs {
  input: string[];
  format?: 'amazon-json' | 'amazon-csv' | 'csv' | 'edgelist' | 'amazon-meta';
  'skip-invalid': boolean;
  map: string[];
  pseudonymize?: string;
  directed: boolean;
}

export function inputOptions<T>(y: Argv<T>): Argv<T & InputArgs> {
  return y
    .option('input', { alias: 'i', type: 'string', array: true, demandOption: true, describe: 'Input files (reviews, metadata, users/products CSV, or an edge list); .gz read transparently' })
    .option('format', { type: 'string', choices: ['amazon-json', 'amazon-csv', 'csv', 'edgelist', 'amazon-meta'] as const, describe: 'Input format (default: detected from each file)' })
    .option('skip-invalid', { type: 'boolean', default: false, describe: 'Skip bad rows and count them by reason instead of stopping' })
    .option('map', { type: 'string', array: true, default: [] as string[], describe: 'Generic CSV column mapping, canonical=column (e.g. user_id=reviewer)' })
    .option('pseudonymize', { type: 'string', describe: 'Replace user ids by HMAC-SHA256 keyed hashes; the key is read from this file' })
    .option('directed', { type: 'boolean', default: false, describe: 'Edge lists: keep edges one way' }) as unknown as Argv<T & InputArgs>;
}

/** Parses repeated `--map canonical=column` flags. */
export function parseMap(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq <= 0 || eq === e.length - 1) throw new GraphprofError(`--map: "${e}" is not of the form canonical=column (e.g. user_id=reviewer)`, ExitCode.usage);
    out[e.slice(0, eq).trim()] = e.slice(eq + 1).trim();
  }
  return out;
}

export interface Node2vecArgs {
  dim: number;
  'walk-length': number;
  walks: number;
  window: number;
  p: number;
  q: number;
  negative: number;
  epochs: number;
  seed: number;
  threads?: number;
}

/** Walk and skip-gram flags (train, eval, embed-graph); defaults from src/jobs/defaults.ts. */
export function node2vecOptions<T>(y: Argv<T>): Argv<T & Node2vecArgs> {
  const d = trainDefaults;
  const group = 'Node2vec / skip-gram:';
  return y
    .option('dim', { type: 'number', default: d.dim, describe: 'Graph vector size', group })
    .option('walk-length', { type: 'number', default: d.walkLength, describe: 'Nodes per walk', group })
    .option('walks', { type: 'number', default: d.walksPerNode, describe: 'Walks per node', group })
    .option('window', { type: 'number', default: d.window, describe: 'Skip-gram context window', group })
    .option('p', { type: 'number', default: d.p, describe: 'Return parameter (low: walks stay local)', group })
    .option('q', { type: 'number', default: d.q, describe: 'In-out parameter (low: walks explore outward)', group })
    .option('negative', { type: 'number', default: d.negative, describe: 'Negative samples per pair', group })
    .option('epochs', { type: 'number', default: d.epochs, describe: 'Skip-gram passes over the walks', group })
    .option('seed', { type: 'number', default: d.seed, describe: 'Seed of every random choice (one thread: bit-reproducible)' })
    .option('threads', { type: 'number', describe: 'Worker threads (default: all cores)' }) as unknown as Argv<T & Node2vecArgs>;
}

export interface TrainArgs extends Node2vecArgs {
  'text-weight': number;
  'fused-dim'?: number;
  'text-model'?: string;
  'text-precision': TextPrecision;
  'batch-size': number;
  clusters: string;
}

/** Flags of the profile pipeline, shared by train and eval. */
export function trainOptions<T>(y: Argv<T>): Argv<T & TrainArgs> {
  const d = trainDefaults;
  return node2vecOptions(y)
    .option('text-weight', { type: 'number', default: d.textWeight, describe: 'Share of the fused similarity from review text, 0..1 (0: no text model)', group: 'Text and fusion:' })
    .option('fused-dim', { type: 'number', describe: 'Project fused vectors to this many dimensions (PCA)', group: 'Text and fusion:' })
    .option(textModelParam.flag, { type: 'string', describe: `${textModelParam.help} (default: ${textModelParam.default}; $GRAPHPROF_TEXT_MODEL replaces auto)`, group: 'Text and fusion:' })
    .option(textPrecisionParam.flag, { type: 'string', choices: textPrecisionParam.choices, default: textPrecisionParam.default, describe: textPrecisionParam.help, group: 'Text and fusion:' })
    .option('batch-size', { type: 'number', default: d.batchSize, describe: 'Texts per ONNX batch', group: 'Text and fusion:' })
    .option('clusters', { type: 'string', default: String(d.clusters), describe: 'Number of segments, or "auto" (silhouette over 2..12)', group: 'Segments:' }) as unknown as Argv<T & TrainArgs>;
}

export function parseClusters(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1) throw new GraphprofError(`--clusters: "${value}" is neither "auto" nor a positive integer`, ExitCode.usage);
  return k;
}

/** ProfileOptions from parsed train flags. */
export function profileOptionsOf(a: TrainArgs) {
  return {
    dim: a.dim,
    walkLength: a['walk-length'],
    walksPerNode: a.walks,
    window: a.window,
    p: a.p,
    q: a.q,
    negative: a.negative,
    epochs: a.epochs,
    textWeight: a['text-weight'],
    fusedDim: a['fused-dim'],
    textModel: a['text-model'],
    textPrecision: a['text-precision'],
    batchSize: a['batch-size'],
    clusters: parseClusters(a.clusters),
    seed: a.seed,
    threads: a.threads,
  };
}

/** ReadOptions from parsed input flags. */
export function readOptionsOf(a: InputArgs) {
  return {
    format: a.format,
    skipInvalid: a['skip-invalid'],
    map: parseMap(a.map),
    pseudonymize: a.pseudonymize ? pseudonymizer(a.pseudonymize) : undefined,
  };
}

/**
 * Options shared by several commands, declared once so their names, defaults
 * and help text stay the same everywhere.
 */
import type { Argv } from 'yargs';
import { defaultDbPath } from '../store/store.js';
import { ExitCode, GraphprofError } from '../util/errors.js';

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
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress or notes on stderr', global: true })
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

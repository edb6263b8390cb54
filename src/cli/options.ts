/**
 * The global options of every command (the job parameters come from the
 * parameter table: see params.ts), and the input options as ReadOptions.
 */
import type { Argv } from 'yargs';
import { defaultDbPath } from '../store/store.js';
import { pseudonymizer } from '../util/pseudonym.js';
import { describeColumns } from '../ingest/columns.js';
import type { ReadOptions } from '../ingest/options.js';
import type { ParamValues, ReadParamName } from '../params/index.js';

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

/**
 * ReadOptions from the checked input flags: the key file of --pseudonymize
 * becomes the keyed hash, and where each generic CSV column came from is told
 * as notes.
 */
export function readOptionsOf(v: Partial<ParamValues<ReadParamName>>, note: (message: string) => void): Omit<ReadOptions, 'onProgress'> {
  return {
    format: v.format,
    skipInvalid: v.skipInvalid,
    map: v.map,
    pseudonymize: v.pseudonymize ? pseudonymizer(v.pseudonymize) : undefined,
    onColumns: (report) => {
      for (const line of describeColumns(report)) note(line);
    },
  };
}

/**
 * The graphprof command line: global options, the command list and error
 * handling. A GraphprofError prints its message (no stack unless --verbose)
 * and sets its documented exit code.
 */
import yargs from 'yargs';
import { commands } from './commands.js';
import { readConfigFile } from './config-file.js';
import { stdinInputArgs } from './stdin-arg.js';
import { globalOptions } from './options.js';
import { ExitCode, GraphprofError } from '../util/errors.js';

export async function main(args: string[]): Promise<number> {
  const verbose = args.includes('--verbose');
  let failure: unknown;
  const parser = globalOptions(yargs(stdinInputArgs(args)))
    .scriptName('graphprof')
    .usage('$0 <command> [options]\n\nGraph-embedding profiles of users and products: node2vec + skip-gram on the shop graph, fused with transformer text embeddings, clustered into segments, stored in SQLite.')
    .config('config', 'JSON file of options (any flag, by its long name), e.g. for nightly batch scripts', readConfigFile)
    .command(commands)
    .demandCommand(1, 'Name a command (see --help).')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      // yargs' own errors (YError: bad flags, a bad --config file) are usage errors; a handler's errors keep their exit code.
      failure = err && err.name !== 'YError' ? err : new GraphprofError(`${msg ?? err?.message}\nRun "graphprof --help" for usage.`, ExitCode.usage);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    failure ??= err;
  }
  if (failure === undefined) return ExitCode.ok;
  return report(failure, verbose);
}

function report(err: unknown, verbose: boolean): number {
  if (err instanceof GraphprofError) {
    process.stderr.write(`graphprof: ${err.message}\n`);
    if (verbose && err.stack) process.stderr.write(err.stack + '\n');
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`graphprof: ${e?.message ?? String(err)}\n`);
  if (verbose && e?.stack) process.stderr.write(e.stack + '\n');
  else process.stderr.write('(run with --verbose for the stack trace)\n');
  return ExitCode.failure;
}

/**
 * The graphprof command line: global options, the command list and error
 * handling. The whole command line is validated (strict options, choices,
 * ranges) before a handler runs; a usage error suggests the nearest command
 * or flag. A GraphprofError prints its message (no stack unless --verbose)
 * and sets its documented exit code.
 */
import yargs from 'yargs';
import type { MiddlewareFunction } from 'yargs';
import { commands } from './commands.js';
import { readConfigFile } from './config-file.js';
import { stdinInputArgs } from './stdin-arg.js';
import { globalOptions, type GlobalArgs } from './options.js';
import { nearest } from './suggest.js';
import { flagOf } from '../params/index.js';
import { ExitCode, GraphprofError, OptionError } from '../util/errors.js';

/** The flags known where parsing stopped (the command's, or the top level's), for suggestions. */
interface Known {
  command: string | undefined;
  flags: string[];
}

export async function main(args: string[]): Promise<number> {
  const verbose = args.includes('--verbose');
  let failure: unknown;
  const known: Known = { command: undefined, flags: [] };
  const parser = globalOptions(yargs(stdinInputArgs(args)))
    .scriptName('graphprof')
    .usage('$0 <command> [options]\n\nGraph-embedding profiles of users and products: node2vec + skip-gram on the shop graph, fused with transformer text embeddings, clustered into segments, stored in SQLite.')
    .config('config', 'JSON file of options (any flag, by its long name), e.g. for nightly batch scripts', readConfigFile)
    .middleware(((argv: { _: (string | number)[] }, y: unknown) => remember(known, argv._, y)) as unknown as MiddlewareFunction<GlobalArgs>, true)
    .command(commands)
    .demandCommand(1, 'Name a command (see --help).')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      // Throwing (not returning) stops yargs before the handler: nothing runs on a bad command line.
      // yargs' own errors (YError: bad flags, a bad --config file) are usage errors; a handler's errors keep their exit code.
      throw err && err.name !== 'YError' ? err : usageError(msg ?? err?.message ?? '', args, known);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    // A command's own flags are parsed after its module loads (commands.ts): yargs' errors there (a bad --config file)
    // reject the parse without passing through .fail(); they are usage errors all the same.
    failure = err instanceof Error && err.name === 'YError' ? usageError(err.message, args, known) : err;
  }
  if (failure === undefined) return ExitCode.ok;
  return report(failure, verbose);
}

/** yargs passes middleware its instance, whose getOptions() (untyped in @types/yargs) lists the flags in scope. */
function remember(known: Known, positional: (string | number)[], y: unknown): void {
  const getOptions = (y as { getOptions?: () => { key?: Record<string, unknown> } }).getOptions;
  const keys = typeof getOptions === 'function' ? Object.keys(getOptions.call(y).key ?? {}) : [];
  known.flags = keys.filter((k) => k !== '$0');
  known.command = positional.length > 0 ? String(positional[0]) : undefined;
}

const commandNames = (): string[] => commands.map((c) => String(c.command).split(' ')[0]);

function flagWords(args: string[]): Set<string> {
  const out = new Set<string>();
  for (const a of args) {
    const m = /^--?(?:no-)?([^=]+)/.exec(a);
    if (m && a !== '-' && a !== '--') out.add(m[1]);
  }
  return out;
}

/** yargs' messages, said the way the README says them, with "did you mean" where a near name exists. */
function usageError(msg: string, args: string[], known: Known): GraphprofError {
  const words = args.filter((a) => !a.startsWith('-'));
  const command = [known.command, words[0]].find((c) => c !== undefined && commandNames().includes(c));
  const help = command ? `graphprof ${command} --help` : 'graphprof --help';
  const usage = (text: string): GraphprofError => new GraphprofError(`${text}\nRun "${help}" for usage.`, ExitCode.usage);
  const flags = flagWords(args);
  const unknown = /^Unknown arguments?: (.+)$/s.exec(msg);
  if (unknown) {
    const names = unknown[1].split(', ');
    // yargs lists a dashed flag twice, as given and camel-cased ("bse-url, bseUrl").
    const camel = (f: string): string => f.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const shown = names.filter((n) => !names.some((o) => o !== n && o.includes('-') && camel(o) === n));
    const lines = shown.map((name) => {
      if (!flags.has(name)) {
        const cmd = nearest(name, commandNames());
        return known.command === undefined || known.command === name
          ? `unknown command "${name}"${cmd ? `; did you mean "${cmd}"?` : ''}`
          : `unexpected argument "${name}"`;
      }
      const near = nearest(name, known.flags);
      const dashed = (f: string): string => (f.length === 1 ? `-${f}` : `--${f}`);
      return `unknown option ${dashed(name)}${near ? `; did you mean ${dashed(near)}?` : ''}`;
    });
    return usage(lines.join('\n'));
  }
  const recommended = /^Did you mean (.+)\?$/.exec(msg);
  if (recommended) {
    const given = nearest(recommended[1], words.filter((w) => !commandNames().includes(w)));
    return usage(`unknown command "${given ?? words[words.length - 1] ?? ''}"; did you mean "${recommended[1]}"?`);
  }
  const missing = /^Missing required arguments?: (.+)$/.exec(msg);
  if (missing) {
    // yargs checks required options before unknown ones; a misspelled flag is the likelier mistake, so say it first.
    const camel = (f: string): string => f.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const inScope = new Set([...known.flags, ...known.flags.map(camel)]);
    const strays = [...flags].filter((f) => !inScope.has(f));
    if (strays.length > 0) return usageError(`Unknown argument${strays.length > 1 ? 's' : ''}: ${strays.join(', ')}`, args, known);
    return usage(missing[1].split(', ').map((n) => `--${n} is required`).join('\n'));
  }
  const positional = /^Not enough non-option arguments: got \d+, need at least \d+$/.exec(msg);
  if (positional && command) {
    const spec = String(commands.find((c) => String(c.command).split(' ')[0] === command)?.command ?? command);
    return usage(`"graphprof ${spec}" needs ${spec.split(' ').slice(1).join(' ') || 'an action'}`);
  }
  const invalid = /^Invalid values:\s*Argument: (.+?), Given: (.+?), Choices: (.+)$/s.exec(msg);
  if (invalid) return usage(`--${invalid[1]} ${invalid[2].replace(/^"|"$/g, '')}: expected one of ${invalid[3].replace(/"/g, '')}`);
  return usage(msg);
}

/** A library function's name before its message ("readInputs: ...") helps a developer, not a user. */
const functionPrefix = /^[a-z]+[A-Z][A-Za-z0-9]*: /;

function userMessage(err: GraphprofError, verbose: boolean): string {
  if (verbose) return err.message;
  if (err instanceof OptionError) {
    const flag = flagOf(err.option);
    return `${flag ?? `option "${err.option}"`} is ${JSON.stringify(err.value)}; expected ${err.expected}`;
  }
  return err.message.replace(functionPrefix, '');
}

function report(err: unknown, verbose: boolean): number {
  if (err instanceof GraphprofError) {
    process.stderr.write(`graphprof: ${userMessage(err, verbose)}\n`);
    if (verbose && err.stack) process.stderr.write(err.stack + '\n');
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`graphprof: ${e?.message ?? String(err)}\n`);
  if (verbose && e?.stack) process.stderr.write(e.stack + '\n');
  else process.stderr.write('(run with --verbose for the stack trace)\n');
  return ExitCode.failure;
}

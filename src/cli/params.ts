/**
 * Command-line flags derived from the parameter table (src/params): each
 * entry becomes one yargs option with its help, range and default, and one
 * check that yargs runs on the whole command line before the handler, so a
 * bad value fails before any work. Flags carry no yargs default: a handler
 * sees only what the user set (refresh inherits the rest from its base run;
 * the jobs fill in the table's defaults).
 */
import type { Argv } from 'yargs';
import { brokenRule, paramOf, params, type ParamName, type ParamValues } from '../params/index.js';
import type { Param } from '../params/param.js';
import { ExitCode, GraphprofError } from '../util/errors.js';

function shown(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(' ') : String(value);
}

function defaultDescription(p: Param<unknown>): string | undefined {
  if (p.default !== undefined) return shown(p.default);
  return p.defaultText;
}

/** Adds the flags of `names` and the check of their values. */
export function paramFlags<T>(y: Argv<T>, names: readonly ParamName[]): Argv<T> {
  let out = y;
  for (const name of names) {
    const p = paramOf(name);
    const dflt = defaultDescription(p);
    out = out.option(p.flag, {
      ...p.shape,
      ...(p.alias ? { alias: p.alias } : {}),
      ...(dflt !== undefined ? { defaultDescription: dflt } : {}),
      ...(p.required ? { demandOption: true } : {}),
      group: p.group,
      describe: p.range ? `${p.help}; ${p.range}` : p.help,
    });
  }
  return out.check((argv) => {
    paramArgs(argv, names);
    return true;
  });
}

function usage(message: string): GraphprofError {
  return new GraphprofError(message, ExitCode.usage);
}

/** The values the user set for `names` (flags or --config), checked; unset ones are absent. */
export function paramArgs<N extends ParamName>(argv: Record<string, unknown>, names: readonly N[]): Partial<ParamValues<N>> {
  const out: Partial<Record<N, unknown>> = {};
  for (const name of names) {
    const p = paramOf(name);
    const raw = argv[p.flag];
    if (raw === undefined) continue;
    // A flag given without its value (yargs: true, or '' for a string flag followed by another flag).
    if ((raw === true || raw === '') && p.shape.type !== 'boolean') throw usage(`--${p.flag} needs ${p.expected}`);
    const c = p.check(raw);
    if (!c.ok) throw usage(`--${p.flag} ${shown(raw)}: expected ${c.expected}`);
    out[name] = c.value;
  }
  const withDefaults: Partial<Record<ParamName, unknown>> = {};
  for (const name of names) withDefaults[name] = out[name] ?? paramOf(name).default;
  const rule = brokenRule(withDefaults, names);
  if (rule) throw usage(`${rule.names.map((n) => `--${paramOf(n).flag} ${shown(withDefaults[n])}`).join(', ')}: expected ${rule.expected}`);
  return out as Partial<ParamValues<N>>;
}

/** "dim 128, walk-length 80, ..." (by flag) of the parameters a job runs with, and "(defaults)" only when every one is. */
export function paramSummary(values: Partial<Record<ParamName, unknown>>, names: readonly ParamName[], isDefault: boolean): string {
  const parts = names.filter((n) => values[n] !== undefined).map((n) => `${paramOf(n).flag} ${shown(values[n])}`);
  return parts.join(', ') + (isDefault ? ' (defaults)' : '');
}

/** --run of the query commands: a run id or 'latest'. */
export function runOf(argv: Record<string, unknown>): number | 'latest' {
  return paramArgs(argv, ['run']).run ?? params.run.default;
}

/** --k of profile and similar: how many results to list. */
export function topOf(argv: Record<string, unknown>): number {
  return paramArgs(argv, ['top']).top ?? params.top.default;
}

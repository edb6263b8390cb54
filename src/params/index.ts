/**
 * The parameter table and what is derived from it for the jobs: typed values,
 * the resolver that fills in defaults and checks every value (naming the
 * calling function, as every library error does), and refresh's merge with
 * the parameters stored in the run it extends. The command line derives its
 * flags from the same table (cli/params.ts).
 */
import { GraphprofError, OptionError } from '../util/errors.js';
import type { HasDefault, Param, ValueOf } from './param.js';
import { paramRules, params, type ParamName, type Params } from './table.js';

export * from './table.js';
export type { Param } from './param.js';

/** Values of some parameters, each optional (what a caller may pass). */
export type ParamValues<N extends ParamName> = { [K in N]: ValueOf<Params[K]> };

/** Values after resolution: parameters with a default are always set. */
export type ResolvedParams<N extends ParamName> = { [K in N as HasDefault<Params[K]> extends true ? K : never]: ValueOf<Params[K]> } & {
  [K in N as HasDefault<Params[K]> extends true ? never : K]?: ValueOf<Params[K]>;
};

export function paramOf(name: ParamName): Param<unknown> {
  return params[name] as Param<unknown>;
}

/** The table entry behind an option key, for error messages that name the flag. */
export function flagOf(name: string): string | undefined {
  return Object.hasOwn(params, name) ? `--${paramOf(name as ParamName).flag}` : undefined;
}

function copy<T>(v: T): T {
  return Array.isArray(v) ? (v.slice() as T) : v;
}

/** The first rule among `names` that the values break, or undefined. */
export function brokenRule(values: Partial<Record<ParamName, unknown>>, names: readonly ParamName[]): (typeof paramRules)[number] | undefined {
  return paramRules.find((r) => r.names.every((n) => names.includes(n)) && !r.holds(values));
}

/**
 * Fills in defaults and checks every given value; a bad one is an OptionError
 * naming `fn`, the option and the value. Keys other than `names` are ignored.
 */
export function resolveParams<N extends ParamName>(names: readonly N[], given: Partial<Record<N, unknown>>, fn: string): ResolvedParams<N> {
  const out: Partial<Record<ParamName, unknown>> = {};
  for (const name of names) {
    const p = paramOf(name);
    const value = given[name];
    if (value === undefined) {
      if (p.default !== undefined) out[name] = copy(p.default);
      continue;
    }
    const c = p.check(value);
    if (!c.ok) throw new OptionError(fn, name, value, c.expected);
    out[name] = c.value;
  }
  const rule = brokenRule(out, names);
  if (rule) throw new OptionError(fn, rule.names[0], out[rule.names[0]], rule.expected);
  return out as ResolvedParams<N>;
}

/**
 * The inheritable parameters stored with a run (its `params`), checked like
 * given values: a refresh continues in the space of the run it extends.
 */
export function inheritedParams<N extends ParamName>(names: readonly N[], stored: Record<string, unknown>, runId: number): Partial<ParamValues<N>> {
  const out: Partial<Record<N, unknown>> = {};
  for (const n of names) {
    const p = paramOf(n);
    const v = stored[n];
    if (!p.inherit || v === undefined || v === null) continue;
    const c = p.check(v);
    if (!c.ok) throw new GraphprofError(`run ${runId} was made with ${n} = ${JSON.stringify(v)}, which this graphprof does not accept (expected ${c.expected}); give --${p.flag} explicitly`);
    out[n] = c.value;
  }
  return out as Partial<ParamValues<N>>;
}

/** True when every parameter among `names` has its default value (unset optional ones count as default). */
export function allDefaults(values: Partial<Record<ParamName, unknown>>, names: readonly ParamName[]): boolean {
  return names.every((n) => {
    const d = paramOf(n).default;
    const v = values[n];
    return v === undefined || JSON.stringify(v) === JSON.stringify(d);
  });
}

/** The parameters among `names` that are set in `values` (unset ones must not hide inherited ones; also what a run stores). */
export function pickParams<V extends object, N extends ParamName & keyof V>(names: readonly N[], values: V): Partial<Pick<V, N>> {
  const out: Partial<Pick<V, N>> = {};
  for (const n of names) if (values[n] !== undefined) out[n] = values[n];
  return out;
}

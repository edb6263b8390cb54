/**
 * What one parameter is: its flag, default, help, and the check that turns a
 * value from any source (a flag, --config, a library call, a stored run) into
 * the typed value or says what was expected. The builders below make the
 * entries of table.ts; nothing else declares a parameter.
 */
import { availableParallelism } from 'node:os';

/** The outcome of checking one value. */
export type Checked<T> = { ok: true; value: T } | { ok: false; expected: string };

/** How the command line reads a flag (yargs): untyped keeps the raw text for the check, so errors can quote it. */
export interface FlagShape {
  type?: 'string' | 'boolean';
  array?: boolean;
  choices?: readonly string[];
}

export interface Param<T, D extends boolean = boolean> {
  /** Long flag, e.g. "walk-length". */
  readonly flag: string;
  readonly alias?: string;
  /** One line of help; the valid range and the default are added by the CLI. */
  readonly help: string;
  /** Short label for reports ("Walk length"). */
  readonly label: string;
  /** Help section of the flag. */
  readonly group: string;
  /** Default, or undefined when the parameter has none (optional, or computed at run time: see defaultText). */
  readonly default: D extends true ? T : undefined;
  /** How help shows a computed default ("all cores"). */
  readonly defaultText?: string;
  /** Valid values in words, e.g. "an integer in [1, 4096]". */
  readonly expected: string;
  /** Short form of `expected` for --help, e.g. "1..4096". */
  readonly range?: string;
  readonly shape: FlagShape;
  /** The command line refuses to run without it. */
  readonly required?: boolean;
  /** Refresh takes the value of the run it extends unless given; false for machine settings (threads). */
  readonly inherit: boolean;
  readonly check: (value: unknown) => Checked<T>;
}

/** The value type of a parameter entry. */
export type ValueOf<P> = P extends Param<infer T, boolean> ? T : never;
/** Whether a parameter entry has a default. */
export type HasDefault<P> = P extends Param<unknown, true> ? true : false;

interface Common<D> {
  flag: string;
  alias?: string;
  help: string;
  label: string;
  group: string;
  default: D;
  defaultText?: string;
  required?: boolean;
  inherit?: boolean;
}

type Built<T, D> = Param<T, D extends undefined ? false : true>;

function entry<T, D extends T | undefined>(c: Common<D>, rest: { expected: string; range?: string; shape: FlagShape; check: (value: unknown) => Checked<T> }): Built<T, D> {
  return { ...c, inherit: c.inherit ?? true, ...rest } as unknown as Built<T, D>;
}

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const no = <T>(expected: string): Checked<T> => ({ ok: false, expected });

/** A number from a flag's text or a JSON number; anything else is NaN. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value.trim());
  return Number.NaN;
}

interface IntSpec<D> extends Common<D> {
  min: number;
  /** A fixed maximum, or one known only at run time (with the words that explain it). */
  max: number | (() => { max: number; why: string });
}

export function int<D extends number | undefined>(s: IntSpec<D>): Built<number, D> {
  const { max, why } = typeof s.max === 'number' ? { max: s.max, why: '' } : s.max();
  const expected = `an integer in [${s.min}, ${max}]${why ? ` (${why})` : ''}`;
  return entry<number, D>(s, {
    expected,
    range: max >= 1e9 ? `an integer >= ${s.min}` : `${s.min}..${max}`,
    shape: {},
    check(value) {
      const n = toNumber(value);
      return Number.isInteger(n) && n >= s.min && n <= max ? ok(n) : no(expected);
    },
  });
}

interface NumSpec<D> extends Common<D> {
  min: number;
  max: number;
  /** The bounds themselves are not allowed (e.g. p > 0). */
  openMin?: boolean;
  openMax?: boolean;
}

function interval(s: NumSpec<unknown>): string {
  return `${s.openMin ? '(' : '['}${s.min}, ${s.max}${s.openMax ? ')' : ']'}`;
}

/** The range for --help: "> 0" when the maximum is only a sanity bound, else the interval. */
function shortInterval(s: NumSpec<unknown>): string {
  return s.max >= 1e6 ? `${s.openMin ? '>' : '>='} ${s.min}` : interval(s);
}

export function num<D extends number | undefined>(s: NumSpec<D>): Built<number, D> {
  const expected = `a number in ${interval(s)}`;
  return entry<number, D>(s, {
    expected,
    range: shortInterval(s),
    shape: {},
    check(value) {
      const n = toNumber(value);
      const aboveMin = s.openMin ? n > s.min : n >= s.min;
      const belowMax = s.openMax ? n < s.max : n <= s.max;
      return Number.isFinite(n) && aboveMin && belowMax ? ok(n) : no(expected);
    },
  });
}

export function list<D extends number[] | undefined>(s: NumSpec<D>): Built<number[], D> {
  const expected = `numbers in ${interval(s)}`;
  const one = num({ ...s, default: undefined });
  return entry<number[], D>(s, {
    expected,
    range: interval(s),
    shape: { array: true },
    check(value) {
      const items = Array.isArray(value) ? value : [value];
      const out: number[] = [];
      for (const item of items) {
        const c = one.check(item);
        if (!c.ok) return no(expected);
        out.push(c.value);
      }
      return out.length > 0 ? ok(out) : no(`at least one of ${expected}`);
    },
  });
}

export function str<D extends string | undefined>(s: Common<D> & { expected?: string }): Built<string, D> {
  const expected = s.expected ?? 'a non-empty text';
  return entry<string, D>(s, {
    expected,
    shape: { type: 'string' },
    check(value) {
      if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
      return typeof value === 'string' && value.trim() !== '' ? ok(value) : no(expected);
    },
  });
}

export function strings<D extends string[] | undefined>(s: Common<D> & { expected: string }): Built<string[], D> {
  return entry<string[], D>(s, {
    expected: s.expected,
    shape: { type: 'string', array: true },
    check(value) {
      const items = Array.isArray(value) ? value : [value];
      const out = items.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
      return out.length > 0 && out.length === items.length ? ok(out) : no(s.expected);
    },
  });
}

export function bool<D extends boolean | undefined>(s: Common<D>): Built<boolean, D> {
  return entry<boolean, D>(s, {
    expected: 'true or false',
    shape: { type: 'boolean' },
    check(value) {
      if (typeof value === 'boolean') return ok(value);
      if (value === 'true' || value === 'false') return ok(value === 'true');
      return no('true or false');
    },
  });
}

export function choice<C extends string, D extends C | undefined>(s: Common<D> & { choices: readonly C[] }): Built<C, D> {
  const expected = `one of ${s.choices.join(', ')}`;
  return entry<C, D>(s, {
    expected,
    shape: { type: 'string', choices: s.choices },
    check(value) {
      return typeof value === 'string' && (s.choices as readonly string[]).includes(value) ? ok(value as C) : no(expected);
    },
  });
}

/** A parameter with its own reading rule (e.g. "auto" or a number). */
export function custom<T, D extends T | undefined>(s: Common<D> & { expected: string; range?: string; shape?: FlagShape; check: (value: unknown) => Checked<T> }): Built<T, D> {
  return entry<T, D>(s, { expected: s.expected, range: s.range, shape: s.shape ?? {}, check: s.check });
}

export { ok as accept, no as reject };

/** Threads beyond this many per core only add contention (and 1,000 OS threads hang the machine). */
export const threadsPerCore = 4;

export function maxThreads(): { max: number; why: string } {
  const cores = availableParallelism();
  return { max: threadsPerCore * cores, why: `at most ${threadsPerCore} per core; this machine has ${cores} core${cores === 1 ? '' : 's'}` };
}

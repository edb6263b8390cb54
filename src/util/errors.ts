/**
 * Error types shared by every module. Each carries a process exit code so the
 * CLI can map failures to the documented codes without string matching.
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  badInput: 3,
  missingModel: 4,
  databaseLocked: 5,
  /** `refresh --only-if-drift X` / `drift --limit X`: the share of drifted users reached X (a nightly script retrains). */
  retrain: 10,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: an expected failure whose message is meant for the user (no stack trace). */
export class GraphprofError extends Error {
  readonly exitCode: ExitCodeValue;
  constructor(message: string, exitCode: ExitCodeValue = ExitCode.failure) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad input data: always names the file, the 1-based line and the field. */
export class InputError extends GraphprofError {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly reason: string;
  constructor(file: string, line: number, field: string, reason: string) {
    super(`${file}:${line}: field "${field}": ${reason}`, ExitCode.badInput);
    this.file = file;
    this.line = line;
    this.field = field;
    this.reason = reason;
  }
}

/** A caller passed an option value that cannot work; names the function and the value. */
export class OptionError extends GraphprofError {
  readonly fn: string;
  readonly option: string;
  readonly value: unknown;
  readonly expected: string;
  constructor(fn: string, option: string, value: unknown, expected: string) {
    super(`${fn}: option "${option}" is ${JSON.stringify(value)}; expected ${expected}`, ExitCode.usage);
    this.fn = fn;
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}

/** The one integer-range check of the option resolvers: `value` itself, or an OptionError naming `fn` and `option`. */
export function integerIn(fn: string, option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new OptionError(fn, option, value, `an integer in [${min}, ${max}]`);
  return value;
}

export class ModelError extends GraphprofError {
  constructor(message: string) {
    super(message, ExitCode.missingModel);
  }
}

export class AbortedError extends GraphprofError {
  constructor(what: string) {
    super(`${what} was cancelled`, ExitCode.interrupted);
  }
}

/**
 * `--config FILE.json`: any flag by its long name, read from a JSON object.
 * Anything else (a missing or empty file, broken JSON, null, a number, an
 * array) is a usage error (exit 2) that says what the file holds instead.
 */
import { readFileSync } from 'node:fs';
import { ExitCode, GraphprofError } from '../util/errors.js';

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function readConfigFile(path: string): Record<string, unknown> {
  const fail = (why: string): never => {
    throw new GraphprofError(`--config ${path}: ${why}`, ExitCode.usage);
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(`cannot read it: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message}`);
  }
  const example = 'expected a JSON object of options, e.g. {"db": "shop.db", "clusters": "8"}';
  if (text.trim() === '') fail(`the file is empty; ${example}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    fail(`not valid JSON (${(err as Error).message}); ${example}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`holds ${kindOf(value)}; ${example}`);
  return value as Record<string, unknown>;
}

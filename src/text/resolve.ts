/**
 * Finds the text model to use, in this order:
 *   1. the `modelDir` option (CLI --text-model DIR); a value that is not a
 *      directory is looked up as a model name in the user cache;
 *   2. the GRAPHPROF_TEXT_MODEL environment variable (same rules);
 *   3. the user cache, `<cache>/models/<name>` (name defaults to the
 *      built-in model of the chosen precision);
 *   4. the built-in default: USE-lite converted from the installed npm package
 *      into `<cache>/models/use-lite-int8` (int8, the default precision) or
 *      `<cache>/models/use-lite` (fp32) on first use, and again when the
 *      package or the converter changes.
 * The cache root is $GRAPHPROF_CACHE, else $XDG_CACHE_HOME/graphprof, else
 * ~/.cache/graphprof.
 */
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ModelError } from '../util/errors.js';
import { builtInModelName, convertUseLite, isConversionCurrent, precisionOfBuiltIn, type ConversionProgress } from './convert/use-lite.js';
import { findOnnxFile } from './model-dir.js';
import { params } from '../params/index.js';
import type { TextPrecision } from './params.js';

export type ModelSource = 'option' | 'env' | 'cache' | 'default';

export interface ResolvedModel {
  name: string;
  dir: string;
  source: ModelSource;
}

export interface ResolveOptions {
  modelDir?: string;
  /** Name of a cached model to prefer over the default (used when no dir is given). */
  name?: string;
  /** Variant of the built-in model (default int8). */
  precision?: TextPrecision;
  env?: NodeJS.ProcessEnv;
  /** Steps of converting the built-in model, when that happens (a few seconds, once). */
  onConvert?: ConversionProgress;
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GRAPHPROF_CACHE) return path.resolve(env.GRAPHPROF_CACHE);
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'graphprof');
  return path.join(os.homedir(), '.cache', 'graphprof');
}

export function modelsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'models');
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;

/** Cache directory of a model name ("use-lite", or a hub repo "owner/model"). */
export function cachedModelDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!NAME_RE.test(name) || name.includes('..')) {
    throw new ModelError(`cachedModelDir: "${name}" is not a valid model name (expected "name" or "owner/name" with letters, digits, ".", "_", "-")`);
  }
  return path.join(modelsRoot(env), ...name.split('/'));
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Builds (or refreshes) a built-in model (use-lite, use-lite-int8) in the cache and returns its directory. */
export async function ensureBuiltInModel(name: string, env: NodeJS.ProcessEnv = process.env, onConvert?: ConversionProgress): Promise<string> {
  const precision = precisionOfBuiltIn(name);
  if (precision === undefined) throw new ModelError(`ensureBuiltInModel: "${name}" is not a built-in model`);
  const dir = cachedModelDir(name, env);
  if (!(await isConversionCurrent(dir, precision))) await convertUseLite(dir, precision, onConvert);
  return dir;
}

async function fromUserValue(value: string, source: ModelSource, env: NodeJS.ProcessEnv, onConvert?: ConversionProgress): Promise<ResolvedModel> {
  const abs = path.resolve(value);
  if (await isDir(abs)) return { name: path.basename(abs), dir: abs, source };
  if (NAME_RE.test(value)) {
    if (precisionOfBuiltIn(value) !== undefined) return { name: value, dir: await ensureBuiltInModel(value, env, onConvert), source };
    const dir = cachedModelDir(value, env);
    if (await isDir(dir)) return { name: value, dir, source };
  }
  const where = source === 'env' ? 'GRAPHPROF_TEXT_MODEL' : '--text-model';
  throw new ModelError(
    `resolveTextModel: ${where} "${value}" is neither a directory nor a cached model name; give a directory with tokenizer.json and model.onnx, or run "graphprof models pull ${value}"`,
  );
}

export async function resolveTextModel(opts: ResolveOptions = {}): Promise<ResolvedModel> {
  const env = opts.env ?? process.env;
  if (opts.modelDir) return fromUserValue(opts.modelDir, 'option', env, opts.onConvert);
  if (env.GRAPHPROF_TEXT_MODEL) return fromUserValue(env.GRAPHPROF_TEXT_MODEL, 'env', env, opts.onConvert);
  const builtIn = builtInModelName(opts.precision ?? params.textPrecision.default);
  const name = opts.name ?? builtIn;
  const precision = precisionOfBuiltIn(name);
  if (precision === undefined) {
    const dir = cachedModelDir(name, env);
    if ((await isDir(dir)) && (await findOnnxFile(dir))) return { name, dir, source: 'cache' };
    throw new ModelError(`resolveTextModel: model "${name}" is not in the cache (${dir}); run "graphprof models pull ${name}"`);
  }
  const dir = cachedModelDir(name, env);
  if (await isConversionCurrent(dir, precision)) return { name, dir, source: 'cache' };
  return { name, dir: await ensureBuiltInModel(name, env, opts.onConvert), source: 'default' };
}

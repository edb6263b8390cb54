/**
 * Finds the text model to use, in this order:
 *   1. the `modelDir` option (CLI --text-model DIR); a value that is not a
 *      directory is looked up as a model name in the user cache;
 *   2. the GRAPHPROF_TEXT_MODEL environment variable (same rules);
 *   3. the user cache, `<cache>/models/<name>` (name defaults to use-lite);
 *   4. the built-in default: USE-lite converted from the installed npm package
 *      into `<cache>/models/use-lite` on first use (and again when the
 *      package or the converter changes).
 * The cache root is $GRAPHPROF_CACHE, else $XDG_CACHE_HOME/graphprof, else
 * ~/.cache/graphprof.
 */
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ModelError } from '../util/errors.js';
import { convertUseLite, DEFAULT_MODEL_NAME, isConversionCurrent } from './convert/use-lite.js';
import { findOnnxFile } from './model-dir.js';

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
  env?: NodeJS.ProcessEnv;
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

/** Builds (or refreshes) the default model in the cache and returns its directory. */
export async function ensureDefaultModel(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = cachedModelDir(DEFAULT_MODEL_NAME, env);
  if (!(await isConversionCurrent(dir))) await convertUseLite(dir);
  return dir;
}

async function fromUserValue(value: string, source: ModelSource, env: NodeJS.ProcessEnv): Promise<ResolvedModel> {
  const abs = path.resolve(value);
  if (await isDir(abs)) return { name: path.basename(abs), dir: abs, source };
  if (NAME_RE.test(value)) {
    if (value === DEFAULT_MODEL_NAME) return { name: value, dir: await ensureDefaultModel(env), source };
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
  if (opts.modelDir) return fromUserValue(opts.modelDir, 'option', env);
  if (env.GRAPHPROF_TEXT_MODEL) return fromUserValue(env.GRAPHPROF_TEXT_MODEL, 'env', env);
  const name = opts.name ?? DEFAULT_MODEL_NAME;
  if (name !== DEFAULT_MODEL_NAME) {
    const dir = cachedModelDir(name, env);
    if ((await isDir(dir)) && (await findOnnxFile(dir))) return { name, dir, source: 'cache' };
    throw new ModelError(`resolveTextModel: model "${name}" is not in the cache (${dir}); run "graphprof models pull ${name}"`);
  }
  const dir = cachedModelDir(DEFAULT_MODEL_NAME, env);
  if (await isConversionCurrent(dir)) return { name, dir, source: 'cache' };
  return { name, dir: await ensureDefaultModel(env), source: 'default' };
}

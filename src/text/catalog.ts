/**
 * What the user cache holds: `graphprof models list` and `models path`. A
 * cached model is any directory under <cache>/models (one or two levels deep,
 * "name" or "owner/repo") with an ONNX file; the default model is always
 * listed, converted or not.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '../util/errors.js';
import { BUILT_IN_MODEL_NAMES } from './convert/use-lite.js';
import { findOnnxFile, PULL_MANIFEST } from './model-dir.js';
import { cachedModelDir, ensureBuiltInModel, modelsRoot } from './resolve.js';

export interface CatalogEntry {
  name: string;
  dir: string;
  /** 'default' = built in (converted from the npm package, fp32 or int8); 'pulled' = from a hub; 'local' = placed there by hand. */
  kind: 'default' | 'pulled' | 'local';
  present: boolean;
  onnxBytes: number;
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.includes('.tmp-')).map((d) => d.name);
  } catch {
    return [];
  }
}

async function entryFor(name: string, dir: string): Promise<CatalogEntry | undefined> {
  const onnx = await findOnnxFile(dir);
  if (!onnx) return undefined;
  const pulled = await readFile(path.join(dir, PULL_MANIFEST), 'utf8').then(() => true, () => false);
  return { name, dir, kind: BUILT_IN_MODEL_NAMES.includes(name) ? 'default' : pulled ? 'pulled' : 'local', present: true, onnxBytes: (await stat(onnx)).size };
}

export async function listModels(env: NodeJS.ProcessEnv = process.env): Promise<CatalogEntry[]> {
  const root = modelsRoot(env);
  const out: CatalogEntry[] = [];
  for (const first of await subdirs(root)) {
    const direct = await entryFor(first, path.join(root, first));
    if (direct) {
      out.push(direct);
      continue;
    }
    for (const second of await subdirs(path.join(root, first))) {
      const nested = await entryFor(`${first}/${second}`, path.join(root, first, second));
      if (nested) out.push(nested);
    }
  }
  for (const name of BUILT_IN_MODEL_NAMES) {
    if (!out.some((e) => e.name === name)) out.push({ name, dir: cachedModelDir(name, env), kind: 'default', present: false, onnxBytes: 0 });
  }
  const rank = (e: CatalogEntry): number => (e.kind === 'default' ? BUILT_IN_MODEL_NAMES.indexOf(e.name) : BUILT_IN_MODEL_NAMES.length);
  return out.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** Directory of a cached model; a built-in model is converted first if needed. */
export async function modelPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (BUILT_IN_MODEL_NAMES.includes(name)) return ensureBuiltInModel(name, env);
  const dir = cachedModelDir(name, env);
  if (!(await findOnnxFile(dir))) throw new ModelError(`modelPath: model "${name}" is not in the cache (${dir}); run "graphprof models pull ${name}"`);
  return dir;
}

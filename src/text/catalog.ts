/**
 * What the user cache holds: `graphprof models list` and `models path`. A
 * cached model is any directory under <cache>/models (one or two levels deep,
 * "name" or "owner/repo") with an ONNX file; the default model is always
 * listed, converted or not.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '../util/errors.js';
import { DEFAULT_MODEL_NAME } from './convert/use-lite.js';
import { findOnnxFile, PULL_MANIFEST } from './model-dir.js';
import { cachedModelDir, ensureDefaultModel, modelsRoot } from './resolve.js';

export interface CatalogEntry {
  name: string;
  dir: string;
  /** 'default' = converted from the npm package; 'pulled' = from a hub; 'local' = placed there by hand. */
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
  return { name, dir, kind: name === DEFAULT_MODEL_NAME ? 'default' : pulled ? 'pulled' : 'local', present: true, onnxBytes: (await stat(onnx)).size };
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
  if (!out.some((e) => e.name === DEFAULT_MODEL_NAME)) {
    out.push({ name: DEFAULT_MODEL_NAME, dir: cachedModelDir(DEFAULT_MODEL_NAME, env), kind: 'default', present: false, onnxBytes: 0 });
  }
  return out.sort((a, b) => (a.kind === 'default' ? -1 : b.kind === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** Directory of a cached model; the default model is converted first if needed. */
export async function modelPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (name === DEFAULT_MODEL_NAME) return ensureDefaultModel(env);
  const dir = cachedModelDir(name, env);
  if (!(await findOnnxFile(dir))) throw new ModelError(`modelPath: model "${name}" is not in the cache (${dir}); run "graphprof models pull ${name}"`);
  return dir;
}

/**
 * What graphprof reads from a text-model directory (Hugging Face layout):
 * which ONNX file to load, the maximum sequence length, the embedding-table
 * size when config.json states it, and the model id used as cache key.
 *
 * ONNX file: the one named by graphprof-model.json ("onnxFile", written by
 * `graphprof models pull --variant`), else model.onnx, else onnx/model.onnx.
 * Max length: the smaller of config.json max_position_embeddings and
 * tokenizer_config.json model_max_length (values above 1e6 are the HF "no
 * limit" sentinel and ignored); 512 when neither is given.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from '../util/errors.js';

export const DEFAULT_MAX_TOKENS = 512;
export const PULL_MANIFEST = 'graphprof-model.json';

export interface ModelDirInfo {
  name: string;
  dir: string;
  onnxPath: string;
  maxTokens: number;
  /** Rows of the token-embedding table, when config.json gives vocab_size. */
  vocabRows: number | undefined;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function readJsonIfAny(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export async function findOnnxFile(dir: string): Promise<string | undefined> {
  const pulled = await readJsonIfAny(path.join(dir, PULL_MANIFEST));
  const candidates = [typeof pulled?.onnxFile === 'string' ? pulled.onnxFile : undefined, 'model.onnx', path.join('onnx', 'model.onnx')];
  for (const c of candidates) if (c !== undefined && (await isFile(path.join(dir, c)))) return path.join(dir, c);
  return undefined;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 1e6 ? Math.floor(v) : undefined;
}

export async function readModelDir(dir: string, name: string): Promise<ModelDirInfo> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new ModelError(`readModelDir: text model directory ${dir} does not exist; pass --text-model DIR with tokenizer.json and model.onnx, or run "graphprof models pull <repo>"`);
  const onnxPath = await findOnnxFile(dir);
  if (!onnxPath) throw new ModelError(`readModelDir: ${dir} has no model.onnx (nor onnx/model.onnx); a text model directory needs tokenizer.json and model.onnx`);
  if (!(await isFile(path.join(dir, 'tokenizer.json')))) throw new ModelError(`readModelDir: ${dir} has no tokenizer.json; a text model directory needs tokenizer.json and model.onnx`);
  const config = await readJsonIfAny(path.join(dir, 'config.json'));
  const tokConfig = await readJsonIfAny(path.join(dir, 'tokenizer_config.json'));
  const limits = [positive(config?.max_position_embeddings), positive(tokConfig?.model_max_length)].filter((v): v is number => v !== undefined);
  return {
    name,
    dir,
    onnxPath,
    maxTokens: limits.length > 0 ? Math.min(...limits) : DEFAULT_MAX_TOKENS,
    vocabRows: positive(config?.vocab_size),
  };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Cache key of a model: its name plus the first 16 hex digits of sha256(model.onnx). */
export async function modelIdOf(info: ModelDirInfo): Promise<string> {
  return `${info.name}@${(await sha256File(info.onnxPath)).slice(0, 16)}`;
}

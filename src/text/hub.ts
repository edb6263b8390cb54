/**
 * `graphprof models pull`: downloads a Hugging Face-layout ONNX text model
 * into the user cache (<cache>/models/<owner>/<repo>).
 *
 * Files: tokenizer.json (required), config.json, tokenizer_config.json,
 * special_tokens_map.json (optional: a 404 is fine) and the ONNX file —
 * onnx/model.onnx, falling back to model.onnx at the repo root; with a
 * variant, onnx/model_<variant>.onnx (or the variant itself when it ends in
 * .onnx). URL: `${base}/${repo}/resolve/main/${file}`, base from --base-url,
 * else $GRAPHPROF_HUB_URL, else https://huggingface.co.
 *
 * Integrity: a file is checked against a sha256 when one is known — the
 * --sha256 value (for the ONNX file), else the X-Linked-Etag or ETag header
 * when it is 64 hex digits (the Hub sends the LFS sha256 as X-Linked-Etag on
 * the redirect of large files; a 40-digit git ETag is not a sha256 and is not
 * used). A mismatch deletes the download and fails.
 *
 * Resume: bytes go to `<file>.part`; a later attempt (the automatic retries,
 * or the next pull) asks for the rest with an HTTP Range request. Files are
 * renamed into place only when complete and verified.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AbortedError, ModelError, OptionError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { PULL_MANIFEST } from './model-dir.js';
import { cachedModelDir } from './resolve.js';

export const DEFAULT_HUB_URL = 'https://huggingface.co';
const OPTIONAL_FILES = ['config.json', 'tokenizer_config.json', 'special_tokens_map.json'];
const MAX_ATTEMPTS = 4;
const MAX_REDIRECTS = 5;

export interface PullOptions {
  repo: string;
  baseUrl?: string;
  variant?: string;
  /** Expected sha256 of the ONNX file. */
  sha256?: string;
  env?: NodeJS.ProcessEnv;
  onProgress?: Progress;
  signal?: AbortSignal;
}

export interface PulledFile {
  file: string;
  bytes: number;
  sha256: string;
  /** Where the expected sha256 came from, if any. */
  verifiedBy: 'flag' | 'etag' | 'none';
}

export interface PullResult {
  name: string;
  dir: string;
  onnxFile: string;
  files: PulledFile[];
}

class NotFound extends Error {}

export function hubBaseUrl(baseUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return (baseUrl ?? env.GRAPHPROF_HUB_URL ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
}

function onnxCandidates(variant: string | undefined): string[] {
  if (variant === undefined) return ['onnx/model.onnx', 'model.onnx'];
  if (!/^[A-Za-z0-9._/-]+$/.test(variant) || variant.includes('..')) throw new OptionError('pullModel', 'variant', variant, 'a name like "quantized" or a path like "onnx/model_fp16.onnx"');
  return variant.endsWith('.onnx') ? [variant] : [`onnx/model_${variant}.onnx`];
}

function sha256FromEtag(value: string | null): string | undefined {
  if (!value) return undefined;
  const v = value.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return /^[0-9a-f]{64}$/.test(v) ? v : undefined;
}

async function fileSize(p: string): Promise<number> {
  try {
    return (await stat(p)).size;
  } catch {
    return 0;
  }
}

async function sha256Of(p: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(p)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** GET with manual redirects, so the Hub's X-Linked-Etag on the redirect is seen. */
async function request(url: string, from: number, signal: AbortSignal | undefined): Promise<{ res: Response; etagSha: string | undefined }> {
  let etagSha: string | undefined;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = { 'user-agent': 'graphprof' };
    if (from > 0) headers.range = `bytes=${from}-`;
    const res = await fetch(current, { headers, redirect: 'manual', signal });
    etagSha ??= sha256FromEtag(res.headers.get('x-linked-etag')) ?? sha256FromEtag(res.headers.get('etag'));
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel();
      current = new URL(res.headers.get('location')!, current).toString();
      continue;
    }
    return { res, etagSha };
  }
  throw new ModelError(`pullModel: too many redirects for ${url}`);
}

/** One download attempt into `part`; resolves when the body is complete. */
async function attempt(url: string, part: string, signal: AbortSignal | undefined, onBytes: (done: number, total: number) => void): Promise<string | undefined> {
  const have = await fileSize(part);
  const { res, etagSha } = await request(url, have, signal);
  if (res.status === 404) {
    await res.body?.cancel();
    throw new NotFound(url);
  }
  if (res.status === 416 && have > 0) {
    await res.body?.cancel();
    return etagSha; // the part file already holds everything
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    throw new ModelError(`pullModel: GET ${url} answered HTTP ${res.status}`);
  }
  const resumed = res.status === 206;
  const start = resumed ? have : 0;
  const length = Number(res.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? start + length : 0;
  let done = start;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    done += chunk.length;
    onBytes(done, total);
  });
  await pipeline(body, createWriteStream(part, { flags: resumed ? 'a' : 'w' }));
  if (total > 0 && (await fileSize(part)) !== total) throw new Error(`short download: ${await fileSize(part)} of ${total} bytes`);
  return etagSha;
}

async function download(url: string, dest: string, expected: { sha?: string; source: 'flag' | 'etag' | 'none' }, opts: PullOptions, file: string): Promise<PulledFile> {
  const part = `${dest}.part`;
  await mkdir(path.dirname(dest), { recursive: true });
  let etagSha: string | undefined;
  let lastError: Error | undefined;
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    if (opts.signal?.aborted) throw new AbortedError(`download of ${file}`);
    try {
      etagSha = (await attempt(url, part, opts.signal, (d, t) => opts.onProgress?.(d, t, file))) ?? etagSha;
      lastError = undefined;
      break;
    } catch (e) {
      if (e instanceof NotFound || e instanceof ModelError) throw e;
      if (opts.signal?.aborted) throw new AbortedError(`download of ${file}`);
      const err = e as Error & { cause?: { code?: string; message?: string } };
      lastError = err.cause ? new Error(`${err.message}: ${err.cause.code ?? err.cause.message ?? ''}`) : err;
    }
  }
  if (lastError) throw new ModelError(`pullModel: download of ${url} failed after ${MAX_ATTEMPTS} attempts (${lastError.message}); run the pull again to resume from ${part}`);
  const sha = await sha256Of(part);
  const want = expected.sha ?? etagSha;
  if (want !== undefined && want !== sha) {
    await rm(part, { force: true });
    throw new ModelError(`pullModel: ${file} from ${url} has sha256 ${sha}, expected ${want}; the download was deleted. Check --sha256 or the hub URL and pull again`);
  }
  await rename(part, dest);
  return { file, bytes: await fileSize(dest), sha256: sha, verifiedBy: expected.sha ? expected.source : etagSha ? 'etag' : 'none' };
}

export async function pullModel(opts: PullOptions): Promise<PullResult> {
  const dir = cachedModelDir(opts.repo, opts.env);
  if (opts.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(opts.sha256)) throw new OptionError('pullModel', 'sha256', opts.sha256, '64 hex digits');
  const base = hubBaseUrl(opts.baseUrl, opts.env);
  const urlOf = (file: string): string => `${base}/${opts.repo}/resolve/main/${file}`;
  const files: PulledFile[] = [];
  files.push(await download(urlOf('tokenizer.json'), path.join(dir, 'tokenizer.json'), { source: 'none' }, opts, 'tokenizer.json').catch((e: unknown) => {
    if (e instanceof NotFound) throw new ModelError(`pullModel: ${urlOf('tokenizer.json')} was not found; is "${opts.repo}" a Hugging Face repo with a tokenizer.json?`);
    throw e;
  }));
  for (const f of OPTIONAL_FILES) {
    try {
      files.push(await download(urlOf(f), path.join(dir, f), { source: 'none' }, opts, f));
    } catch (e) {
      if (!(e instanceof NotFound)) throw e;
    }
  }
  let onnxFile: string | undefined;
  for (const candidate of onnxCandidates(opts.variant)) {
    try {
      files.push(await download(urlOf(candidate), path.join(dir, candidate), { sha: opts.sha256?.toLowerCase(), source: opts.sha256 ? 'flag' : 'none' }, opts, candidate));
      onnxFile = candidate;
      break;
    } catch (e) {
      if (!(e instanceof NotFound)) throw e;
    }
  }
  if (onnxFile === undefined) {
    throw new ModelError(`pullModel: no ONNX file found in ${opts.repo} (tried ${onnxCandidates(opts.variant).join(', ')}); pick one with --variant`);
  }
  const manifest = { repo: opts.repo, baseUrl: base, revision: 'main', onnxFile, files: Object.fromEntries(files.map((f) => [f.file, f.sha256])) };
  await writeFile(path.join(dir, PULL_MANIFEST), JSON.stringify(manifest, null, 2));
  return { name: opts.repo, dir, onnxFile, files };
}

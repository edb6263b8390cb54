/**
 * `graphprof models`: pull from a local Hugging Face-style server (node:http on
 * 127.0.0.1) that serves the shared token-state model, including a resumed
 * download after the server drops the connection half-way, sha256 checks,
 * and list/path over the resulting cache.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels, modelPath } from '../src/text/catalog.js';
import { pullModel } from '../src/text/hub.js';
import { openTextEncoder } from '../src/text/index.js';
import { ModelError } from '../src/util/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const served = path.resolve(repoRoot, '../shared/models/use-lite-token-states');
const REPO = 'test-org/use-lite-token-states';
const modelBytes = readFileSync(path.join(served, 'model.onnx'));
const modelSha = createHash('sha256').update(modelBytes).digest('hex');

interface Hit {
  url: string;
  range?: string;
}
const hits: Hit[] = [];
let dropFirstModelGet = true;
let etagForModel = modelSha;
let server: http.Server;
let base: string;
let cacheDir: string;
const env = (): NodeJS.ProcessEnv => ({ GRAPHPROF_CACHE: cacheDir });

/** Serves `${REPO}/resolve/main/<file>` from the shared folder; model.onnx exists only at onnx/model.onnx. */
function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '';
  hits.push({ url, range: req.headers.range });
  const prefix = `/${REPO}/resolve/main/`;
  if (!url.startsWith(prefix)) return void res.writeHead(404).end();
  const file = url.slice(prefix.length);
  const local = file === 'onnx/model.onnx' ? 'model.onnx' : file.includes('/') ? '' : file;
  let body: Buffer;
  try {
    body = local && local !== 'model.onnx' ? readFileSync(path.join(served, local)) : local === 'model.onnx' ? modelBytes : Buffer.alloc(0);
    if (!local) throw new Error('not served');
  } catch {
    return void res.writeHead(404).end();
  }
  const headers: Record<string, string> = { 'accept-ranges': 'bytes' };
  if (local === 'model.onnx') headers['x-linked-etag'] = `"${etagForModel}"`;
  let start = 0;
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (m) start = Number(m[1]);
  const slice = body.subarray(start);
  headers['content-length'] = String(slice.length);
  if (m) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
  res.writeHead(m ? 206 : 200, headers);
  if (local === 'model.onnx' && dropFirstModelGet) {
    dropFirstModelGet = false;
    res.write(slice.subarray(0, Math.floor(slice.length / 2)), () => res.destroy());
    return;
  }
  res.end(slice);
}

beforeAll(async () => {
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'graphprof-models-'));
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('models pull', () => {
  it('downloads, resumes after a dropped connection, and verifies the sha256 from X-Linked-Etag', async () => {
    const res = await pullModel({ repo: REPO, baseUrl: base, env: env() });
    expect(res.onnxFile).toBe('onnx/model.onnx');
    const onnx = res.files.find((f) => f.file === 'onnx/model.onnx')!;
    expect(onnx.sha256).toBe(modelSha);
    expect(onnx.verifiedBy).toBe('etag');
    expect(statSync(path.join(res.dir, 'onnx/model.onnx')).size).toBe(modelBytes.length);
    // The second GET of the model asked only for the missing half.
    const modelHits = hits.filter((h) => h.url.endsWith('/onnx/model.onnx'));
    expect(modelHits.length).toBe(2);
    expect(modelHits[0]!.range).toBeUndefined();
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(modelHits[1]!.range ?? '')?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThan(modelBytes.length);
    expect(res.files.map((f) => f.file)).toEqual(['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model.onnx']);
  });

  it('makes the pulled model usable by name, through the pooling path', async () => {
    const saved = process.env.GRAPHPROF_CACHE;
    process.env.GRAPHPROF_CACHE = cacheDir;
    try {
      const enc = await openTextEncoder({ modelDir: REPO });
      expect(enc.modelId).toBe(`${REPO}@${modelSha.slice(0, 16)}`);
      const v = await enc.encode(['This guitar sounds amazing', 'Great acoustic guitar with warm tone']);
      let cos = 0;
      for (let d = 0; d < 512; d++) cos += v[d]! * v[512 + d]!;
      expect(cos).toBeCloseTo(0.523, 2);
      await enc.close();
    } finally {
      if (saved === undefined) delete process.env.GRAPHPROF_CACHE;
      else process.env.GRAPHPROF_CACHE = saved;
    }
  });

  it('rejects a download whose sha256 does not match, and deletes it', async () => {
    etagForModel = 'f'.repeat(64);
    await expect(pullModel({ repo: 'test-org/use-lite-token-states', baseUrl: base, env: { GRAPHPROF_CACHE: path.join(cacheDir, 'other') } })).rejects.toThrow(/sha256 .* expected f{64}/);
    etagForModel = modelSha;
    const wrong = 'a'.repeat(64);
    await expect(pullModel({ repo: REPO, baseUrl: base, sha256: wrong, env: { GRAPHPROF_CACHE: path.join(cacheDir, 'other') } })).rejects.toBeInstanceOf(ModelError);
    expect(() => statSync(path.join(cacheDir, 'other/models', REPO, 'onnx/model.onnx.part'))).toThrow();
  });

  it('reports a repo without tokenizer.json clearly', async () => {
    await expect(pullModel({ repo: 'test-org/missing', baseUrl: base, env: env() })).rejects.toThrow(/tokenizer\.json was not found/);
  });
});

describe('models list / path', () => {
  it('lists the pulled model and the not-yet-converted default', async () => {
    const entries = await listModels(env());
    const pulled = entries.find((e) => e.name === REPO)!;
    expect(pulled.kind).toBe('pulled');
    expect(pulled.onnxBytes).toBe(modelBytes.length);
    const def = entries.find((e) => e.name === 'use-lite')!;
    expect(def.present).toBe(false);
    expect(await modelPath(REPO, env())).toBe(path.join(cacheDir, 'models', REPO));
    await expect(modelPath('nobody/none', env())).rejects.toThrow(/models pull nobody\/none/);
  });
});

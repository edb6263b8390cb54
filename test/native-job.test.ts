/**
 * The one native-job contract (native/src/napi_args.h, job_worker.h,
 * src/native.ts), checked on every entry point: a wrong argument type throws a
 * TypeError, a wrong value a RangeError, both naming the function and the
 * argument; cancel() makes the promise reject with code GRAPHPROF_CANCELLED;
 * runNativeJob maps these to graphprof's errors.
 */
import { describe, expect, it } from 'vitest';
import { loadNative, runNativeJob, type NativeHandle } from '../src/native.js';
import { AbortedError, GraphprofError } from '../src/util/errors.js';
import { csrFromEdges, randomEdges } from './walk-csr.js';

type Start = (args: Record<string, unknown>, onProgress?: (p: unknown) => void) => NativeHandle<unknown>;
const addon = loadNative<Record<'startWalks' | 'sgnsTrain' | 'node2vecTrain', Start>>();

const csr = csrFromEdges(500, randomEdges(500, 3000, 2));
const walk = {
  offsets: csr.offsets,
  targets: csr.targets,
  weights: csr.weights,
  nodeCount: csr.nodeCount,
  directed: csr.directed,
  starts: Uint32Array.from({ length: 500 }, (_, i) => i),
  p: 0.5,
  q: 2,
  walkLength: 40,
};
const sgns = { dim: 8, window: 5, negative: 5, epochs: 1, alpha: 0.025, minAlpha: 0.0001, sample: 1e-3, seed: 1, threads: 1, minCount: 0 };
const matrices = () => ({ input: new Float32Array(500 * 8), output: new Float32Array(500 * 8), randomInit: true });
const tokens = Uint32Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 500);
const lengths = new Uint32Array(250).fill(80);

// Each entry point, its (slow enough to cancel) arguments and one of its typed arrays.
const entries: [string, () => Record<string, unknown>, string][] = [
  ['startWalks', () => ({ ...walk, walksPerNode: 2000, seed: 1, threads: 1 }), 'weights'],
  ['sgnsTrain', () => ({ ...sgns, epochs: 2000, nodeCount: 500, tokens, lengths, ...matrices() }), 'input'],
  ['node2vecTrain', () => ({ ...walk, walksPerNode: 50, walkSeed: 1, walkThreads: 1, ...sgns, epochs: 2000, ...matrices() }), 'weights'],
];

describe.each(entries)('native %s', (fn, args, array) => {
  const start = addon[fn as keyof typeof addon];

  it('throws a TypeError naming the argument of the wrong type', () => {
    expect(() => start({ ...args(), threads: '2' })).toThrow(TypeError);
    expect(() => start({ ...args(), threads: '2' })).toThrow(new RegExp(`^${fn}: argument "threads" must be a number`));
    expect(() => start({ ...args(), [array]: new Uint8Array(1) })).toThrow(TypeError);
    expect(() => start({ ...args(), [array]: undefined })).toThrow(new RegExp(`^${fn}: argument "${array}" must be a`));
    expect(() => (start as unknown as () => unknown)()).toThrow(new RegExp(`^${fn}: expected an arguments object`));
  });

  it('throws a RangeError naming the value out of range', () => {
    expect(() => start({ ...args(), threads: 0 })).toThrow(RangeError);
    expect(() => start({ ...args(), threads: 0 })).toThrow(new RegExp(`^${fn}: argument "threads" is 0; expected an integer in \\[1, 4096\\]`));
    expect(() => start({ ...args(), threads: 1.5 })).toThrow(RangeError);
  });

  it('rejects with code GRAPHPROF_CANCELLED when cancelled, and reports progress before', async () => {
    const reports: unknown[] = [];
    const handle = start(args(), (p) => {
      reports.push(p);
      handle.cancel();
    });
    const err = (await handle.promise.catch((e: unknown) => e)) as Error & { code?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('GRAPHPROF_CANCELLED');
    expect(err.message).toBe(`${fn}: cancelled`);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]).toMatchObject({ phase: expect.any(String), done: expect.any(Number), total: expect.any(Number) });
  });

  it('maps through runNativeJob: argument errors to GraphprofError, abort to AbortedError', async () => {
    await expect(runNativeJob('facade', () => start({ ...args(), threads: 0 }))).rejects.toThrow(GraphprofError);
    await expect(runNativeJob('facade', () => start({ ...args(), threads: 0 }))).rejects.toThrow(/^facade: .*"threads" is 0/);
    const controller = new AbortController();
    const run = runNativeJob('facade', (report) => start(args(), report), { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(AbortedError);
  });
});

/**
 * Node2vec walks streamed into skip-gram (native/src/node2vec_job.h): the walk
 * corpus is never held in memory. A counting pass walks everything once; then
 * every training thread produces the walks of the chunk it trains (about
 * 10,000 tokens) itself. The walks are those generateWalks returns, so with one
 * thread the vectors equal `trainSkipGram(await generateWalks(csr, w), s)` bit
 * for bit, and walks are identical for any thread count.
 */
import type { Csr } from '../graph/csr.js';
import { runNativeJob } from '../native.js';
import type { Progress } from '../util/progress.js';
import { checkCsr, nativeWalkArgs } from '../walk/index.js';
import { resolveWalkOptions, type WalkOptions } from '../walk/options.js';
import { nativeTrainer } from './binding.js';
import { sgnsProgress, sgnsStats, trainerMatrices, type SgnsStats, type SkipGramInit } from './job.js';
import { resolveSgnsOptions, trainerOptions, type SgnsOptions } from './options.js';

export interface TrainOnWalksOptions extends SgnsOptions {
  /** Walk options; seed and threads default to the skip-gram's. */
  walk?: WalkOptions;
  signal?: AbortSignal;
  /** One progress bar for walks and training: the counting pass, then every epoch's tokens. */
  onProgress?: Progress;
  /** Warm start: continue from these vectors instead of a random start. */
  init?: SkipGramInit;
  /** nodeCount bytes; nodes with a non-zero byte are walked through but not trained (no vector, never a noise sample). */
  exclude?: Uint8Array;
}

export interface WalkTrainingStats extends SgnsStats {
  /** Passes over the walks ("auto" resolved). */
  epochs: number;
  walks: number;
  /** Tokens of one epoch's walks (what generateWalks would have stored). */
  tokens: number;
  /** Seconds of the counting pass (every walk once); the rest of `seconds` is training, re-walks included. */
  walkSeconds: number;
}

export interface WalkTrainingResult {
  /** nodeCount x dim input vectors, row i for CSR node i. */
  vectors: Float32Array;
  /** nodeCount x dim output vectors, kept for a later warm start. */
  output: Float32Array;
  dim: number;
  stats: WalkTrainingStats;
}

const WHAT = 'trainOnWalks';

export async function trainOnWalks(csr: Csr, opts: TrainOnWalksOptions = {}): Promise<WalkTrainingResult> {
  const resolved = resolveSgnsOptions(opts, WHAT);
  const w = resolveWalkOptions(csr, { seed: resolved.seed, threads: resolved.threads, ...opts.walk }, WHAT, Number.MAX_SAFE_INTEGER);
  // "auto" epochs go by the walk slots (walks that end early only shorten them).
  const s = trainerOptions(resolved, w.starts.length * w.walksPerNode * w.walkLength);
  checkCsr(csr, WHAT);
  const matrices = trainerMatrices(WHAT, csr.nodeCount, s.dim, opts);
  const { onProgress } = opts;
  // One scale for the bar: the counting pass walks about T tokens, training
  // consumes epochs x T; T is estimated from the walk slots until training
  // reports the exact count.
  let tokens = w.starts.length * w.walksPerNode * w.walkLength;
  const stats = await runNativeJob(
    WHAT,
    (report) => {
      const { seed: walkSeed, threads: walkThreads, ...walk } = nativeWalkArgs(csr, w);
      return nativeTrainer().node2vecTrain({ ...walk, walkSeed, walkThreads, ...s, ...matrices }, report);
    },
    {
      signal: opts.signal,
      onProgress: onProgress
        ? (p) => {
            if (p.phase === 'walks') {
              onProgress((p.done / Math.max(1, p.total)) * tokens, tokens * (1 + s.epochs), 'walks: counting pass');
              return;
            }
            tokens = p.total / s.epochs;
            const t = sgnsProgress(p);
            onProgress(tokens + t.words, tokens + t.totalWords, `${Math.round(t.wordsPerSec / 1000)}k words/s, loss ${t.loss.toFixed(3)}`);
          }
        : undefined,
    },
  );
  return {
    vectors: matrices.input,
    output: matrices.output,
    dim: s.dim,
    stats: { ...sgnsStats(stats), epochs: s.epochs, walks: stats.walks, tokens: stats.tokens, walkSeconds: stats.walkSeconds },
  };
}

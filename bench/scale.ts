/**
 * Scale bench (issue 12): graphprof on a shop of a million reviews and on a
 * 10M-edge graph, each as a child process the way a user runs it.
 *
 *  1. `graphprof sample`'s generator writes (seeded, temp dir) a shop of
 *     SCALE_REVIEWS reviews (default 1,000,000: 100,000 users with a mean of 10
 *     long-tailed reviews each, 20,000 products), then
 *     `graphprof train --text-weight 0` runs on it; afterwards the users'
 *     segments (`graphprof export`) are scored against the planted ones (ARI).
 *  2. A seeded Chung-Lu edge list of SCALE_EDGES edges (default 10,000,000 over
 *     a tenth as many nodes) goes through `graphprof embed-graph`.
 *
 * Wall time per phase comes from the child's own `--json` timings. Memory:
 * the child's peak RSS (from /usr/bin/time where present, else the largest
 * VmHWM sampled), and per phase the peak of VmRSS sampled every 200 ms within
 * the phase's window (windows from the timings, aligned at the child's exit).
 * A child still running after SCALE_TIMEOUT_MIN minutes (default 25) is killed
 * and reported as not finished, with its peak so far.
 *
 * References in the same run: issue 12's targets (train <= 10 min and <= 4 GB;
 * embed-graph <= 15 min and <= CSR + both vector matrices + 1 GB).
 *
 *   npm run bench:scale                              (after the TS and native builds)
 *   SCALE_REVIEWS=100000 SCALE_EDGES=1000000 npm run bench:scale   (a quick run)
 *   SCALE_PARTS=train npm run bench:scale            (one part: train or embed)
 *   SCALE_KEEP_DIR=/work/scale-1m npm run bench:scale (keep the shop and its database there, outside the repo)
 *
 * The train part also reports the store phase per part (train --json
 * storeSeconds; issue 12's target: nodes and vectors <= 30 s) and times
 * `profile`, `similar` and `segments` on the stored run, each the median of
 * three fresh processes (target < 1 s), beside a bare `graphprof --version`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { adjustedRandIndex } from '../src/eval/metrics.js';
import { params } from '../src/params/index.js';
import { planSampleShop, writeSampleShop } from '../src/sample/index.js';
import { load, repoRoot, tempDir, timed } from './common.js';
import { writeChungLuEdgeList } from './graphs.js';

const MB = 1024 * 1024;
const reviewsTarget = Number(process.env.SCALE_REVIEWS ?? 1_000_000);
const edgesTarget = Number(process.env.SCALE_EDGES ?? 10_000_000);
const timeoutMin = Number(process.env.SCALE_TIMEOUT_MIN ?? 25);
const threads = Number(process.env.BENCH_THREADS ?? 2);
const parts = new Set((process.env.SCALE_PARTS ?? 'train,embed').split(','));
/** Where the train part keeps its shop and database (default: a temp dir, removed afterwards). */
const keepDir = process.env.SCALE_KEEP_DIR;
const SEED = 7;
const REVIEWS_PER_USER = 10;
const REVIEWS_PER_PRODUCT = 50;
const EDGES_PER_NODE = 10;
const SAMPLE_MS = 200;

const cli = join(repoRoot, 'bin', 'graphprof.js');
const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface ChildRun {
  finished: boolean;
  exitCode: number | null;
  wallSec: number;
  /** Exact peak RSS (MB) when /usr/bin/time measured it, else the largest sampled VmHWM. */
  peakRssMB: number;
  peakFrom: 'time' | 'sampled';
  /** [ms since spawn, VmRSS MB] */
  samples: [number, number][];
  stdout: string;
  stderrTail: string;
}

function statusMB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The node process: the child itself, or /usr/bin/time's child. */
function nodePid(childPid: number): number | null {
  if (timeBinary === null) return childPid;
  try {
    const kids = readFileSync(`/proc/${childPid}/task/${childPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kids.length > 0 ? Number(kids[0]) : null;
  } catch {
    return null;
  }
}

/** Runs `graphprof args...`, sampling its memory; kills it after the timeout. */
function runGraphprof(args: string[], workDir: string): Promise<ChildRun> {
  const peakFile = join(workDir, `peak-${Date.now()}.txt`);
  const argv = [cli, ...args];
  const child =
    timeBinary !== null
      ? spawn(timeBinary, ['-f', '%M', '-o', peakFile, process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const start = Date.now();
  const samples: [number, number][] = [];
  let hwm = 0;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let pid: number | null = null;
  const sampler = setInterval(() => {
    pid ??= child.pid === undefined ? null : nodePid(child.pid);
    if (pid === null) return;
    const rss = statusMB(pid, 'VmRSS');
    const peak = statusMB(pid, 'VmHWM');
    if (rss !== null) samples.push([Date.now() - start, rss]);
    if (peak !== null) hwm = Math.max(hwm, peak);
  }, SAMPLE_MS);
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    if (pid !== null) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  }, timeoutMin * 60_000);
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      const wallSec = (Date.now() - start) / 1000;
      let peakRssMB = hwm;
      let peakFrom: ChildRun['peakFrom'] = 'sampled';
      if (!timedOut && timeBinary !== null && existsSync(peakFile)) {
        const kb = Number(readFileSync(peakFile, 'utf8').trim().split('\n').pop());
        if (Number.isFinite(kb) && kb > 0) {
          peakRssMB = kb / 1024;
          peakFrom = 'time';
        }
      }
      resolvePromise({
        finished: !timedOut && code === 0,
        exitCode: code,
        wallSec,
        peakRssMB: Math.round(peakRssMB),
        peakFrom,
        samples,
        stdout,
        stderrTail: stderr,
      });
    });
  });
}

/** Peak sampled RSS within each phase's window; phases run back to back and end at the child's exit. */
function phasePeaks(run: ChildRun, timings: Record<string, number>): Record<string, number | null> {
  const total = Object.values(timings).reduce((a, b) => a + b, 0);
  let at = run.wallSec * 1000 - total * 1000;
  const out: Record<string, number | null> = {};
  for (const [phase, sec] of Object.entries(timings)) {
    const end = at + sec * 1000;
    let peak: number | null = null;
    for (const [t, rss] of run.samples) if (t >= at && t <= end) peak = Math.max(peak ?? 0, rss);
    out[phase] = peak === null ? null : Math.round(peak);
    at = end;
  }
  return out;
}

function printPhases(timings: Record<string, number>, peaks: Record<string, number | null>): void {
  console.log(`    ${'phase'.padEnd(10)} ${'seconds'.padStart(9)} ${'peak RSS MB'.padStart(12)}`);
  for (const [phase, sec] of Object.entries(timings)) {
    const peak = peaks[phase];
    console.log(`    ${phase.padEnd(10)} ${sec.toFixed(2).padStart(9)} ${(peak === null ? '(< 0.2 s)' : String(peak)).padStart(12)}`);
  }
}

/** VmRSS (MB) at the end of every minute of the run: where the memory went when a run did not finish. */
function rssByMinute(run: ChildRun): number[] {
  const out: number[] = [];
  for (const [t, rss] of run.samples) out[Math.floor(t / 60_000)] = Math.round(rss);
  return Array.from(out, (x) => x ?? 0);
}

function describeRun(label: string, run: ChildRun): void {
  const state = run.finished ? 'finished' : run.exitCode === null ? `DID NOT FINISH (killed after ${timeoutMin} min)` : `FAILED (exit ${run.exitCode})`;
  console.log(`  ${label}: ${state}, ${run.wallSec.toFixed(1)} s wall, peak RSS ${run.peakRssMB} MB (${run.peakFrom === 'time' ? '/usr/bin/time' : 'sampled VmHWM'})`);
  if (!run.finished && run.exitCode !== null) console.log(run.stderrTail.trim().split('\n').slice(-5).map((l) => `    ${l}`).join('\n'));
  if (!run.finished) console.log(`    RSS (MB) at the end of each minute: ${rssByMinute(run).join(' ')}`);
}

/** A child run and, when it finished, its own per-phase timings and the peak RSS sampled in each. */
interface PartRun {
  run: ChildRun;
  timings: Record<string, number> | null;
  phasePeakRssMB: Record<string, number | null> | null;
}

interface TrainFigures extends PartRun {
  reviews: number;
  users: number;
  products: number;
  generateSeconds: number;
  segments: number | null;
  ari: number | null;
  /** Wall seconds of each read-only query on the stored run, as a user runs it (process start included): median of three. */
  querySeconds: Record<string, number> | null;
  /** Seconds per part of the store phase (train --json storeSeconds). */
  storeSeconds: Record<string, number> | null;
  /** Nodes plus every kind of vectors: issue 12's "1M vectors and their nodes" (target <= 30 s). */
  nodesVectorsStoreSeconds: number | null;
}

async function trainPart(): Promise<TrainFigures> {
  const dir = keepDir ?? tempDir('graphprof-bench-scale-shop-');
  if (keepDir) {
    mkdirSync(keepDir, { recursive: true });
    for (const f of ['scale.db', 'scale.db-wal', 'scale.db-shm']) rmSync(join(keepDir, f), { force: true });
  }
  try {
    const users = Math.max(1, Math.round(reviewsTarget / REVIEWS_PER_USER));
    const products = Math.max(200, Math.round(reviewsTarget / REVIEWS_PER_PRODUCT));
    const gen = await timed(async () => {
      const plan = planSampleShop({ users, products, reviewsPerUser: REVIEWS_PER_USER, seed: SEED });
      await writeSampleShop(plan, dir);
      return plan;
    });
    const plan = gen.value;
    console.log(
      `\nshop: ${plan.reviewCount} reviews, ${users} users, ${products} products, ${plan.segments.length} planted segments ` +
        `(generated and written in ${gen.sec.toFixed(1)} s, reviews.csv ${Math.round(statSync(join(dir, 'reviews.csv')).size / MB)} MB)`,
    );
    const db = join(dir, 'scale.db');
    const files = ['reviews.csv', 'products.csv', 'users.csv'].map((f) => join(dir, f));
    const run = await runGraphprof(['train', '-i', ...files, '--text-weight', '0', '--threads', String(threads), '--db', db, '--json', '--quiet'], dir);
    describeRun('graphprof train --text-weight 0', run);
    const figures: TrainFigures = {
      reviews: plan.reviewCount,
      users,
      products,
      generateSeconds: gen.sec,
      run,
      timings: null,
      phasePeakRssMB: null,
      segments: null,
      ari: null,
      querySeconds: null,
      storeSeconds: null,
      nodesVectorsStoreSeconds: null,
    };
    if (!run.finished) return figures;
    const summary = JSON.parse(run.stdout) as { timings: Record<string, number>; segments: unknown[]; storeSeconds?: Record<string, number> };
    figures.timings = summary.timings;
    figures.phasePeakRssMB = phasePeaks(run, summary.timings);
    figures.segments = summary.segments.length;
    printPhases(summary.timings, figures.phasePeakRssMB);
    if (summary.storeSeconds) {
      const s = summary.storeSeconds;
      figures.storeSeconds = s;
      const nodesVectors = Object.entries(s).filter(([part]) => part === 'nodes' || part.startsWith('vectors ')).reduce((a, [, sec]) => a + sec, 0);
      figures.nodesVectorsStoreSeconds = Math.round(nodesVectors * 100) / 100;
      console.log(`  store phase by part (s): ${Object.entries(s).map(([part, sec]) => `${part} ${sec.toFixed(2)}`).join(', ')}`);
      console.log(`  nodes + vectors: ${figures.nodesVectorsStoreSeconds.toFixed(2)} s (target <= 30 s)`);
    }
    // Segment recovery: the run's user segments against the planted ones.
    const exported = join(dir, 'users.npy');
    const exp = await runGraphprof(['export', '--db', db, '--type', 'user', '--format', 'npy', '--out', exported, '--quiet'], dir);
    if (exp.finished) {
      const truth = new Map(plan.users.map((u) => [u.userId, u.segment]));
      const found: number[] = [];
      const planted: string[] = [];
      for (const line of readFileSync(join(dir, 'users.ids.tsv'), 'utf8').trim().split('\n').slice(1)) {
        const [id, , segment] = line.split('\t');
        if (id === undefined || segment === undefined || segment === '' || !truth.has(id)) continue;
        found.push(Number(segment));
        planted.push(truth.get(id)!);
      }
      const labels = new Map([...new Set(planted)].map((s, i) => [s, i]));
      figures.ari = Math.round(adjustedRandIndex(found, planted.map((s) => labels.get(s)!)) * 1000) / 1000;
      console.log(`  segments found: ${figures.segments}; adjusted Rand index vs the ${plan.segments.length} planted: ${figures.ari}`);
    } else {
      describeRun('graphprof export (for the segment ARI)', exp);
    }
    figures.querySeconds = await timeQueries(db, dir, plan.users[Math.floor(plan.users.length / 2)].userId);
    return figures;
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Issue 12 item 6: `profile`, `similar` and `segments` on the stored run
 * answer in < 1 s. Timed from the CLI, each a fresh process as a user runs
 * it; the reference is a bare `graphprof --version` measured in the same run
 * (Node's start and the module graph), printed beside them.
 */
async function timeQueries(db: string, dir: string, userId: string): Promise<Record<string, number>> {
  const queries: [string, string[]][] = [
    ['version (reference)', ['--version']],
    ['profile', ['profile', userId, '--db', db, '--quiet']],
    ['similar user', ['similar', `user:${userId}`, '--db', db, '--quiet']],
    ['segments', ['segments', '--db', db, '--quiet']],
  ];
  const out: Record<string, number> = {};
  console.log('  queries on the stored run (wall seconds, process start included; three runs, median; target < 1 s):');
  for (const [label, args] of queries) {
    const runs: ChildRun[] = [];
    for (let i = 0; i < 3; i++) runs.push(await runGraphprof(args, dir));
    const failed = runs.find((r) => !r.finished);
    out[label] = Math.round(median(runs.map((r) => r.wallSec)) * 100) / 100;
    const each = runs.map((r) => r.wallSec.toFixed(2)).join(' ');
    console.log(`    ${label.padEnd(20)} ${failed ? `FAILED (exit ${failed.exitCode})` : `${out[label].toFixed(2).padStart(6)}  (${each})`}`);
  }
  return out;
}

interface EmbedFigures extends PartRun {
  nodes: number;
  edges: number;
  writeSeconds: number;
  budgetMB: number;
}

async function embedPart(): Promise<EmbedFigures> {
  const dir = tempDir('graphprof-bench-scale-graph-');
  try {
    const nodes = Math.max(1000, Math.round(edgesTarget / EDGES_PER_NODE));
    const file = join(dir, 'chung-lu.edges');
    const written = await timed(() => writeChungLuEdgeList(file, nodes, edgesTarget, SEED));
    // CSR: offsets (u32, u64 from 2^32 arcs), a target and a weight per arc (both directions), a type byte per node.
    const arcs = 2 * edgesTarget;
    const csrBytes = (nodes + 1) * (arcs < 2 ** 32 ? 4 : 8) + arcs * (4 + 4) + nodes;
    const vectorBytes = 2 * nodes * params.dim.default * 4;
    const budgetMB = Math.round((csrBytes + vectorBytes) / MB + 1024);
    console.log(
      `\ngraph: Chung-Lu, ${edgesTarget} edges over ${nodes} nodes (${Math.round(written.value / MB)} MB edge list written in ${written.sec.toFixed(1)} s); ` +
        `memory budget CSR ${Math.round(csrBytes / MB)} MB + vectors ${Math.round(vectorBytes / MB)} MB + 1 GB = ${budgetMB} MB`,
    );
    const out = join(dir, 'vectors.bin');
    const run = await runGraphprof(
      ['embed-graph', '-i', file, '-o', out, '--format', 'word2vec-bin', '--threads', String(threads), '--json', '--quiet'],
      dir,
    );
    describeRun('graphprof embed-graph', run);
    const figures: EmbedFigures = { nodes, edges: edgesTarget, writeSeconds: written.sec, budgetMB, run, timings: null, phasePeakRssMB: null };
    if (!run.finished) return figures;
    const summary = JSON.parse(run.stdout) as { timings: Record<string, number> };
    figures.timings = summary.timings;
    figures.phasePeakRssMB = phasePeaks(run, summary.timings);
    printPhases(summary.timings, figures.phasePeakRssMB);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const loadStart = load();
  console.log(`bench:scale, ${threads} threads, load average at start ${loadStart} (2 cores; figures are noisy when busy)`);
  const train = parts.has('train') ? await trainPart() : null;
  const embed = parts.has('embed') ? await embedPart() : null;

  const trainSeconds = train?.run.finished ? Math.round(train.run.wallSec * 10) / 10 : null;
  const embedSeconds = embed?.run.finished ? Math.round(embed.run.wallSec * 10) / 10 : null;
  const trainMet = trainSeconds !== null && trainSeconds <= 600 && train!.run.peakRssMB <= 4096;
  const embedMet = embedSeconds !== null && embedSeconds <= 900 && embed!.run.peakRssMB <= embed!.budgetMB;
  console.log('\nTargets (issue 12, 2 cores):');
  if (train) {
    console.log(
      `  train of ${train.reviews} reviews <= 600 s and <= 4096 MB: ${trainMet ? 'met' : 'NOT met'} ` +
        `(${trainSeconds === null ? `did not finish in ${timeoutMin} min` : `${trainSeconds} s`}, ${train.run.peakRssMB} MB)`,
    );
    if (train.nodesVectorsStoreSeconds !== null) {
      console.log(`  store of the nodes and vectors <= 30 s: ${train.nodesVectorsStoreSeconds <= 30 ? 'met' : 'NOT met'} (${train.nodesVectorsStoreSeconds} s)`);
    }
    const q = train.querySeconds;
    if (q) {
      const asked = ['profile', 'similar user', 'segments'];
      const met = asked.every((k) => q[k] !== undefined && q[k] < 1);
      console.log(`  profile, similar, segments < 1 s each: ${met ? 'met' : 'NOT met'} (${asked.map((k) => `${k} ${q[k]} s`).join(', ')}; --version ${q['version (reference)']} s)`);
    }
  }
  if (embed) {
    console.log(
      `  embed-graph of ${embed.edges} edges <= 900 s and <= ${embed.budgetMB} MB: ${embedMet ? 'met' : 'NOT met'} ` +
        `(${embedSeconds === null ? `did not finish in ${timeoutMin} min` : `${embedSeconds} s`}, ${embed.run.peakRssMB} MB)`,
    );
  }
  console.log(
    JSON.stringify({
      threads,
      reviews: train?.reviews ?? null,
      users: train?.users ?? null,
      products: train?.products ?? null,
      generateSeconds: train?.generateSeconds ?? null,
      trainFinished: train?.run.finished ?? null,
      trainSeconds,
      trainElapsedSeconds: train ? Math.round(train.run.wallSec) : null,
      peakRssMB: train?.run.peakRssMB ?? null,
      trainPhases: train?.timings ?? null,
      trainPhasePeakRssMB: train?.phasePeakRssMB ?? null,
      trainRssByMinuteMB: train ? rssByMinute(train.run) : null,
      segments: train?.segments ?? null,
      segmentARI: train?.ari ?? null,
      querySeconds: train?.querySeconds ?? null,
      profileSeconds: train?.querySeconds?.['profile'] ?? null,
      similarSeconds: train?.querySeconds?.['similar user'] ?? null,
      segmentsSeconds: train?.querySeconds?.['segments'] ?? null,
      storeSeconds: train?.storeSeconds ?? null,
      nodesVectorsStoreSeconds: train?.nodesVectorsStoreSeconds ?? null,
      keptDir: keepDir ?? null,
      trainTargetMet: train ? trainMet : null,
      edgeListEdges: embed?.edges ?? null,
      edgeListNodes: embed?.nodes ?? null,
      embedGraphFinished: embed?.run.finished ?? null,
      embedGraphSeconds: embedSeconds,
      embedGraphElapsedSeconds: embed ? Math.round(embed.run.wallSec) : null,
      embedGraphPeakRssMB: embed?.run.peakRssMB ?? null,
      embedGraphBudgetMB: embed?.budgetMB ?? null,
      embedGraphPhases: embed?.timings ?? null,
      embedGraphPhasePeakRssMB: embed?.phasePeakRssMB ?? null,
      embedGraphRssByMinuteMB: embed ? rssByMinute(embed.run) : null,
      embedGraphTargetMet: embed ? embedMet : null,
      timeoutMinutes: timeoutMin,
      loadAvg1mStart: loadStart,
      loadAvg1mEnd: load(),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

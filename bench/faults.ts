/**
 * Fault sweep behind the README's "Reliability" figures: real `graphprof train`,
 * `refresh` and `eval` processes on the sample shop (text weight 0, so a run takes
 * seconds), each killed with SIGKILL, or interrupted with SIGINT (Ctrl-C), at
 * evenly spaced moments of its own clean run time. After each one the database
 * must pass SQLite's integrity check, hold exactly the complete runs it held
 * before (or one more, if the process had committed before the signal came),
 * no run left 'running', earlier runs unchanged, and the next write must work.
 * An interrupt that arrived before the commit must give exit 130 and store
 * nothing. Named reference, measured in the same run: the clean run of each
 * command (its wall time sets the moments).
 *
 *   npm run bench:faults   [FAULTS_PER_COMMAND=8]
 */
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { runTrain } from '../src/jobs/train.js';
import { openDatabase } from '../src/store/store.js';
import { load, repoRoot, tempDir } from './common.js';

const perCommand = Number(process.env.FAULTS_PER_COMMAND ?? 8);
const sample = (f: string): string => join(repoRoot, 'data', 'sample', f);
const cli = join(repoRoot, 'bin', 'graphprof.js');
const dir = tempDir('graphprof-bench-faults-');
const quick = ['--text-weight', '0', '--walks', '4', '--threads', '2', '--clusters', '5', '--quiet'];
const commands: Record<string, string[]> = {
  train: ['train', '-i', sample('reviews.csv'), sample('products.csv'), ...quick],
  refresh: ['refresh', '-i', join(dir, 'day.csv'), '--threads', '2', '--quiet'],
  eval: ['eval', '-i', sample('reviews.csv'), sample('products.csv'), ...quick],
};

interface Snapshot {
  integrity: string;
  complete: string[];
  running: number;
}

/** Every complete run as a fingerprint of its row (so a changed earlier run shows), plus runs left 'running'. */
function snapshot(path: string): Snapshot {
  const db = openDatabase(path, { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const rows = db.prepare(`SELECT id, kind, parent_run_id, inputs, params, counts, finished_at FROM runs WHERE status = 'complete' ORDER BY id`).raw(true).all() as unknown[][];
    const running = db.prepare(`SELECT count(*) FROM runs WHERE status != 'complete'`).pluck().get() as number;
    return { integrity, complete: rows.map((r) => JSON.stringify(r)), running };
  } finally {
    db.close();
  }
}

function finishedAt(path: string): number {
  const db = openDatabase(path, { readonly: true });
  try {
    return Date.parse(db.prepare(`SELECT finished_at FROM runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1`).pluck().get() as string);
  } finally {
    db.close();
  }
}

async function run(args: string[], signal?: { name: NodeJS.Signals; afterMs: number }): Promise<{ code: number | null; sec: number; signalledAt: number | null; exitedAt: number }> {
  const start = Date.now();
  const proc = spawn(process.execPath, [cli, ...args], { stdio: 'ignore' });
  let signalledAt: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  if (signal) {
    timer = setTimeout(() => {
      if (proc.exitCode === null && proc.signalCode === null) {
        signalledAt = Date.now();
        proc.kill(signal.name);
      }
    }, signal.afterMs);
  }
  const [code] = (await once(proc, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, sec: (Date.now() - start) / 1000, signalledAt, exitedAt: Date.now() };
}

// The base database: one train run; the refresh input is the sample's last 5% of reviews again, a day later (new reviews).
const base = join(dir, 'base.db');
{
  const lines = readFileSync(sample('reviews.csv'), 'utf8').trimEnd().split('\n');
  const tail = lines.slice(-Math.floor(lines.length / 20)).map((l) => l.replace(/^R/, 'N').replace(/,(\d+)$/, (_, t: string) => `,${Number(t) + 86_400}`));
  writeFileSync(join(dir, 'day.csv'), [lines[0], ...tail].join('\n') + '\n');
  const db = openDatabase(base);
  await runTrain(db, { files: [sample('reviews.csv'), sample('products.csv')], textWeight: 0, walksPerNode: 4, clusters: 5, threads: 2 });
  db.close();
}

const loadStart = load();
const totals = { sigkill: 0, sigint: 0, sigkillAfterExit: 0, sigintAfterExit: 0, corrupt: 0, partialRuns: 0, changedEarlierRuns: 0, failedNextWrite: 0, storedAfterInterrupt: 0, exit130: 0, sigintAfterCommit: 0, sigintOther: 0 };
/** Seconds from a SIGINT to the exit 130 it caused. */
const interruptSec: number[] = [];
const otherOutcomes: string[] = [];
const clean: Record<string, number> = {};
for (const [name, args] of Object.entries(commands)) {
  const path = join(dir, `${name}.db`);
  copyFileSync(base, path);
  const reference = await run([...args, '--db', path]);
  if (reference.code !== 0 || snapshot(path).complete.length !== 2) throw new Error(`clean ${name} exited ${reference.code} or stored no run`);
  clean[name] = reference.sec;
  for (const kind of ['SIGKILL', 'SIGINT'] as const) {
    for (let k = 1; k <= perCommand; k++) {
      copyFileSync(base, path);
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
      const before = snapshot(path);
      const r = await run([...args, '--db', path], { name: kind, afterMs: (reference.sec * 1000 * k) / (perCommand + 1) });
      const after = snapshot(path);
      totals[kind === 'SIGKILL' ? 'sigkill' : 'sigint']++;
      if (after.integrity !== 'ok') totals.corrupt++;
      if (after.running > 0) totals.partialRuns++;
      if (before.complete.some((row, i) => after.complete[i] !== row)) totals.changedEarlierRuns++;
      const stored = after.complete.length > before.complete.length;
      if (r.signalledAt === null) totals[kind === 'SIGKILL' ? 'sigkillAfterExit' : 'sigintAfterExit']++;
      else if (kind === 'SIGINT') {
        if (r.code === 130 && !stored) {
          totals.exit130++;
          interruptSec.push((r.exitedAt - r.signalledAt) / 1000);
        }
        // A run committed before the signal is fine; one that finished after it ignored the interrupt.
        else if (stored && finishedAt(path) > r.signalledAt) totals.storedAfterInterrupt++;
        else if (stored && r.code === 0) totals.sigintAfterCommit++;
        else {
          totals.sigintOther++;
          otherOutcomes.push(`${name}: ${r.code === null ? 'killed by SIGINT (before its handler was installed)' : `exit ${r.code}`}, ${stored ? 'stored' : 'nothing stored'}`);
        }
      }
      const next = await run(['ingest', '-i', sample('reviews.csv'), '--db', path, '--quiet']);
      if (next.code !== 0) totals.failedNextWrite++;
    }
  }
}
rmSync(dir, { recursive: true, force: true });

console.log(`fault sweep: ${perCommand} SIGKILLs and ${perCommand} SIGINTs per command, at evenly spaced moments of its clean run`);
console.log(`  reference, clean runs (s): ${Object.entries(clean).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
console.log(`  signals: ${totals.sigkill - totals.sigkillAfterExit} SIGKILL and ${totals.sigint - totals.sigintAfterExit} SIGINT reached a running process (${totals.sigkillAfterExit} + ${totals.sigintAfterExit} came after it had exited)`);
console.log(`  corrupt databases: ${totals.corrupt}; runs left partial: ${totals.partialRuns}; earlier runs changed: ${totals.changedEarlierRuns}; next write failed: ${totals.failedNextWrite}`);
interruptSec.sort((a, b) => a - b);
const slowestInterrupt = interruptSec.at(-1) ?? 0;
const medianInterrupt = interruptSec[Math.floor(interruptSec.length / 2)] ?? 0;
console.log(`  SIGINT before the commit: ${totals.exit130} exited 130 with nothing stored (median ${medianInterrupt.toFixed(2)} s, slowest ${slowestInterrupt.toFixed(2)} s from signal to exit); ${totals.storedAfterInterrupt} stored a run anyway; ${totals.sigintAfterCommit} came after the commit (run stored, exit 0); ${totals.sigintOther} other outcomes`);
for (const o of otherOutcomes) console.log(`    other: ${o}`);
console.log(JSON.stringify({ perCommand, cleanSec: clean, ...totals, otherOutcomes, interruptMedianSec: medianInterrupt, interruptSlowestSec: slowestInterrupt, loadAvg1mStart: loadStart, loadAvg1mEnd: load() }));

/**
 * `graphprof drift`: the users a refresh moved (fused vector moved more than
 * the refresh's --drift-threshold, or stable segment changed) and the nightly
 * trigger: with --limit X the exit code is 10 when the share of drifted users
 * reached X (the script retrains then), 0 when not.
 */
import type { CommandModule } from 'yargs';
import { readUserDrift } from '../store/drift.js';
import { decideRetrain, type DriftReport } from '../segment/drift.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import type { GlobalArgs } from './options.js';
import { paramArgs, paramFlags, topOf } from './params.js';
import { withRun } from './session.js';
import { printJson, printTable } from './output.js';
import { driftLines } from './labels.js';

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'drift',
  describe: 'Users a refresh moved from its base run; with --limit X, exit code 10 when the share of drifted users reached X (a nightly script then retrains)',
  builder: (y) =>
    paramFlags(y, ['run', 'driftLimit', 'top'])
      .example('$0 drift', 'the newest refresh: how many users drifted, the most drifted ones')
      .example('$0 drift --limit 0.1 --json || [ $? -ne 10 ] || $0 train -i all/', 'nightly: retrain when 10% of the users drifted'),
  handler: (argv) => {
    const limit = paramArgs(argv, ['driftLimit']).driftLimit;
    const out = withRun(argv, ['refresh'], (db, run) => {
      if (run.kind !== 'refresh') throw new GraphprofError(`run ${run.id} is a ${run.kind} run; drift is measured by a refresh against its base run (two trains: "graphprof segments --diff")`, ExitCode.usage);
      const stored = run.counts.drift as Omit<DriftReport, 'users' | 'listed'> | undefined;
      if (!stored) throw new GraphprofError(`run ${run.id} has no drift (a refresh made before graphprof measured drift, or without comparable vectors)`, ExitCode.usage);
      const users = readUserDrift(db, run.id, stored.threshold, topOf(argv));
      const report: DriftReport = { ...stored, users, listed: users.length };
      return { runId: run.id, parentRunId: run.parentRunId, ...report, ...(limit !== undefined ? { decision: decideRetrain(report, limit) } : {}) };
    });
    if (argv.json) printJson(out);
    else {
      process.stdout.write(`run ${out.runId} (refresh of run ${out.parentRunId})\n` + driftLines(out, out.decision) + '\n');
      printTable(out.users.map((u) => ({ user: u.user, distance: u.distance, from: u.from, to: u.to, moved: u.vectorMoved ? 'yes' : '', 'segment changed': u.segmentChanged ? 'yes' : '' })));
    }
    if (out.decision?.retrain) throw new GraphprofError(`drift: ${out.decision.reason}`, ExitCode.retrain);
  },
};

/** `graphprof refresh`: add new reviews to the newest run without retraining from scratch. */
import type { CommandModule } from 'yargs';
import { driftParamNames, pickParams, readParamNames, refreshParamNames } from '../params/index.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import { driftLines, matchLine, segmentRows, tagLine } from './labels.js';
import type { GlobalArgs } from './options.js';
import { paramArgs, paramFlags } from './params.js';
import { inline, note, printJson, printTable } from './output.js';
import { withJob } from './session.js';
import { counted } from '../util/plural.js';

const names = ['files', ...readParamNames, 'run', 'refit', 'radius', ...refreshParamNames, 'matchBy', ...driftParamNames] as const;

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'refresh',
  describe: 'Add new reviews to the newest run: walks near new nodes only, warm-started skip-gram, cached text; writes a new run. Parameters not given are the base run\'s',
  builder: (y) =>
    paramFlags(y, names)
      .example('$0 refresh -i reviews-2026-11-23.csv', 'nightly: add the day\'s reviews')
      .example('$0 refresh -i new.json.gz --refit --json', 're-cluster, JSON summary')
      .example('$0 refresh -i today.csv --only-if-drift 0.1 || [ $? -eq 10 ] && $0 train -i all/', 'nightly: retrain when 10% of the users drifted'),
  handler: async (argv) => {
    const quiet = argv.quiet || argv.json;
    const given = paramArgs(argv, names);
    await withJob(argv, { cancellable: true }, async (job) => {
      const { runRefresh } = await import('../jobs/refresh.js');
      const s = await runRefresh(job.db, {
        ...job.inputs(given),
        ...pickParams(refreshParamNames, given),
        baseRun: given.run,
        refit: given.refit,
        radius: given.radius,
        matchBy: given.matchBy,
        driftThreshold: given.driftThreshold,
        onlyIfDrift: given.onlyIfDrift,
        ...job.hooks,
      });
      job.progress.stop();
      // Exit code 10: the drift trigger says retrain (the run is stored either way).
      const trigger = (): void => {
        if (s.decision?.retrain) throw new GraphprofError(`refresh: ${s.decision.reason}`, ExitCode.retrain);
      };
      if (argv.json) {
        printJson(s);
        return trigger();
      }
      note(quiet, `refresh: built on run ${s.parentRunId}`);
      process.stdout.write(
        `run ${s.runId} (refresh of run ${s.parentRunId}) stored in ${argv.db}: ${counted(s.added, 'new review')} (${s.alreadyStored} already stored), ${counted(s.users, 'user')}, ${counted(s.products, 'product')}\n` +
          `text: ${s.text.encoded} encoded, ${s.text.cacheHits} from cache; segments ${s.refit ? 're-clustered' : 'kept, users assigned to the nearest'}\n` +
          matchLine(s.match) +
          tagLine(s.tags) +
          driftLines(s.drift, s.decision) +
          `timings (s): ${inline(s.timings)}\n\n`,
      );
      printTable(segmentRows(s.segments));
      trigger();
    });
  },
};

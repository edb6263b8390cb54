/** `graphprof refresh`: add new reviews to the newest run without retraining from scratch. */
import type { CommandModule } from 'yargs';
import { pickParams, readParamNames, refreshParamNames } from '../params/index.js';
import { openDatabase } from '../store/store.js';
import { createPhaseProgress } from '../util/progress.js';
import { abortOnSigint } from './signals.js';
import { readOptionsOf, type GlobalArgs } from './options.js';
import { paramArgs, paramFlags } from './params.js';
import { inline, note, printJson, printTable } from './output.js';
import { counted } from '../util/plural.js';

const names = ['files', ...readParamNames, 'run', 'refit', 'radius', ...refreshParamNames] as const;

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'refresh',
  describe: 'Add new reviews to the newest run: walks near new nodes only, warm-started skip-gram, cached text; writes a new run. Parameters not given are the base run\'s',
  builder: (y) =>
    paramFlags(y, names)
      .example('$0 refresh -i reviews-2026-11-23.csv', 'nightly: add the day\'s reviews')
      .example('$0 refresh -i new.json.gz --refit --json', 're-cluster, JSON summary'),
  handler: async (argv) => {
    const quiet = argv.quiet || argv.json;
    const given = paramArgs(argv, names);
    const db = openDatabase(argv.db);
    const progress = createPhaseProgress({ quiet });
    const sigint = abortOnSigint();
    try {
      const { runRefresh } = await import('../jobs/refresh.js');
      const s = await runRefresh(db, {
        files: given.files ?? [],
        ...readOptionsOf(given, progress.note),
        ...pickParams(refreshParamNames, given),
        baseRun: given.run,
        refit: given.refit,
        radius: given.radius,
        signal: sigint.signal,
        progress: progress.phase,
        onReadProgress: progress.phase('read'),
        onStoreStage: (stage) => void (stage === 'run' && progress.phase('store')),
      });
      progress.stop();
      if (argv.json) return printJson(s);
      note(quiet, `refresh: built on run ${s.parentRunId}`);
      process.stdout.write(
        `run ${s.runId} (refresh of run ${s.parentRunId}) stored in ${argv.db}: ${counted(s.added, 'new review')} (${s.alreadyStored} already stored), ${counted(s.users, 'user')}, ${counted(s.products, 'product')}\n` +
          `text: ${s.text.encoded} encoded, ${s.text.cacheHits} from cache; segments ${s.refit ? 're-clustered' : 'kept, users assigned to the nearest'}\n` +
          `timings (s): ${inline(s.timings)}\n\n`,
      );
      printTable(s.segments.map((x) => ({ segment: x.segment, users: x.size, rating: x.meanRating, 'distinctive terms': x.label })));
    } finally {
      sigint.dispose();
      progress.stop();
      db.close();
    }
  },
};

/** `graphprof refresh`: add new reviews to the newest run without retraining from scratch. */
import type { CommandModule } from 'yargs';
import { refreshDefaults } from '../jobs/warm.js';
import { openDatabase } from '../store/store.js';
import { createPhaseProgress } from '../util/progress.js';
import { abortOnSigint } from './signals.js';
import { parseRunRef } from './inspect.js';
import { inputOptions, readOptionsOf, type GlobalArgs, type InputArgs } from './options.js';
import { inline, note, printJson, printTable } from './output.js';

interface Args extends GlobalArgs, InputArgs {
  run: string;
  refit: boolean;
  radius: number;
  threads?: number;
  'text-model'?: string;
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'refresh',
  describe: 'Add new reviews to the newest run: walks near new nodes only, warm-started skip-gram, cached text; writes a new run',
  builder: (y) =>
    inputOptions(y)
      .option('run', { type: 'string', default: 'latest', describe: 'Run to build on (train or refresh), or "latest"' })
      .option('refit', { type: 'boolean', default: false, describe: 'Re-cluster users instead of assigning them to the existing segments' })
      .option('radius', { type: 'number', default: refreshDefaults.radius, describe: 'Hops around new nodes whose walks are redone' })
      .option('threads', { type: 'number', describe: 'Worker threads (default: all cores)' })
      .option('text-model', { type: 'string', describe: 'Text model directory (must be the one the base run used)' })
      .example('$0 refresh -i reviews-2026-11-23.csv', 'nightly: add the day\'s reviews')
      .example('$0 refresh -i new.json.gz --refit --json', 're-cluster, JSON summary'),
  handler: async (argv) => {
    const quiet = argv.quiet || argv.json;
    const db = openDatabase(argv.db);
    const progress = createPhaseProgress({ quiet });
    const sigint = abortOnSigint();
    try {
      const { runRefresh } = await import('../jobs/refresh.js');
      const s = await runRefresh(db, {
        files: argv.input,
        ...readOptionsOf(argv),
        baseRun: parseRunRef(argv.run),
        refit: argv.refit,
        radius: argv.radius,
        threads: argv.threads,
        textModel: argv['text-model'],
        signal: sigint.signal,
        progress: progress.phase,
        onReadProgress: progress.phase('read'),
      });
      progress.stop();
      if (argv.json) return printJson(s);
      note(quiet, `refresh: built on run ${s.parentRunId}`);
      process.stdout.write(
        `run ${s.runId} (refresh of run ${s.parentRunId}) stored in ${argv.db}: ${s.added} new reviews (${s.alreadyStored} already stored), ${s.users} users, ${s.products} products\n` +
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

/** `graphprof train`: the main job, from input files to stored profiles and segments. */
import type { CommandModule } from 'yargs';
import { textStatsLine } from '../text/stats.js';
import { trainDefaults } from '../jobs/defaults.js';
import { openDatabase } from '../store/store.js';
import { createPhaseProgress } from '../util/progress.js';
import { abortOnSigint } from './signals.js';
import { inputOptions, profileOptionsOf, readOptionsOf, trainOptions, type GlobalArgs, type InputArgs, type TrainArgs } from './options.js';
import { inline, note, printJson, printTable } from './output.js';

type Args = GlobalArgs & InputArgs & TrainArgs;

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'train',
  describe: 'Build the graph, learn graph and text vectors, fuse them, find segments and store one complete run',
  builder: (y) =>
    trainOptions(inputOptions(y))
      .example('$0 train -i data/sample/reviews.csv data/sample/products.csv data/sample/users.csv', 'the sample shop')
      .example('$0 train -i Musical_instruments_reviews.csv --clusters 8 --json', 'an Amazon CSV export, 8 segments, JSON summary'),
  handler: async (argv) => {
    const quiet = argv.quiet || argv.json;
    const profile = profileOptionsOf(argv);
    note(quiet, `train: dim ${profile.dim}, walk length ${profile.walkLength}, ${profile.walksPerNode} walks/node, window ${profile.window}, p ${profile.p}, q ${profile.q}, text weight ${profile.textWeight}, clusters ${profile.clusters}, seed ${profile.seed}` +
      (profile.dim === trainDefaults.dim && profile.walkLength === trainDefaults.walkLength ? ' (defaults)' : ''));
    const db = openDatabase(argv.db);
    const progress = createPhaseProgress({ quiet });
    const sigint = abortOnSigint();
    try {
      // Loaded on demand: the pipeline pulls in onnxruntime and the native addon, which queries need not pay for.
      const { runTrain } = await import('../jobs/train.js');
      const summary = await runTrain(db, {
        files: argv.input,
        ...readOptionsOf(argv),
        ...profile,
        signal: sigint.signal,
        progress: progress.phase,
        onReadProgress: progress.phase('read'),
      });
      progress.stop();
      if (argv.json) return printJson(summary);
      process.stdout.write(
        `run ${summary.runId} stored in ${argv.db}: ${summary.users} users, ${summary.products} products, ${summary.reviews} reviews\n` +
          `text: ${textStatsLine(summary.text.modelId, summary.text)}\n` +
          (summary.silhouettes ? `k by silhouette: ${inline(summary.silhouettes)}\n` : '') +
          `timings (s): ${inline(summary.timings)}\n\n`,
      );
      printTable(summary.segments.map((s) => ({ segment: s.segment, users: s.size, rating: s.meanRating, 'distinctive terms': s.label })));
    } finally {
      sigint.dispose();
      progress.stop();
      db.close();
    }
  },
};

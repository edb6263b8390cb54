/** `graphprof eval`: leave-last-out Recall@K / NDCG@K of graph, text and fused vectors vs popularity. */
import type { CommandModule } from 'yargs';
import type { Method } from '../jobs/evaluate.js';
import { createPhaseProgress } from '../util/progress.js';
import { openDatabase } from '../store/store.js';
import { inputOptions, profileOptionsOf, readOptionsOf, trainOptions, type GlobalArgs, type InputArgs, type TrainArgs } from './options.js';
import { inline, printJson, printTable } from './output.js';
import { abortOnSigint } from './signals.js';

interface Args extends GlobalArgs, InputArgs, TrainArgs {
  truth?: string;
  'text-weights'?: number[];
  k: number;
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'eval',
  describe: 'Hold out each user\'s last review, train on the rest, score product rankings (Recall@K, NDCG@K); stores the figures as an eval run',
  builder: (y) =>
    trainOptions(inputOptions(y))
      .option('truth', { type: 'string', describe: 'CSV user_id,segment of planted segments: report the adjusted Rand index' })
      .option('text-weights', { type: 'number', array: true, describe: 'Also score fused vectors at these text weights' })
      .option('k', { type: 'number', default: 10, describe: 'Cut-off of the ranking metrics' })
      .example('$0 eval -i Musical_instruments_reviews.csv --json', 'the README figures')
      .example('$0 eval -i data/sample/reviews.csv data/sample/products.csv --truth data/sample/ground_truth.csv', 'with segment ARI'),
  handler: async (argv) => {
    const quiet = argv.quiet || argv.json;
    const progress = createPhaseProgress({ quiet });
    const db = openDatabase(argv.db);
    const sigint = abortOnSigint();
    try {
      const { runEval } = await import('../jobs/evaluate.js');
      const r = await runEval(db, {
        files: argv.input,
        ...readOptionsOf(argv),
        ...profileOptionsOf(argv),
        truth: argv.truth,
        textWeights: argv['text-weights'],
        k: argv.k,
        progress: progress.phase,
        onReadProgress: progress.phase('read'),
        signal: sigint.signal,
      });
      progress.stop();
      const k = r.k;
      if (argv.json) {
        return printJson({ [`recall@${k}`]: r.recall, [`ndcg@${k}`]: r.ndcg, ...(r.ari !== undefined ? { ari: r.ari } : {}), ...r });
      }
      process.stdout.write(`${r.users} held-out users (${r.heldOutProductsUnseen} of their products unseen in training), k = ${k}\n\n`);
      printTable((['popularity', 'graph', 'text', 'fused'] as Method[]).map((m) => ({ method: m, [`recall@${k}`]: r.recall[m], [`ndcg@${k}`]: r.ndcg[m] })));
      if (r.byTextWeight) {
        process.stdout.write('\nfused by text weight:\n');
        printTable(Object.entries(r.byTextWeight).map(([w, s]) => ({ 'text weight': w, [`recall@${k}`]: s.recall, [`ndcg@${k}`]: s.ndcg })));
      }
      if (r.ari !== undefined) process.stdout.write(`\nsegments: ${r.segments}, adjusted Rand index vs ground truth: ${r.ari}\n`);
      process.stdout.write(`timings (s): ${inline(r.timings)}\n`);
    } finally {
      sigint.dispose();
      progress.stop();
      db.close();
    }
  },
};

/** `graphprof eval`: leave-last-out Recall@K / NDCG@K of graph, text and fused vectors vs popularity. */
import type { CommandModule } from 'yargs';
import type { Method } from '../jobs/evaluate.js';
import { pickParams, profileParamNames, readParamNames } from '../params/index.js';
import type { GlobalArgs } from './options.js';
import { paramArgs, paramFlags } from './params.js';
import { inline, printJson, printTable } from './output.js';
import { withJob } from './session.js';

const names = ['files', ...readParamNames, ...profileParamNames, 'truth', 'textWeights', 'k'] as const;

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'eval',
  describe: 'Hold out each user\'s last review, train on the rest, score product rankings (Recall@K, NDCG@K); stores the figures as an eval run',
  builder: (y) =>
    paramFlags(y, names)
      .example('$0 eval -i Musical_instruments_reviews.csv --json', 'the README figures')
      .example('$0 eval -i data/sample/reviews.csv data/sample/products.csv --truth data/sample/ground_truth.csv', 'with segment ARI'),
  handler: async (argv) => {
    const given = paramArgs(argv, names);
    await withJob(argv, { cancellable: true }, async ({ db, progress, inputs, hooks }) => {
      const { runEval } = await import('../jobs/evaluate.js');
      const r = await runEval(db, {
        ...inputs(given),
        ...pickParams(profileParamNames, given),
        truth: given.truth,
        textWeights: given.textWeights,
        k: given.k,
        progress: hooks.progress,
        signal: hooks.signal,
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
    });
  },
};

/** `graphprof ingest`: read input files, build the graph, store it as a run. */
import type { CommandModule } from 'yargs';
import { readParamNames } from '../params/index.js';
import type { GlobalArgs } from './options.js';
import { paramArgs, paramFlags } from './params.js';
import { inline, printJson } from './output.js';
import { withJob } from './session.js';
import { counted } from '../util/plural.js';

const names = ['files', ...readParamNames, 'directed'] as const;

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'ingest',
  describe: 'Read shop data or an edge list, build the graph and store it as a run',
  builder: (y) =>
    paramFlags(y, names)
      .example('$0 ingest -i data/sample/reviews.csv data/sample/products.csv data/sample/users.csv', 'the sample shop')
      .example('$0 ingest -i reviews_Musical_Instruments_5.json.gz meta.json.gz --skip-invalid', 'Amazon JSON lines with metadata')
      .example('$0 ingest -i cora.cites --format edgelist', 'a plain graph'),
  handler: async (argv) => {
    const given = paramArgs(argv, names);
    await withJob(argv, { cancellable: true }, async ({ db, progress, inputs, hooks }) => {
      const { runIngest } = await import('../jobs/ingest.js');
      const { onReadProgress, ...read } = inputs(given);
      const summary = await runIngest(db, { ...read, directed: given.directed, onProgress: onReadProgress, signal: hooks.signal });
      progress.stop();
      if (argv.json) return printJson(summary);
      const c = summary.counts;
      const out = [
        `run ${summary.runId} stored in ${argv.db}`,
        `nodes:      ${inline(summary.nodes)}`,
        `edges:      ${inline(summary.edges)}`,
        `reviews:    ${summary.reviews} (${c.emptyText} without text); ${counted(c.rowsRead, 'row')} read from ${counted(summary.files.length, 'file')}`,
        `duplicates: ${c.duplicatesExact} exact, ${c.duplicatesRepeated} repeated (same user, product, time, text)`,
        `skipped:    ${Object.keys(c.skipped).length ? inline(c.skipped) : 'none'}`,
        `timings:    ${inline(summary.timings)} (s)`,
      ];
      process.stdout.write(out.join('\n') + '\n');
    });
  },
};

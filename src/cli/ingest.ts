/** `graphprof ingest`: read input files, build the graph, store it as a run. */
import type { CommandModule } from 'yargs';
import { openDatabase } from '../store/store.js';
import { readParamNames } from '../params/index.js';
import { createPhaseProgress } from '../util/progress.js';
import { readOptionsOf, type GlobalArgs } from './options.js';
import { paramArgs, paramFlags } from './params.js';
import { inline, printJson } from './output.js';
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
    const db = openDatabase(argv.db);
    const progress = createPhaseProgress({ quiet: argv.quiet || argv.json });
    try {
      const { runIngest } = await import('../jobs/ingest.js');
      const summary = await runIngest(db, {
        files: given.files ?? [],
        ...readOptionsOf(given, progress.note),
        directed: given.directed,
        onProgress: progress.phase('read'),
      });
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
    } finally {
      progress.stop();
      db.close();
    }
  },
};

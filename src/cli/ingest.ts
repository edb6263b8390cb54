/** `graphprof ingest`: read input files, build the graph, store it as a run. */
import type { CommandModule } from 'yargs';
import { openDatabase } from '../store/store.js';
import { pseudonymizer } from '../util/pseudonym.js';
import { createProgressBar } from '../util/progress.js';
import { inputOptions, parseMap, type GlobalArgs, type InputArgs } from './options.js';
import { inline, printJson } from './output.js';
import { abortOnSigint } from './signals.js';

type Args = GlobalArgs & InputArgs;

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'ingest',
  describe: 'Read shop data or an edge list, build the graph and store it as a run',
  builder: (y) =>
    inputOptions(y)
      .example('$0 ingest -i data/sample/reviews.csv data/sample/products.csv data/sample/users.csv', 'the sample shop')
      .example('$0 ingest -i reviews_Musical_Instruments_5.json.gz meta.json.gz --skip-invalid', 'Amazon JSON lines with metadata')
      .example('$0 ingest -i cora.cites --format edgelist', 'a plain graph'),
  handler: async (argv) => {
    const db = openDatabase(argv.db);
    const bar = createProgressBar('read', { quiet: argv.quiet || argv.json });
    const sigint = abortOnSigint();
    try {
      const { runIngest } = await import('../jobs/ingest.js');
      const summary = await runIngest(db, {
        files: argv.input,
        format: argv.format,
        skipInvalid: argv['skip-invalid'],
        map: parseMap(argv.map),
        pseudonymize: argv.pseudonymize !== undefined ? pseudonymizer(argv.pseudonymize) : undefined,
        directed: argv.directed,
        onProgress: bar.update,
        signal: sigint.signal,
      });
      bar.stop();
      if (argv.json) return printJson(summary);
      const c = summary.counts;
      const out = [
        `run ${summary.runId} stored in ${argv.db}`,
        `nodes:      ${inline(summary.nodes)}`,
        `edges:      ${inline(summary.edges)}`,
        `reviews:    ${summary.reviews} (${c.emptyText} without text); ${c.rowsRead} rows read from ${argv.input.length} file(s)`,
        `duplicates: ${c.duplicatesExact} exact, ${c.duplicatesRepeated} repeated (same user, product, time, text)`,
        `skipped:    ${Object.keys(c.skipped).length ? inline(c.skipped) : 'none'}`,
        `timings:    ${inline(summary.timings)} (s)`,
      ];
      process.stdout.write(out.join('\n') + '\n');
    } finally {
      sigint.dispose();
      bar.stop();
      db.close();
    }
  },
};

/** `graphprof report`: a self-contained HTML report of a trained run. */
import type { CommandModule } from 'yargs';
import { resolve } from 'node:path';
import { reportDefaults } from '../report/options.js';
import { openDatabase } from '../store/store.js';
import { checkOutputs } from '../util/out-path.js';
import type { GlobalArgs } from './options.js';
import { paramFlags, runOf } from './params.js';
import { note, printJson } from './output.js';
import { counted } from '../util/plural.js';

interface Args extends GlobalArgs {
  out: string;
  'max-points': number;
  products: number;
  title?: string;
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'report',
  describe: 'Write a self-contained HTML report of a trained run: summary, segments, map of users, segment graph, review snippets',
  builder: (y) =>
    paramFlags(y, ['run'])
      .option('out', { alias: 'o', type: 'string', default: 'report.html', describe: 'HTML file to write' })
      .option('max-points', { type: 'number', default: reportDefaults.maxPoints, describe: 'Most users drawn on the map; above it a per-segment sample is drawn' })
      .option('products', { type: 'number', default: reportDefaults.productsPerSegment, describe: 'Top products per segment in the segment graph' })
      .option('title', { type: 'string', describe: 'Page title (default: "Customer segments — run N")' })
      .example('$0 report', 'report.html for the newest run in graphprof.db')
      .example('$0 report --db shop.db --run 3 --out run3.html', 'a given run of another database')
      .example('$0 report --max-points 3000 --json', 'a lighter map; prints {out, bytes, users, segments}'),
  handler: async (argv) => {
    checkOutputs([argv.out], { option: '--out', database: argv.db, overwrite: true });
    const db = openDatabase(argv.db, { readonly: true });
    try {
      const { buildReport, writeReport } = await import('../report/index.js');
      const { html, stats } = buildReport(db, {
        run: runOf(argv),
        maxPoints: argv['max-points'],
        productsPerSegment: argv.products,
        title: argv.title,
      });
      const out = resolve(argv.out);
      const bytes = writeReport(out, html);
      if (argv.json) return printJson({ out, bytes, users: stats.users, segments: stats.segments, runId: stats.runId, mapPoints: stats.mapPoints, evalRunId: stats.evalRunId });
      process.stdout.write(`${out}: ${(bytes / 1024).toFixed(0)} KB, run ${stats.runId}, ${counted(stats.segments, 'segment')}, ${counted(stats.users, 'user')} (${stats.mapPoints} on the map)\n`);
      if (stats.evalRunId === null) note(argv.quiet, 'no eval run on the same data: the report has no Recall/NDCG figures (run "graphprof eval" to add them)');
    } finally {
      db.close();
    }
  },
};

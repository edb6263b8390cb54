/** `graphprof runs`: the complete runs in the database, with their lineage. */
import type { CommandModule } from 'yargs';
import { listRuns } from '../store/runs.js';
import { openDatabase } from '../store/store.js';
import type { GlobalArgs } from './options.js';
import { printJson, printTable } from './output.js';

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'runs',
  describe: 'List the complete runs stored in the database',
  builder: (y) => y.example('$0 runs', 'table of runs').example('$0 runs --json', 'as JSON'),
  handler: (argv) => {
    const db = openDatabase(argv.db, { readonly: true });
    try {
      const runs = listRuns(db);
      if (argv.json) return printJson(runs);
      printTable(
        runs.map((r) => ({
          id: r.id,
          kind: r.kind,
          parent: r.parentRunId ?? '',
          created: r.createdAt.replace('T', ' ').slice(0, 19),
          nodes: Object.values((r.counts.nodes ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0),
          reviews: r.counts.reviews ?? '',
          seconds: Object.values(r.timings).reduce((a, b) => a + b, 0),
          inputs: r.inputs.join(' '),
        })),
      );
    } finally {
      db.close();
    }
  },
};

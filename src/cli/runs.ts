/** `graphprof runs`: the complete runs in the database, with their lineage; deleting old ones keeps the file bounded. */
import type { CommandModule } from 'yargs';
import { deleteRuns, fileBytes, runsBeyond, tableBytes } from '../store/prune.js';
import { listRuns, type RunInfo } from '../store/runs.js';
import { openDatabase } from '../store/store.js';
import { counted } from '../util/plural.js';
import type { GlobalArgs } from './options.js';
import { humanBytes, note, printJson, printTable } from './output.js';
import { paramArgs, paramFlags } from './params.js';

const names = ['deleteRuns', 'keepLast', 'space'] as const;

const reviewsOf = (r: RunInfo): number => (typeof r.counts.reviews === 'number' ? r.counts.reviews : 0);

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'runs',
  describe: 'List the complete runs stored in the database; delete old ones (--delete, --keep-last) to bound its size',
  builder: (y) =>
    paramFlags(y, names)
      .example('$0 runs', 'table of runs')
      .example('$0 runs --json', 'as JSON')
      .example('$0 runs --keep-last 3', 'nightly: keep the three newest runs, compact the file')
      .example('$0 runs --delete 1 2 --space', 'delete runs 1 and 2, show what takes the space'),
  handler: (argv) => {
    const o = paramArgs(argv, names);
    const writing = o.deleteRuns !== undefined || o.keepLast !== undefined;
    const db = openDatabase(argv.db, { readonly: !writing });
    try {
      const pruned = writing ? deleteRuns(db, [...new Set([...(o.deleteRuns ?? []), ...(o.keepLast !== undefined ? runsBeyond(db, o.keepLast) : [])])]) : undefined;
      const runs = listRuns(db);
      const newest = runs.filter((r) => reviewsOf(r) > 0).pop();
      const bytes = fileBytes(argv.db);
      const space = o.space ? { bytes, tables: tableBytes(db), bytesPerReview: newest ? Math.round(bytes / reviewsOf(newest)) : null } : undefined;
      if (argv.json) return printJson(writing || o.space ? { runs, ...(pruned ? { pruned } : {}), ...(space ? { space } : {}) } : runs);
      if (pruned) note(argv.quiet, `deleted ${pruned.deleted.length ? `run${pruned.deleted.length === 1 ? '' : 's'} ${pruned.deleted.join(', ')}` : 'no run'}; ${argv.db}: ${humanBytes(pruned.bytesBefore)} -> ${humanBytes(pruned.bytesAfter)}`);
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
      if (!space) return;
      process.stdout.write(`\n${argv.db}: ${humanBytes(bytes)} in ${counted(runs.length, 'run')}${newest && space.bytesPerReview !== null ? `, ${humanBytes(space.bytesPerReview)} per review of run ${newest.id} (${counted(reviewsOf(newest), 'review')})` : ''}\n`);
      printTable(space.tables.map((t) => ({ table: t.table, bytes: humanBytes(t.bytes), share: `${((100 * t.bytes) / Math.max(1, space.tables.reduce((a, x) => a + x.bytes, 0))).toFixed(1)}%` })));
    } finally {
      db.close();
    }
  },
};

/** `graphprof similar <node-id>`: nearest neighbours of a user or product by fused, graph or text vectors. */
import type { CommandModule } from 'yargs';
import { similar } from '../query/profile.js';
import { getRun, type VectorKind } from '../store/runs.js';
import { openDatabase } from '../store/store.js';
import type { GlobalArgs } from './options.js';
import { paramFlags, runOf, topOf } from './params.js';
import { printJson, printTable } from './output.js';

interface Args extends GlobalArgs {
  node: string;
  kind: VectorKind;
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'similar <node>',
  describe: 'Nearest users or products to a node (cosine of stored vectors)',
  builder: (y) =>
    paramFlags(y, ['run', 'top'])
      .positional('node', { type: 'string', demandOption: true, describe: 'A node id: "product:B0002E1G5C", "user:A2IB…", or a bare id (user first, then product)' })
      .option('kind', { type: 'string', choices: ['fused', 'graph', 'text'] as const, default: 'fused' as const, describe: 'Which vectors to compare' })
      .example('$0 similar product:B0002E1G5C --kind text', 'products whose reviews read alike') as never,
  handler: (argv) => {
    const db = openDatabase(argv.db, { readonly: true });
    try {
      const run = getRun(db, runOf(argv), ['train', 'refresh']);
      const r = similar(db, run.id, argv.node, topOf(argv), argv.kind);
      if (argv.json) return printJson({ runId: run.id, ...r });
      process.stdout.write(`nearest to ${r.key} by ${r.kind} vectors (run ${run.id}):\n`);
      printTable(r.neighbours.map((n) => ({ node: n.key, score: n.score })));
    } finally {
      db.close();
    }
  },
};

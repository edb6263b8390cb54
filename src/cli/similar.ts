/** `graphprof similar <node-id>`: nearest neighbours of a user or product by fused, graph or text vectors. */
import type { CommandModule } from 'yargs';
import type { VectorKind } from '../store/runs.js';
import type { GlobalArgs } from './options.js';
import { paramFlags, topOf } from './params.js';
import { withRun } from './session.js';
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
  handler: async (argv) => {
    const { similar } = await import('../query/profile.js'); // see commands.ts
    withRun(argv, ['train', 'refresh'], (db, run) => {
      const r = similar(db, run.id, argv.node, topOf(argv), argv.kind);
      if (argv.json) return printJson({ runId: run.id, ...r });
      process.stdout.write(`nearest to ${r.key} by ${r.kind} vectors (run ${run.id}):\n`);
      printTable(r.neighbours.map((n) => ({ node: n.key, score: n.score })));
    });
  },
};

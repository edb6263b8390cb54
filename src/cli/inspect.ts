/** `graphprof inspect`: counts, degree summary per node type and components of a stored run's graph. */
import type { CommandModule } from 'yargs';
import { graphStats } from '../graph/stats.js';
import { readRunCsr } from '../store/graph.js';
import type { GlobalArgs } from './options.js';
import { paramFlags } from './params.js';
import { withRun } from './session.js';
import { printJson, printTable } from './output.js';
import { counted } from '../util/plural.js';

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'inspect',
  describe: 'Summarise the graph of a stored run: nodes, degrees per type, connected components',
  builder: (y) =>
    paramFlags(y, ['run'])
      .example('$0 inspect', 'the newest ingest, train or refresh run in graphprof.db')
      .example('$0 inspect --run 3 --json', 'run 3, as JSON'),
  // Eval runs store figures, not a graph: "latest" is the newest run that has one.
  handler: (argv) =>
    withRun(argv, ['ingest', 'train', 'refresh'], (db, run) => {
      const stats = graphStats(readRunCsr(db, run.id, run.params.directed === true));
      if (argv.json) return printJson({ runId: run.id, ...stats });
      process.stdout.write(
        `run ${run.id} (${run.kind}): ${counted(stats.nodes, 'node')}, ${counted(stats.edges, stats.directed ? 'directed edge' : 'undirected edge')}\n` +
          `components: ${stats.components.count} (largest ${counted(stats.components.largest, 'node')}, ${counted(stats.components.isolated, 'isolated node')})\n\n`,
      );
      printTable(
        Object.entries(stats.byType).map(([type, d]) => ({ type, ...d })),
        ['type', 'nodes', 'min', 'median', 'mean', 'p90', 'max'],
      );
    }),
};

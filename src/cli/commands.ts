/**
 * Every graphprof command, in the order `--help` lists them. A command's
 * module (its flags, handler and everything the handler imports) is loaded
 * only when that command is parsed: yargs runs the builder of the command
 * named on the command line alone (and none for a bare `--help` or
 * `--version`), so the builder here imports the module first. A query then
 * pays for its own modules, not for the training code, the text models or the
 * sample generator's vocabularies (importing all sixteen modules was most of
 * `graphprof --version`'s time).
 *
 * The name and description are the ones the module declares;
 * test/cli-commands.test.ts checks that the two agree.
 */
import type { Argv, CommandModule } from 'yargs';
import type { GlobalArgs } from './options.js';

type Command = CommandModule<GlobalArgs, GlobalArgs>;

export interface CommandEntry {
  /** yargs' command string: the name and its positionals. */
  command: string;
  describe: string;
  load: () => Promise<{ command: unknown }>;
}

// Each module's own argument type is a superset of GlobalArgs; yargs checks them at parse time.
export const commandEntries: readonly CommandEntry[] = [
  { command: 'train', describe: 'Build the graph, learn graph and text vectors, fuse them, find segments and store one complete run', load: () => import('./train.js') },
  {
    command: 'refresh',
    describe: "Add new reviews to the newest run: walks near new nodes only, warm-started skip-gram, cached text; writes a new run. Parameters not given are the base run's",
    load: () => import('./refresh.js'),
  },
  { command: 'ingest', describe: 'Read shop data or an edge list, build the graph and store it as a run', load: () => import('./ingest.js') },
  {
    command: 'eval',
    describe: "Hold out each user's last review, train on the rest, score product rankings of every method (Recall@K, NDCG@K); stores the figures as an eval run",
    load: () => import('./eval.js'),
  },
  {
    command: 'segments',
    describe: 'Show the customer segments of a trained run (stable ids and names); --diff RUN lists per segment the users who joined and left since RUN',
    load: () => import('./segments.js'),
  },
  { command: 'tags', describe: 'List the tags of a trained run: users having each tag (score >= its threshold), overall and per segment', load: () => import('./tags.js') },
  {
    command: 'drift',
    describe: 'Users a refresh moved from its base run; with --limit X, exit code 10 when the share of drifted users reached X (a nightly script then retrains)',
    load: () => import('./drift.js'),
  },
  { command: 'profile <user>', describe: 'Profile of one user: segment, nearest users, recommended products (never ones already reviewed)', load: () => import('./profile.js') },
  { command: 'similar <node>', describe: 'Nearest users or products to a node (cosine of stored vectors)', load: () => import('./similar.js') },
  {
    command: 'export',
    describe: "Write a run's vectors for other tools: word2vec (text/binary), npy + ids, parquet, jsonl, csv, TensorBoard tsv",
    load: () => import('./export.js'),
  },
  {
    command: 'report',
    describe: 'Write a self-contained HTML report of a trained run: summary, segments, map of users, segment graph, review snippets',
    load: () => import('./report.js'),
  },
  { command: 'embed-graph', describe: 'node2vec on an edge list: walks + skip-gram, vectors written in word2vec text or binary format', load: () => import('./embed-graph.js') },
  { command: 'inspect', describe: 'Summarise the graph of a stored run: nodes, degrees per type, connected components', load: () => import('./inspect.js') },
  { command: 'runs', describe: 'List the complete runs stored in the database; delete old ones (--delete, --keep-last) to bound its size', load: () => import('./runs.js') },
  { command: 'sample', describe: 'Write the seeded sample shop (users, products, reviews with planted segments) as CSV files', load: () => import('./sample.js') },
  { command: 'models', describe: 'List, download and locate text models', load: () => import('./models.js') },
];

/** A yargs command whose module is imported by its builder, the first thing yargs runs for the command it parses. */
function lazyCommand(entry: CommandEntry): Command {
  let loaded: Command | undefined;
  return {
    command: entry.command,
    describe: entry.describe,
    builder: async (y: Argv<GlobalArgs>): Promise<Argv<GlobalArgs>> => {
      loaded = (await entry.load()).command as Command;
      const build = loaded.builder;
      if (typeof build === 'function') return build(y);
      return build === undefined ? y : (y.options(build) as unknown as Argv<GlobalArgs>);
    },
    handler: (argv) => {
      if (loaded === undefined) throw new Error(`commands: the handler of "${entry.command}" ran before its builder loaded the module`);
      return loaded.handler(argv);
    },
  };
}

export const commands: Command[] = commandEntries.map(lazyCommand);

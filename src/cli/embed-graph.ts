/** `graphprof embed-graph`: node2vec on a plain edge list, vectors out in a word2vec format. */
import type { CommandModule } from 'yargs';
import { embedEdgeListFiles, type EmbedPhase } from '../embed/node2vec.js';
import type { Word2VecFormat } from '../export/word2vec.js';
import { SGNS_DEFAULTS } from '../sgns/options.js';
import { createProgressBar, type ProgressBar } from '../util/progress.js';
import { walkDefaults } from '../walk/options.js';
import type { GlobalArgs } from './options.js';
import { inline, printJson } from './output.js';

interface Args extends GlobalArgs {
  input: string[];
  out: string;
  format: Word2VecFormat;
  directed: boolean;
  'skip-invalid': boolean;
  dim: number;
  'walk-length': number;
  walks: number;
  window: number;
  p: number;
  q: number;
  negative: number;
  epochs: number;
  threads?: number;
  seed: number;
}

const group = 'Node2vec / skip-gram:';

/** One progress bar per phase, the previous one closed when the next starts. */
function phaseBars(quiet: boolean): { update: (phase: EmbedPhase, done: number, total: number, status?: string) => void; stop: () => void } {
  let current: { phase: EmbedPhase; bar: ProgressBar } | undefined;
  return {
    update(phase, done, total, status) {
      if (current?.phase !== phase) {
        current?.bar.stop();
        current = { phase, bar: createProgressBar(phase, { quiet }) };
      }
      current.bar.update(done, total, status);
    },
    stop() {
      current?.bar.stop();
    },
  };
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'embed-graph',
  describe: 'node2vec on an edge list: walks + skip-gram, vectors written in word2vec text or binary format',
  builder: (y) =>
    y
      .option('input', { alias: 'i', type: 'string', array: true, demandOption: true, describe: 'Edge list file(s): "src dst [weight]" per line; .gz read transparently' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Vector file to write' })
      .option('format', { type: 'string', choices: ['word2vec', 'word2vec-bin'] as const, default: 'word2vec' as const, describe: 'word2vec text, or word2vec binary (gensim load_word2vec_format binary=True)' })
      .option('directed', { type: 'boolean', default: false, describe: 'Keep edges one way' })
      .option('skip-invalid', { type: 'boolean', default: false, describe: 'Skip bad lines and count them instead of stopping' })
      .option('dim', { type: 'number', default: SGNS_DEFAULTS.dim, describe: 'Vector size', group })
      .option('walk-length', { type: 'number', default: walkDefaults.walkLength, describe: 'Nodes per walk', group })
      .option('walks', { type: 'number', default: walkDefaults.walksPerNode, describe: 'Walks per node', group })
      .option('window', { type: 'number', default: SGNS_DEFAULTS.window, describe: 'Skip-gram context window', group })
      .option('p', { type: 'number', default: walkDefaults.p, describe: 'Return parameter (low: walks stay local)', group })
      .option('q', { type: 'number', default: walkDefaults.q, describe: 'In-out parameter (low: walks explore outward)', group })
      .option('negative', { type: 'number', default: SGNS_DEFAULTS.negative, describe: 'Negative samples per pair', group })
      .option('epochs', { type: 'number', default: SGNS_DEFAULTS.epochs, describe: 'Skip-gram passes over the walks', group })
      .option('threads', { type: 'number', describe: 'Threads for walks and training (default: all cores)' })
      .option('seed', { type: 'number', default: SGNS_DEFAULTS.seed, describe: 'Seed of every random choice (one thread: bit-reproducible)' })
      .example('$0 embed-graph -i cora.cites -o cora.vec', 'node2vec vectors of Cora, word2vec text')
      .example('$0 embed-graph -i edges.txt -o edges.bin --format word2vec-bin --p 0.25 --q 4', 'binary output, BFS-like walks'),
  handler: async (argv) => {
    const bars = phaseBars(argv.quiet || argv.json);
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const { summary } = await embedEdgeListFiles({
        files: argv.input,
        out: argv.out,
        format: argv.format,
        directed: argv.directed,
        skipInvalid: argv['skip-invalid'],
        walk: { p: argv.p, q: argv.q, walkLength: argv['walk-length'], walksPerNode: argv.walks },
        sgns: { dim: argv.dim, window: argv.window, negative: argv.negative, epochs: argv.epochs, threads: argv.threads, seed: argv.seed },
        signal: controller.signal,
        onProgress: bars.update,
      });
      bars.stop();
      if (argv.json) return printJson(summary);
      const s = summary.sgns;
      process.stdout.write(
        [
          `vectors:  ${summary.nodes} x ${summary.dim} written to ${summary.out} (${summary.format})`,
          `graph:    ${summary.nodes} nodes, ${summary.arcs} arcs (${summary.directed ? 'directed' : 'undirected'})`,
          `walks:    ${summary.walks} walks, ${summary.tokens} nodes visited`,
          `training: ${Math.round(s.wordsPerSec)} words/s, ${s.pairs} pairs, mean loss ${s.loss.toFixed(4)}`,
          `timings:  ${inline(summary.timings)} (s), total ${summary.totalSeconds.toFixed(3)} s`,
        ].join('\n') + '\n',
      );
    } finally {
      bars.stop();
      process.removeListener('SIGINT', onSigint);
    }
  },
};

/** `graphprof embed-graph`: node2vec on a plain edge list, vectors out in a word2vec format. */
import type { CommandModule } from 'yargs';
import type { EmbedPhase } from '../embed/node2vec.js';
import type { Word2VecFormat } from '../export/word2vec.js';
import { checkOutputs } from '../util/out-path.js';
import { createPhaseProgress } from '../util/progress.js';
import { node2vecOptions, type GlobalArgs, type Node2vecArgs } from './options.js';
import { abortOnSigint } from './signals.js';
import { inline, printJson } from './output.js';

interface Args extends GlobalArgs, Node2vecArgs {
  input: string[];
  out: string;
  format: Word2VecFormat;
  directed: boolean;
  'skip-invalid': boolean;
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'embed-graph',
  describe: 'node2vec on an edge list: walks + skip-gram, vectors written in word2vec text or binary format',
  builder: (y) =>
    node2vecOptions(y)
      .option('input', { alias: 'i', type: 'string', array: true, demandOption: true, describe: 'Edge list file(s): "src dst [weight]" per line; .gz read transparently' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Vector file to write' })
      .option('format', { type: 'string', choices: ['word2vec', 'word2vec-bin'] as const, default: 'word2vec' as const, describe: 'word2vec text, or word2vec binary (gensim load_word2vec_format binary=True)' })
      .option('directed', { type: 'boolean', default: false, describe: 'Keep edges one way' })
      .option('skip-invalid', { type: 'boolean', default: false, describe: 'Skip bad lines and count them instead of stopping' })
      .example('$0 embed-graph -i cora.cites -o cora.vec', 'node2vec vectors of Cora, word2vec text')
      .example('$0 embed-graph -i edges.txt -o edges.bin --format word2vec-bin --p 0.25 --q 4', 'binary output, BFS-like walks'),
  handler: async (argv) => {
    checkOutputs([argv.out], { option: '--out', database: argv.db, inputs: argv.input, overwrite: true });
    const bars = createPhaseProgress({ quiet: argv.quiet || argv.json });
    const sigint = abortOnSigint();
    try {
      const { embedEdgeListFiles } = await import('../embed/node2vec.js');
      const { summary } = await embedEdgeListFiles({
        files: argv.input,
        out: argv.out,
        format: argv.format,
        directed: argv.directed,
        skipInvalid: argv['skip-invalid'],
        walk: { p: argv.p, q: argv.q, walkLength: argv['walk-length'], walksPerNode: argv.walks },
        sgns: { dim: argv.dim, window: argv.window, negative: argv.negative, epochs: argv.epochs, threads: argv.threads, seed: argv.seed },
        signal: sigint.signal,
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
      sigint.dispose();
    }
  },
};

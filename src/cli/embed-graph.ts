/** `graphprof embed-graph`: node2vec on a plain edge list, vectors out in a word2vec format. */
import type { CommandModule } from 'yargs';
import type { Word2VecFormat } from '../export/word2vec.js';
import { graphParamNames } from '../params/index.js';
import { checkOutputs } from '../util/out-path.js';
import { createPhaseProgress } from '../util/progress.js';
import type { GlobalArgs } from './options.js';
import { paramArgs, paramFlags } from './params.js';
import { abortOnSigint } from './signals.js';
import { inline, printJson } from './output.js';
import { counted } from '../util/plural.js';

interface Args extends GlobalArgs {
  out: string;
  format: Word2VecFormat;
}

const names = ['files', 'directed', 'skipInvalid', ...graphParamNames] as const;

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'embed-graph',
  describe: 'node2vec on an edge list: walks + skip-gram, vectors written in word2vec text or binary format',
  builder: (y) =>
    paramFlags(y, names)
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Vector file to write' })
      .option('format', { type: 'string', choices: ['word2vec', 'word2vec-bin'] as const, default: 'word2vec' as const, describe: 'word2vec text, or word2vec binary (gensim load_word2vec_format binary=True)' })
      .example('$0 embed-graph -i cora.cites -o cora.vec', 'node2vec vectors of Cora, word2vec text')
      .example('$0 embed-graph -i edges.txt -o edges.bin --format word2vec-bin --p 0.25 --q 4', 'binary output, BFS-like walks'),
  handler: async (argv) => {
    const g = paramArgs(argv, names);
    checkOutputs([argv.out], { option: '--out', database: argv.db, inputs: g.files ?? [], overwrite: true });
    const bars = createPhaseProgress({ quiet: argv.quiet || argv.json });
    const sigint = abortOnSigint();
    try {
      const { embedEdgeListFiles } = await import('../embed/node2vec.js');
      const { summary } = await embedEdgeListFiles({
        files: g.files ?? [],
        out: argv.out,
        format: argv.format,
        directed: g.directed,
        skipInvalid: g.skipInvalid,
        walk: { p: g.p, q: g.q, walkLength: g.walkLength, walksPerNode: g.walksPerNode },
        sgns: { dim: g.dim, window: g.window, negative: g.negative, epochs: g.epochs, alpha: g.alpha, minAlpha: g.minAlpha, sample: g.sample, minCount: g.minCount, threads: g.threads, seed: g.seed },
        signal: sigint.signal,
        onProgress: bars.update,
      });
      bars.stop();
      if (argv.json) return printJson(summary);
      const s = summary.sgns;
      process.stdout.write(
        [
          `vectors:  ${summary.nodes} x ${summary.dim} written to ${summary.out} (${summary.format})`,
          `graph:    ${counted(summary.nodes, 'node')}, ${counted(summary.arcs, 'arc')} (${summary.directed ? 'directed' : 'undirected'})`,
          `walks:    ${counted(summary.walks, 'walk')}, ${counted(summary.tokens, 'node')} visited`,
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

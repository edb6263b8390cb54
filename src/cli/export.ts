/** `graphprof export`: stream a run's vectors into word2vec, npy, parquet, jsonl, csv or TensorBoard tsv files. */
import type { CommandModule } from 'yargs';
import { exportDefaults, exportFormats, exportKinds, exportTypes, type ExportFormat, type ExportType } from '../export/options.js';
import type { VectorKind } from '../store/runs.js';
import { openDatabase } from '../store/store.js';
import { createProgressBar } from '../util/progress.js';
import type { GlobalArgs } from './options.js';
import { paramFlags, runOf } from './params.js';
import { humanBytes, printJson } from './output.js';
import { abortOnSigint } from './signals.js';

interface Args extends GlobalArgs {
  kind: VectorKind;
  type: ExportType;
  format: ExportFormat;
  out: string;
  force: boolean;
}

const filesHelp = `Files written (PATH = --out); each appears only once complete:
  word2vec, word2vec-bin, parquet, jsonl, csv: PATH
  npy: PATH (float32 array, shape (rows, dim)) and PATH without ".npy" + ".ids.tsv" (id, type, segment per row, same order)
  tsv: PATH/vectors.tsv + PATH/metadata.tsv if PATH is a directory or ends in "/", else PATH.vectors.tsv + PATH.metadata.tsv
Ids: the node id without its "user:"/"product:" prefix for --type user or product; the full key (e.g. "user:U0080") for --type all, so ids stay unique.
Segment: empty / null for nodes without one (products).`;

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'export',
  describe: 'Write a run\'s vectors for other tools: word2vec (text/binary), npy + ids, parquet, jsonl, csv, TensorBoard tsv',
  builder: (y) =>
    paramFlags(y, ['run'])
      .option('kind', { type: 'string', choices: exportKinds, default: exportDefaults.kind, describe: 'Which vectors' })
      .option('type', { type: 'string', choices: exportTypes, default: exportDefaults.type, describe: 'Which nodes' })
      .option('format', { alias: 'f', type: 'string', choices: exportFormats, demandOption: true, describe: 'Output format' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Output file (tsv: directory or prefix; see below)' })
      .option('force', { type: 'boolean', default: false, describe: 'Replace output files that exist already' })
      .example('$0 export --kind fused --type user --format npy --out users.npy', 'users.npy + users.ids.tsv')
      .example('$0 export --kind graph --type product --format word2vec-bin --out products.bin', 'gensim: KeyedVectors.load_word2vec_format("products.bin", binary=True)')
      .example('$0 export --type all --format tsv --out projector/', 'projector/vectors.tsv + projector/metadata.tsv for projector.tensorflow.org')
      .epilog(filesHelp) as never,
  handler: async (argv) => {
    const db = openDatabase(argv.db, { readonly: true });
    const bar = createProgressBar('export', { quiet: argv.quiet });
    const sigint = abortOnSigint();
    try {
      const started = process.hrtime.bigint();
      const { exportVectors } = await import('../export/index.js');
      const r = await exportVectors(
        db,
        { run: runOf(argv), kind: argv.kind, type: argv.type, format: argv.format, out: argv.out, force: argv.force, signal: sigint.signal },
        bar.update,
      );
      bar.stop();
      const seconds = Math.round(Number(process.hrtime.bigint() - started) / 1e6) / 1000;
      if (argv.json) return printJson({ ...r, seconds });
      process.stdout.write(`run ${r.runId}: ${r.rows} ${r.type === 'all' ? '' : r.type + ' '}${r.kind} vectors of ${r.dim} dims as ${r.format} (${seconds} s)\n`);
      for (const f of r.files) process.stdout.write(`  ${f}\n`);
      process.stdout.write(`  ${humanBytes(r.bytes)} in all\n`);
    } finally {
      bar.stop();
      sigint.dispose();
      db.close();
    }
  },
};

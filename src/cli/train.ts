/** `graphprof train`: the main job, from input files to stored profiles and segments. */
import type { CommandModule } from 'yargs';
import { allDefaults, pickParams, profileParamNames, readParamNames, resolveParams, tagParamNames } from '../params/index.js';
import type { GlobalArgs } from './options.js';
import { paramArgs, paramFlags, paramSummary } from './params.js';
import { textStatsLine } from '../text/stats.js';
import { inline, note, printJson, printTable } from './output.js';
import { withJob } from './session.js';
import { counted } from '../util/plural.js';
import type { TrainSummary } from '../jobs/train.js';
import { matchLine, segmentRows, tagLine } from './labels.js';

const names = ['files', ...readParamNames, ...profileParamNames, ...tagParamNames, 'matchBy'] as const;

/** The learned fusion in two lines: its weights, and what validation said. */
function fusionLines(f: TrainSummary['fusion']): string {
  if (!f) return '';
  const weights = Object.entries(f.weights).map(([p, w]) => `${p} ${Math.round((w as number) * 1000) / 1000}`).join(', ');
  const v = f.validation;
  const scored = v?.fused ? ` (validation, ${f.validationUsers} users: Recall@10 ${v.fused.recall.toFixed(4)}, NDCG@10 ${v.fused.ndcg.toFixed(4)})` : '';
  return `fusion: ${weights}${scored}\n` + f.notes.map((n) => `note: ${n}\n`).join('');
}

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'train',
  describe: 'Build the graph, learn graph and text vectors, fuse them, find segments and store one complete run',
  builder: (y) =>
    paramFlags(y, names)
      .example('$0 train -i data/sample/reviews.csv data/sample/products.csv data/sample/users.csv', 'the sample shop')
      .example('$0 train -i data/sample', 'the same: a folder holding the generic layout')
      .example('$0 train -i Musical_instruments_reviews.csv --clusters 8 --json', 'an Amazon CSV export, 8 segments, JSON summary')
      .example('$0 train -i data/sample --tags my-tags.yaml --match-by members', 'own tags; segments keep the previous run\'s ids where their users overlap'),
  handler: async (argv) => {
    const quiet = argv.quiet || argv.json;
    const given = paramArgs(argv, names);
    const profile = pickParams(profileParamNames, given);
    note(quiet, `train: ${paramSummary(resolveParams(profileParamNames, profile, 'train'), profileParamNames, allDefaults(profile, profileParamNames))}`);
    await withJob(argv, { cancellable: true }, async (job) => {
      // Loaded on demand: the pipeline pulls in onnxruntime and the native addon, which queries need not pay for.
      const { runTrain } = await import('../jobs/train.js');
      const summary = await runTrain(job.db, { ...job.inputs(given), ...profile, tags: given.tags, tagThreshold: given.tagThreshold, matchBy: given.matchBy, ...job.hooks });
      job.progress.stop();
      if (argv.json) return printJson(summary);
      process.stdout.write(
        `run ${summary.runId} stored in ${argv.db}: ${counted(summary.users, 'user')}, ${counted(summary.products, 'product')}, ${counted(summary.reviews, 'review')}\n` +
          `text: ${textStatsLine(summary.text.modelId, summary.text)}\n` +
          (summary.silhouettes ? `k by silhouette: ${inline(summary.silhouettes)}\n` : '') +
          fusionLines(summary.fusion) +
          matchLine(summary.match) +
          tagLine(summary.tags) +
          `timings (s): ${inline(summary.timings)}\n\n`,
      );
      printTable(segmentRows(summary.segments));
    });
  },
};

/** `graphprof eval`: leave-last-out Recall@K / NDCG@K of every method — classical baselines, graphprof's parts and its fused profiles. */
import type { CommandModule } from 'yargs';
import type { EvalResult } from '../jobs/evaluate.js';
import { pickParams, profileParamNames, readParamNames } from '../params/index.js';
import type { GlobalArgs } from './options.js';
import { paramArgs, paramFlags } from './params.js';
import { inline, printJson, printTable } from './output.js';
import { withJob } from './session.js';

const names = ['files', ...readParamNames, ...profileParamNames, 'truth', 'textWeights', 'k'] as const;

const d4 = (v: number | undefined): string => (v === undefined ? '' : v.toFixed(4));
const num = (v: number): string => String(Math.round(v * 1000) / 1000);

/** What each row of the table is. */
export function methodNote(r: EvalResult, method: string): string {
  const b = r.baselines;
  const f = r.fusion;
  switch (method) {
    case 'popularity':
      return 'baseline: most reviewed first';
    case 'itemknn':
      return 'baseline: item-item cosine';
    case 'ease':
      return `baseline: EASE^R, λ ${b.ease?.params?.lambda} (validation)`;
    case 'rp3beta':
      return `baseline: RP3β, α ${b.rp3beta?.params?.alpha}, β ${b.rp3beta?.params?.beta} (validation)`;
    case 'graph':
      return 'skip-gram vectors, cosine (kind graph)';
    case 'context':
      return 'user vector · product context vector (skip-gram output)';
    case 'walk':
      return f ? `walk part: RP3β as vectors of ${f.layout.find((s) => s.name === 'walk')?.dim ?? f.walk.dim} dims, α ${f.walk.alpha}, β ${f.walk.beta}, recency τ ${f.walk.recencyDays ?? 'off'}${f.walk.recencyDays ? ' days' : ''}, next-item transitions ${f.walk.sequence ? `weight ${f.walk.sequence}` : 'off'}` : 'walk part';
    case 'text':
      return 'review text vectors, cosine (kind text)';
    case 'fused':
      return f ? `stored profiles (kind fused), weights ${Object.entries(f.weights).map(([p, w]) => `${p} ${num(w as number)}`).join(', ')}` : 'stored profiles (kind fused), fixed text weight';
    default:
      return '';
  }
}

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'eval',
  describe: 'Hold out each user\'s last review, train on the rest, score product rankings of every method (Recall@K, NDCG@K); stores the figures as an eval run',
  builder: (y) =>
    paramFlags(y, names)
      .example('$0 eval -i Musical_instruments_reviews.csv --json', 'the README figures')
      .example('$0 eval -i data/sample/reviews.csv data/sample/products.csv --truth data/sample/ground_truth.csv', 'with segment ARI'),
  handler: async (argv) => {
    const given = paramArgs(argv, names);
    await withJob(argv, { cancellable: true }, async ({ db, progress, inputs, hooks }) => {
      const { runEval } = await import('../jobs/evaluate.js');
      const r = await runEval(db, {
        ...inputs(given),
        ...pickParams(profileParamNames, given),
        truth: given.truth,
        textWeights: given.textWeights,
        k: given.k,
        progress: hooks.progress,
        signal: hooks.signal,
      });
      progress.stop();
      const k = r.k;
      if (argv.json) {
        return printJson({ [`recall@${k}`]: r.recall, [`ndcg@${k}`]: r.ndcg, ...(r.ari !== undefined ? { ari: r.ari } : {}), ...r });
      }
      process.stdout.write(`${r.users} held-out users (${r.heldOutProductsUnseen} of their products unseen in training), k = ${k}\n\n`);
      printTable(r.methods.map((m) => ({ method: m, [`recall@${k}`]: d4(r.recall[m]), [`ndcg@${k}`]: d4(r.ndcg[m]), what: methodNote(r, m) })));
      for (const [name, b] of Object.entries(r.baselines)) if (b.skipped) process.stdout.write(`${name}: ${b.skipped}\n`);
      for (const n of r.fusion?.notes ?? []) process.stdout.write(`note: ${n}\n`);
      if (r.byTextWeight) {
        process.stdout.write('\nfixed graph/text blend by text weight:\n');
        printTable(Object.entries(r.byTextWeight).map(([w, s]) => ({ 'text weight': w, [`recall@${k}`]: d4(s.recall), [`ndcg@${k}`]: d4(s.ndcg) })));
      }
      if (r.ari !== undefined) process.stdout.write(`\nsegments: ${r.segments}, adjusted Rand index vs ground truth: ${r.ari.toFixed(4)}\n`);
      process.stdout.write(`timings (s): ${inline(r.timings)}\n`);
    });
  },
};

/** `graphprof segments`: the segments of a trained run, described. */
import type { CommandModule } from 'yargs';
import { readSegments } from '../store/segments.js';
import type { GlobalArgs } from './options.js';
import { paramFlags } from './params.js';
import { withRun } from './session.js';
import { printJson, printTable } from './output.js';
import { counted } from '../util/plural.js';

interface Args extends GlobalArgs {
  details: boolean;
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'segments',
  describe: 'Show the customer segments of a trained run',
  builder: (y) =>
    paramFlags(y, ['run'])
      .option('details', { type: 'boolean', default: false, describe: 'Also print top products, categories and review snippets' })
      .example('$0 segments', 'table of the newest run\'s segments')
      .example('$0 segments --details', 'with products, categories and snippets'),
  handler: (argv) =>
    withRun(argv, ['train', 'refresh'], (db, run) => {
      const segments = readSegments(db, run.id);
      if (argv.json) return printJson({ runId: run.id, segments });
      process.stdout.write(`run ${run.id}: ${counted(segments.length, 'segment')}\n\n`);
      printTable(segments.map((s) => ({ segment: s.segment, users: s.size, reviews: s.reviews, rating: s.meanRating, 'top category': s.topCategories[0]?.category ?? '', 'distinctive terms': s.terms.slice(0, 6).join(', ') })));
      if (!argv.details) return;
      for (const s of segments) {
        process.stdout.write(`\nsegment ${s.segment} (${counted(s.size, 'user')}): ${s.terms.join(', ')}\n`);
        process.stdout.write(`  products:   ${s.topProducts.map((p) => `${p.title || p.productId} (${p.members})`).join('; ')}\n`);
        if (s.topCategories.length) process.stdout.write(`  categories: ${s.topCategories.map((c) => `${c.category} (${c.members})`).join('; ')}\n`);
        for (const snip of s.snippets) process.stdout.write(`  “${snip}”\n`);
      }
    }),
};

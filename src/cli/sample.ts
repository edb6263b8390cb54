/**
 * `graphprof sample`: writes graphprof's seeded sample shop (planted
 * customer segments) as the generic CSV layout plus its ground truth.
 * --json and --quiet are the global options (see options.ts).
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { MAX_SEGMENTS, planSampleShop, SAMPLE_DEFAULTS, SAMPLE_FILES, SAMPLE_LANGUAGES, writeSampleShop, type SampleLanguage, type SamplePlan } from '../sample/index.js';
import { checkOutputDirectory } from '../util/out-path.js';
import { createProgressBar } from '../util/progress.js';
import type { GlobalArgs } from './options.js';
import { printJson } from './output.js';

export interface SampleArgs {
  users: number;
  seed: number;
  out: string;
  segments: number;
  products: number;
  reviewsPerUser?: number;
  language: SampleLanguage;
}

type Args = GlobalArgs & SampleArgs;

/** Generates the shop, then streams its files (reviews in time order) into argv.out. */
async function generateAndWrite(argv: Args): Promise<{ plan: SamplePlan; files: string[] }> {
  const bar = createProgressBar('sample', { quiet: argv.quiet || argv.json });
  try {
    const plan = planSampleShop(
      {
        users: argv.users,
        seed: argv.seed,
        segments: argv.segments,
        products: argv.products,
        reviewsPerUser: argv.reviewsPerUser ?? null,
        language: argv.language,
      },
      bar.update,
    );
    return { plan, files: await writeSampleShop(plan, argv.out, bar.update) };
  } finally {
    bar.stop();
  }
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'sample',
  describe: 'Write the seeded sample shop (users, products, reviews with planted segments) as CSV files',
  builder: (y) =>
    y
      .option('users', { type: 'number', default: SAMPLE_DEFAULTS.users, describe: 'Number of users' })
      .option('seed', { type: 'number', default: SAMPLE_DEFAULTS.seed, describe: 'PRNG seed; the same seed and options give byte-identical files' })
      .option('out', { type: 'string', demandOption: true, describe: 'Output directory (created if missing)' })
      .option('segments', { type: 'number', default: SAMPLE_DEFAULTS.segments, describe: `Planted segments (1..${MAX_SEGMENTS})` })
      .option('products', { type: 'number', default: SAMPLE_DEFAULTS.products, describe: 'Number of products (Zipf-like popularity within each category)' })
      .option('reviews-per-user', {
        type: 'number',
        describe: 'Mean reviews per user, long-tailed (power law, at least 3 each); default: the original mix, mean about 7.7',
      })
      .option('language', { type: 'string', choices: SAMPLE_LANGUAGES, default: SAMPLE_DEFAULTS.language, describe: 'Language of review texts, titles and categories (zh: Chinese)' })
      .example('$0 sample --users 300 --seed 42 --out data/sample', 'the committed sample')
      .example('$0 sample --language zh --out /tmp/shop-zh', 'the same shop writing in Chinese')
      .example(
        '$0 sample --users 100000 --products 20000 --reviews-per-user 10 --out /tmp/big',
        'a shop of about a million reviews (streamed to disk)',
      ),
  handler: async (argv) => {
    checkOutputDirectory(argv.out, SAMPLE_FILES, { option: '--out', database: argv.db, overwrite: true });
    const { plan: shop, files } = await generateAndWrite(argv);
    const summary = {
      out: path.resolve(argv.out),
      seed: shop.options.seed,
      users: shop.users.length,
      products: shop.products.length,
      reviews: shop.reviewCount,
      categories: shop.categories,
      segments: shop.segments.map((s) => s.id),
      files: files.map((f) => path.basename(f)),
    };
    if (argv.json) return printJson(summary);
    process.stdout.write(
      `wrote ${summary.users} users, ${summary.products} products in ${summary.categories.length} categories, ` +
        `${summary.reviews} reviews (${shop.segments.length} planted segments, seed ${summary.seed}) to ${summary.out}\n` +
        `files: ${summary.files.join(', ')}\n`,
    );
  },
};

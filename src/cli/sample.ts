/**
 * `graphprof sample`: writes graphprof's seeded sample shop (planted
 * customer segments) as the generic CSV layout plus its ground truth.
 * --json and --quiet are the global options (see options.ts).
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { generateSampleShop, MAX_SEGMENTS, SAMPLE_DEFAULTS, SAMPLE_LANGUAGES, writeSampleShop, type SampleLanguage, type SampleShop } from '../sample/index.js';
import { createProgressBar } from '../util/progress.js';
import type { GlobalArgs } from './options.js';
import { printJson } from './output.js';

export interface SampleArgs {
  users: number;
  seed: number;
  out: string;
  segments: number;
  products: number;
  language: SampleLanguage;
}

type Args = GlobalArgs & SampleArgs;

function generate(argv: Args): SampleShop {
  const bar = createProgressBar('sample', { quiet: argv.quiet || argv.json });
  try {
    return generateSampleShop(
      { users: argv.users, seed: argv.seed, segments: argv.segments, products: argv.products, language: argv.language },
      bar.update,
    );
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
      .option('products', { type: 'number', default: SAMPLE_DEFAULTS.products, describe: 'Number of products' })
      .option('language', { type: 'string', choices: SAMPLE_LANGUAGES, default: SAMPLE_DEFAULTS.language, describe: 'Language of review texts, titles and categories (zh: Chinese)' })
      .example('$0 sample --users 300 --seed 42 --out data/sample', 'the committed sample')
      .example('$0 sample --language zh --out /tmp/shop-zh', 'the same shop writing in Chinese'),
  handler: async (argv) => {
    const shop = generate(argv);
    const files = await writeSampleShop(shop, argv.out);
    const summary = {
      out: path.resolve(argv.out),
      seed: shop.options.seed,
      users: shop.users.length,
      products: shop.products.length,
      reviews: shop.reviews.length,
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

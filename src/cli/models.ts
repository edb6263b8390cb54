/**
 * `graphprof models`: the text models graphprof can use.
 *   list            cached models and the built-in default (converted or not)
 *   pull <repo>     download a Hugging Face-layout ONNX model into the cache
 *                   (--base-url / $GRAPHPROF_HUB_URL, --variant, --sha256)
 *   path <name>     print a cached model's directory (converts the default on demand)
 * Integrity and resume rules of `pull` are documented in src/text/hub.ts.
 */
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_HUB_URL } from '../text/hub.js';
import { createProgressBar } from '../util/progress.js';
import type { GlobalArgs } from './options.js';
import { printJson, printTable } from './output.js';

interface PullArgs extends GlobalArgs {
  repo: string;
  'base-url'?: string;
  variant?: string;
  sha256?: string;
}
interface PathArgs extends GlobalArgs {
  name: string;
}

const list: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'list',
  describe: 'List cached text models and the built-in default',
  handler: async (argv) => {
    const entries = await (await import('../text/catalog.js')).listModels();
    if (argv.json) return printJson(entries);
    printTable(entries.map((e) => ({ name: e.name, kind: e.kind, ready: e.present ? 'yes' : 'on first use', 'onnx MB': Math.round(e.onnxBytes / 1e5) / 10, dir: e.dir })));
  },
};

const pull: CommandModule<GlobalArgs, PullArgs> = {
  command: 'pull <repo>',
  describe: 'Download a Hugging Face-layout ONNX model (tokenizer.json, config.json, onnx/model.onnx) into the cache',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('repo', { type: 'string', demandOption: true, describe: 'Hub repository, e.g. Xenova/all-MiniLM-L6-v2' })
      .option('base-url', { type: 'string', describe: `Hub base URL (default: $GRAPHPROF_HUB_URL or ${DEFAULT_HUB_URL})` })
      .option('variant', { type: 'string', describe: 'ONNX variant: "quantized" → onnx/model_quantized.onnx, or a path ending in .onnx' })
      .option('sha256', { type: 'string', describe: 'Expected sha256 of the ONNX file (else the X-Linked-Etag/ETag sha256 is used when the hub sends one)' }) as Argv<PullArgs>,
  handler: async (argv) => {
    const bar = createProgressBar('pull', { quiet: argv.quiet || argv.json });
    try {
      const res = await (await import('../text/hub.js')).pullModel({ repo: argv.repo, baseUrl: argv['base-url'], variant: argv.variant, sha256: argv.sha256, onProgress: bar.update });
      bar.stop();
      if (argv.json) return printJson(res);
      printTable(res.files.map((f) => ({ file: f.file, bytes: f.bytes, sha256: f.sha256, verified: f.verifiedBy })));
      process.stdout.write(`${res.name} → ${res.dir}\n`);
    } finally {
      bar.stop();
    }
  },
};

const pathCmd: CommandModule<GlobalArgs, PathArgs> = {
  command: 'path <name>',
  describe: 'Print the directory of a cached model (use with --text-model)',
  builder: (y: Argv<GlobalArgs>) => y.positional('name', { type: 'string', demandOption: true, describe: 'Model name (use-lite or owner/repo)' }) as Argv<PathArgs>,
  handler: async (argv) => {
    const dir = await (await import('../text/catalog.js')).modelPath(argv.name);
    if (argv.json) return printJson({ name: argv.name, dir });
    process.stdout.write(dir + '\n');
  },
};

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'models',
  describe: 'List, download and locate text models',
  builder: (y) =>
    y
      .command(list)
      .command(pull as unknown as CommandModule<GlobalArgs, GlobalArgs>)
      .command(pathCmd as unknown as CommandModule<GlobalArgs, GlobalArgs>)
      .demandCommand(1, 'models: give an action: list, pull <repo> or path <name>')
      .example('$0 models list', 'cached models and the built-in default')
      .example('$0 models pull Xenova/all-MiniLM-L6-v2', 'download an ONNX sentence encoder (sha256-checked, resumable)')
      .example('$0 train -i reviews.csv --text-model "$($0 models path Xenova/all-MiniLM-L6-v2)"', 'train with it'),
  handler: () => {},
};

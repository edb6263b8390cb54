/** `graphprof tags`: the run's tags, with the share of users having each, overall and per segment. */
import type { CommandModule } from 'yargs';
import { tagTable } from '../query/tags.js';
import type { GlobalArgs } from './options.js';
import { paramFlags } from './params.js';
import { withRun } from './session.js';
import { printJson, printTable } from './output.js';
import { counted } from '../util/plural.js';

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export const command: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'tags',
  describe: 'List the tags of a trained run: users having each tag (score >= its threshold), overall and per segment',
  builder: (y) =>
    paramFlags(y, ['run'])
      .example('$0 tags', 'tag shares of the newest run, per segment')
      .example('$0 tags --json', 'as JSON: per tag its kind, threshold, users, share and per-segment shares'),
  handler: (argv) =>
    withRun(argv, ['train', 'refresh'], (db, run) => {
      const t = tagTable(db, run.id);
      if (argv.json) return printJson(t);
      process.stdout.write(`run ${run.id}: ${counted(t.tags.length, 'tag')}, ${counted(t.users, 'user')}; a user has a tag when its score (z against the shop's typical user) is >= the threshold (default ${t.threshold})\n\n`);
      const ids = t.tags[0]?.segments ?? [];
      printTable(
        t.tags.map((x) => ({
          tag: x.tag,
          kind: x.kind,
          users: x.users,
          share: pct(x.share),
          ...Object.fromEntries(x.segments.map((s) => [`seg ${s.id}`, pct(s.share)])),
        })),
      );
      if (ids.length) process.stdout.write('\n' + ids.map((s) => `seg ${s.id}: ${s.name}`).join('\n') + '\n');
      for (const w of t.warnings) process.stderr.write(`note: ${w}\n`);
    }),
};

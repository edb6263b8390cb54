/** `graphprof profile <user-id>`: a user's segment, nearest users and recommended products. */
import type { CommandModule } from 'yargs';
import { userProfile } from '../query/profile.js';
import type { GlobalArgs } from './options.js';
import { paramFlags, topOf } from './params.js';
import { withRun } from './session.js';
import { printJson, printTable } from './output.js';
import { counted } from '../util/plural.js';

interface Args extends GlobalArgs {
  user: string;
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'profile <user>',
  describe: 'Profile of one user: segment, nearest users, recommended products (never ones already reviewed)',
  builder: (y) =>
    paramFlags(y, ['run', 'top'])
      .positional('user', { type: 'string', demandOption: true, describe: 'User id (as in the input, or pseudonymised)' })
      .example('$0 profile A2IBPI20UZIR0U', 'one Amazon reviewer')
      .example('$0 profile u0001 --k 5 --json', 'as JSON') as never,
  handler: (argv) =>
    withRun(argv, ['train', 'refresh'], (db, run) => {
      const p = userProfile(db, run.id, argv.user, topOf(argv));
      if (argv.json) return printJson({ runId: run.id, ...p });
      const s = p.segment;
      process.stdout.write(`user ${p.userId} (run ${run.id}): ${counted(p.reviewed.length, 'review')}\n`);
      if (s) process.stdout.write(`segment ${s.segment} (${counted(s.size, 'user')}, distance ${p.distance}): ${s.terms.slice(0, 8).join(', ')}\n`);
      process.stdout.write('\nrecommended products:\n');
      printTable(p.recommendations.map((r) => ({ product: r.id, title: r.title, score: r.score })));
      process.stdout.write('\nnearest users:\n');
      printTable(p.nearestUsers.map((u) => ({ user: u.id, score: u.score })));
    }),
};

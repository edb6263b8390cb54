/** `graphprof profile <user-id>`: a user's segment, nearest users and recommended products. */
import type { CommandModule } from 'yargs';
import type { GlobalArgs } from './options.js';
import { paramFlags, topOf } from './params.js';
import { withRun } from './session.js';
import { printJson, printTable } from './output.js';
import { counted } from '../util/plural.js';

interface Args extends GlobalArgs {
  user: string;
  explain: boolean;
}

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'profile <user>',
  describe: 'Profile of one user: segment, nearest users, recommended products (never ones already reviewed)',
  builder: (y) =>
    paramFlags(y, ['run', 'top'])
      .option('explain', { type: 'boolean', default: false, describe: 'Explain every tag: the reviews closest to its phrases and the behaviour facts behind its score' })
      .positional('user', { type: 'string', demandOption: true, describe: 'User id (as in the input, or pseudonymised)' })
      .example('$0 profile A2IBPI20UZIR0U', 'one Amazon reviewer')
      .example('$0 profile u0001 --k 5 --json', 'as JSON')
      .example('$0 profile u0001 --explain', 'why the user has each tag') as never,
  handler: async (argv) => {
    // Imported here, not above: see commands.ts (a command loads only what it runs).
    const [{ userProfile }, { explainTags }] = await Promise.all([import('../query/profile.js'), import('../query/tags.js')]);
    withRun(argv, ['train', 'refresh'], (db, run) => {
      const p = userProfile(db, run.id, argv.user, topOf(argv));
      const explained = argv.explain ? explainTags(db, run.id, p.userId) : undefined;
      if (argv.json) return printJson({ runId: run.id, ...p, ...(explained ? { explanations: explained } : {}) });
      const s = p.segment;
      process.stdout.write(`user ${p.userId} (run ${run.id}): ${counted(p.reviewed.length, 'review')}\n`);
      if (s) process.stdout.write(`segment ${s.id} "${s.name}" (${counted(s.size, 'user')}, distance ${p.distance}): ${s.terms.slice(0, 8).join(', ')}\n`);
      if (p.tags) {
        const has = p.tags.filter((t) => t.has);
        process.stdout.write(`tags: ${has.map((t) => `${t.tag} (${t.score})`).join(', ') || 'none'}${p.sentiment === null ? '' : `; sentiment ${p.sentiment}`}\n`);
      }
      if (explained) {
        // The tags the user has (or, having none, the three closest); --json explains every tag.
        const byScore = [...explained].sort((a, b) => Number(b.has) - Number(a.has) || (b.score ?? -Infinity) - (a.score ?? -Infinity));
        const shown = byScore.some((e) => e.has) ? byScore.filter((e) => e.has) : byScore.slice(0, 3);
        process.stdout.write(`\nwhy (${shown.some((e) => e.has) ? 'the tags the user has' : 'no tag reaches its threshold; the three closest'}; --json explains every tag):\n`);
        for (const e of shown) {
          process.stdout.write(`  ${e.summary}\n`);
          for (const m of e.text?.matches ?? []) process.stdout.write(`    review ${m.id ?? m.review}: "${m.snippet ?? ''}" ~ "${m.phrase}" (cosine ${m.similarity.toFixed(3)}, z ${m.z.toFixed(2)})\n`);
          for (const f of e.behaviour) if (f.fact) process.stdout.write(`    ${f.signal}: ${f.fact}${f.z === null ? '' : ` (z ${f.z.toFixed(2)})`}\n`);
        }
      }
      process.stdout.write('\nrecommended products:\n');
      printTable(p.recommendations.map((r) => ({ product: r.id, title: r.title, score: r.score })));
      process.stdout.write('\nnearest users:\n');
      printTable(p.nearestUsers.map((u) => ({ user: u.id, score: u.score })));
    });
  },
};

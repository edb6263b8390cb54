/** `graphprof segments`: the segments of a trained run, described, with stable ids and names; `--diff RUN`: who joined and left. */
import type { CommandModule } from 'yargs';
import { getRun } from '../store/runs.js';
import { ExitCode, GraphprofError } from '../util/errors.js';
import type { GlobalArgs } from './options.js';
import { paramFlags, topOf } from './params.js';
import { withRun } from './session.js';
import { printJson, printTable } from './output.js';
import { counted } from '../util/plural.js';

interface Args extends GlobalArgs {
  details: boolean;
  diff?: string;
}

const listed = (users: string[], k: number): string => (users.length > k ? `${users.slice(0, k).join(', ')}, ... (${users.length - k} more)` : users.join(', '));

export const command: CommandModule<GlobalArgs, Args> = {
  command: 'segments',
  describe: 'Show the customer segments of a trained run (stable ids and names); --diff RUN lists per segment the users who joined and left since RUN',
  builder: (y) =>
    paramFlags(y, ['run', 'top'])
      .option('details', { type: 'boolean', default: false, describe: 'Also print top products, categories and review snippets' })
      .option('diff', { type: 'string', describe: 'Compare with this earlier run: per stable segment id, the users who joined and left (--k users listed per segment; --json lists all)' })
      .example('$0 segments', 'table of the newest run\'s segments')
      .example('$0 segments --details', 'with products, categories and snippets')
      .example('$0 segments --diff 3', 'who joined and left each segment since run 3') as never,
  handler: async (argv) => {
    const { diffRuns, namedSegments } = await import('../query/segments.js'); // see commands.ts
    withRun(argv, ['train', 'refresh'], (db, run) => {
      if (argv.diff !== undefined) {
        const from = /^\s*\d+\s*$/.test(argv.diff) ? Number(argv.diff) : Number.NaN;
        if (!Number.isSafeInteger(from) || from <= 0) throw new GraphprofError(`--diff ${argv.diff}: expected a run id (see "graphprof runs")`, ExitCode.usage);
        getRun(db, from, ['train', 'refresh']);
        const d = diffRuns(db, from, run.id);
        if (argv.json) return printJson(d);
        process.stdout.write(`segments of run ${run.id} against run ${from}: ${d.moved} users changed segment, ${d.newUsers} new, ${d.goneUsers} gone\n\n`);
        printTable(d.segments.map((s) => ({ id: s.id, name: d.names[s.id] ?? '', before: s.before, after: s.after, stayed: s.stayed, joined: s.joined.length, left: s.left.length })));
        const k = topOf(argv);
        for (const s of d.segments) {
          if (!s.joined.length && !s.left.length) continue;
          process.stdout.write(`\nsegment ${s.id} (${d.names[s.id] ?? ''}):\n`);
          if (s.joined.length) process.stdout.write(`  joined: ${listed(s.joined.map((j) => (j.from === null ? `${j.user} (new)` : `${j.user} (from ${j.from})`)), k)}\n`);
          if (s.left.length) process.stdout.write(`  left:   ${listed(s.left.map((l) => (l.to === null ? `${l.user} (gone)` : `${l.user} (to ${l.to})`)), k)}\n`);
        }
        return;
      }
      const { segments, nextId, matches } = namedSegments(db, run.id);
      if (argv.json) return printJson({ runId: run.id, nextSegmentId: nextId, matches, segments });
      process.stdout.write(`run ${run.id}: ${counted(segments.length, 'segment')}\n\n`);
      printTable(segments.map((s) => ({ id: s.id, name: s.name, users: s.size, reviews: s.reviews, rating: s.meanRating, 'distinctive terms': s.terms.slice(0, 6).join(', ') })));
      const vanished = matches.filter((m) => m.status === 'vanished');
      if (matches.length) {
        const compared = matches[0]!.comparedRunId;
        const created = matches.filter((m) => m.status === 'new');
        process.stdout.write(`\nmatched to run ${compared}: ${matches.filter((m) => m.status === 'matched').length} kept their id` + (created.length ? `; new ${created.map((m) => m.stableId).join(', ')}` : '') + (vanished.length ? `; vanished ${vanished.map((m) => m.stableId).join(', ')}` : '') + '\n');
      }
      if (!argv.details) return;
      for (const s of segments) {
        process.stdout.write(`\nsegment ${s.id} "${s.name}" (${counted(s.size, 'user')}): ${s.terms.join(', ')}\n`);
        process.stdout.write(`  products:   ${s.topProducts.map((p) => `${p.title || p.productId} (${p.members})`).join('; ')}\n`);
        if (s.topCategories.length) process.stdout.write(`  categories: ${s.topCategories.map((c) => `${c.category} (${c.members})`).join('; ')}\n`);
        for (const snip of s.snippets) process.stdout.write(`  “${snip}”\n`);
      }
    });
  },
};

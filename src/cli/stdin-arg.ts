/**
 * `-i -` reads standard input. yargs takes a lone "-" for a positional
 * argument, not for a value of the array option --input, so before parsing a
 * "-" among the values of -i/--input is written as /dev/stdin (which is what
 * ingest reads for it).
 */
import { stdinPath } from '../ingest/pipes.js';

export function stdinInputArgs(args: readonly string[]): string[] {
  let inInput = false;
  return args.map((a) => {
    if (a === '-i' || a === '--input') {
      inInput = true;
      return a;
    }
    if (a === '-' && inInput) return stdinPath;
    if (a.startsWith('-') && a !== '-') inInput = false;
    return a;
  });
}

/** Runs one graphprof command module in-process through yargs with the global options; returns what it printed on stdout. */
import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { vi } from 'vitest';
import { globalOptions } from '../../src/cli/options.js';

export async function runCommand(command: CommandModule<never, never> | unknown, args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    // Throwing from fail stops yargs before the handler, as the real command line does.
    await globalOptions(yargs(args))
      .command(command as never)
      .strict()
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      })
      .parseAsync();
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

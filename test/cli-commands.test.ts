import { describe, expect, it } from 'vitest';
import { commandEntries } from '../src/cli/commands.js';

// commands.ts names and describes every command so that `--help` lists them without importing
// any command module; the modules declare the same, and the two must not drift apart.
describe('the lazily loaded command list', () => {
  it.each(commandEntries.map((e) => [e.command, e] as const))('%s: the module declares the same name and description', async (_name, entry) => {
    const { command } = (await entry.load()) as { command: { command?: unknown; describe?: unknown; handler?: unknown } };
    expect(command.command).toBe(entry.command);
    expect(command.describe).toBe(entry.describe);
    expect(typeof command.handler).toBe('function');
  });
});

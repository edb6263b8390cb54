/**
 * `graphprof sample` through yargs with the global options: writes the same
 * bytes as the library for the same options, prints a JSON summary under
 * --json, and refuses bad options with an OptionError.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './helpers/run-command.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command } from '../src/cli/sample.js';
import { generateSampleShop, SAMPLE_FILES, sampleShopFiles } from '../src/sample/index.js';
import { OptionError } from '../src/util/errors.js';

const run = (args: string[]): Promise<string> => runCommand(command, args);

describe('graphprof sample', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'graphprof-sample-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the library\'s bytes and prints a JSON summary', async () => {
    const out = path.join(dir, 'shop');
    const printed = await run(['sample', '--users', '50', '--seed', '3', '--segments', '4', '--products', '40', '--out', out, '--json']);
    const summary = JSON.parse(printed) as { users: number; products: number; reviews: number; segments: string[]; files: string[] };
    const expected = generateSampleShop({ users: 50, seed: 3, segments: 4, products: 40 });
    expect(summary.users).toBe(50);
    expect(summary.products).toBe(40);
    expect(summary.reviews).toBe(expected.reviews.length);
    expect(summary.segments).toHaveLength(4);
    expect(summary.files).toEqual([...SAMPLE_FILES]);
    const files = sampleShopFiles(expected);
    for (const name of SAMPLE_FILES) expect(await readFile(path.join(out, name), 'utf8')).toBe(files[name]);
  });

  it('prints a readable line without --json', async () => {
    const printed = await run(['sample', '--users', '20', '--out', dir, '--quiet']);
    expect(printed).toMatch(/^wrote 20 users, 120 products in 8 categories, \d+ reviews \(5 planted segments, seed 42\)/);
  });

  it('rejects an impossible segment count', async () => {
    await expect(run(['sample', '--segments', '99', '--out', dir])).rejects.toThrow(OptionError);
  });
});

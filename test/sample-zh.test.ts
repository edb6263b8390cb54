/**
 * `graphprof sample --language zh`: the same planted shop (users, segments,
 * ratings, purchases) writing Chinese; the English default is untouched.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { command } from '../src/cli/sample.js';
import { generateSampleShop, SAMPLE_FILES, sampleShopFiles } from '../src/sample/index.js';
import { OptionError } from '../src/util/errors.js';
import { words } from '../src/text/words.js';
import { runCommand } from './helpers/run-command.js';

describe('sample shop in Chinese', () => {
  const zh = generateSampleShop({ users: 120, seed: 5, language: 'zh' });
  const en = generateSampleShop({ users: 120, seed: 5 });

  it('plants the same shop as in English, only the words differ', () => {
    expect(zh.users).toEqual(en.users);
    expect(zh.segments.map((s) => [s.id, s.meanRating])).toEqual(en.segments.map((s) => [s.id, s.meanRating]));
    expect(zh.reviews.map((r) => [r.reviewId, r.userId, r.productId, r.rating, r.timestamp, r.text === ''])).toEqual(
      en.reviews.map((r) => [r.reviewId, r.userId, r.productId, r.rating, r.timestamp, r.text === '']),
    );
    expect(sampleShopFiles(generateSampleShop({ users: 120, seed: 5, language: 'en' }))).toEqual(sampleShopFiles(en));
  });

  it('writes review texts, titles and categories in Chinese words', () => {
    const texts = zh.reviews.map((x) => x.text).filter((t) => t !== '');
    for (const t of texts) {
      expect(t).toMatch(/\p{scx=Han}/u);
      expect(t).not.toMatch(/ {2}|^\s|\s$/);
    }
    // Over the shop, nearly half the words are Chinese words of two or more characters (most others: particles like 的, 了).
    const ws = texts.flatMap((t) => words(t));
    expect(ws.filter((w) => /^\p{scx=Han}{2,}$/u.test(w)).length / ws.length).toBeGreaterThan(0.4);
    for (const p of zh.products) {
      expect(p.title).toMatch(/\p{scx=Han}/u);
      expect(p.category).toMatch(/^\p{scx=Han}+$/u);
    }
  });

  it('is written by the CLI with --language zh, and rejects other languages', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'graphprof-sample-zh-'));
    try {
      await runCommand(command, ['sample', '--users', '40', '--seed', '9', '--language', 'zh', '--out', dir, '--quiet']);
      const files = sampleShopFiles(generateSampleShop({ users: 40, seed: 9, language: 'zh' }));
      for (const name of SAMPLE_FILES) expect(await readFile(path.join(dir, name), 'utf8')).toBe(files[name]);
      expect(() => generateSampleShop({ language: 'fr' as 'zh' })).toThrow(OptionError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Tag files: YAML and JSON forms, the shorthand list, full definitions, and
 * errors that name file, line and field; the built-in tags are valid.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTag, DEFAULT_TAGS, interestTags, parseTagFile, readTagFile } from '../src/tags/index.js';
import { GraphprofError, InputError } from '../src/util/errors.js';

const YAML_FILE = `# tags for a music shop
price-sensitive: [cheap, value for money, 性价比高]
complaint-prone:
  kind: sentiment
  polarity: negative
  description: writes critical reviews
  phrases:
    - it broke
    - returned it
    - 质量差
  behaviour: [low-ratings, {signal: -rating-mean, weight: 0.5}]
  threshold: 2
collector:
  kind: activity
  behavior: review-count
  text-weight: 0
`;

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('tag files', () => {
  it('reads the shorthand and full forms of YAML', () => {
    const tags = parseTagFile(YAML_FILE, 'shop-tags.yaml');
    expect(tags.map((t) => t.name)).toEqual(['price-sensitive', 'complaint-prone', 'collector']);
    expect(tags[0]).toMatchObject({ kind: 'trait', phrases: ['cheap', 'value for money', '性价比高'], behaviour: [], textWeight: 1 });
    expect(tags[1]).toMatchObject({
      kind: 'sentiment',
      polarity: 'negative',
      phrases: ['it broke', 'returned it', '质量差'],
      behaviour: [
        { signal: 'low-ratings', sign: 1, weight: 1 },
        { signal: 'rating-mean', sign: -1, weight: 0.5 },
      ],
      threshold: 2,
    });
    expect(tags[2]).toMatchObject({ kind: 'activity', phrases: [], behaviour: [{ signal: 'review-count', sign: 1 }], textWeight: 0 });
  });

  it('reads the same tags from JSON', () => {
    const json = JSON.stringify({
      'price-sensitive': ['cheap', 'value for money', '性价比高'],
      'complaint-prone': { kind: 'sentiment', polarity: 'negative', description: 'writes critical reviews', phrases: ['it broke', 'returned it', '质量差'], behaviour: ['low-ratings', { signal: '-rating-mean', weight: 0.5 }], threshold: 2 },
      collector: { kind: 'activity', behavior: 'review-count', 'text-weight': 0 },
    }, null, 2);
    expect(parseTagFile(json, 'tags.json')).toEqual(parseTagFile(YAML_FILE, 'shop-tags.yaml'));
  });

  it('names file, line and field of a bad value', () => {
    const bad = YAML_FILE.replace('    - returned it', '    - 42');
    const e = errorOf(() => parseTagFile(bad, 'shop-tags.yaml'));
    expect(e.message).toBe('shop-tags.yaml:9: field "complaint-prone.phrases[1]": 42 is not text; put it in quotes');

    const unknownSignal = errorOf(() => parseTagFile(YAML_FILE.replace('{signal: -rating-mean', '{signal: -rating-avg'), 'shop-tags.yaml'));
    expect(unknownSignal.line).toBe(11);
    expect(unknownSignal.field).toBe('complaint-prone.behaviour[1]');
    expect(unknownSignal.reason).toMatch(/unknown signal "rating-avg"; expected one of rating-mean, rating-deviation/);

    const typo = errorOf(() => parseTagFile(YAML_FILE.replace('  threshold: 2', '  treshold: 2'), 'shop-tags.yaml'));
    expect([typo.line, typo.field]).toEqual([12, 'complaint-prone.treshold']);

    const kind = errorOf(() => parseTagFile(YAML_FILE.replace('kind: activity', 'kind: hobby'), 'shop-tags.yaml'));
    expect([kind.line, kind.field]).toEqual([14, 'collector.kind']);

    const empty = errorOf(() => parseTagFile('quiet:\n  kind: trait\n', 'x.yaml'));
    expect([empty.line, empty.field]).toEqual([2, 'quiet']);
    expect(empty.reason).toMatch(/needs describing phrases .* or a behaviour hook/);

    const twice = errorOf(() => parseTagFile('a: [cheap, cheap]\n', 'x.yaml'));
    expect(twice.message).toBe('x.yaml:1: field "a.phrases[1]": "cheap" is listed twice');

    const dup = errorOf(() => parseTagFile('a: [cheap]\nb: [x]\na: [y]\n', 'x.yaml'));
    expect(dup.message).toBe('x.yaml:3: field "a": given twice (first on line 1)');
    const dupKey = errorOf(() => parseTagFile('a:\n  phrases: [x]\n  phrases: [y]\n', 'x.yaml'));
    expect(dupKey.message).toBe('x.yaml:3: field "a.phrases": given twice (first on line 2)');
    expect(errorOf(() => parseTagFile('a: [x\n', 'x.yaml')).field).toBe('(syntax)');

    const name = errorOf(() => parseTagFile('"bad name!": [x]\n', 'x.yaml'));
    expect(name.reason).toMatch(/tag name "bad name!" must start with a letter or digit/);

    expect(errorOf(() => parseTagFile('- cheap\n- value\n', 'x.yaml')).reason).toMatch(/expected a mapping of tag names/);
    expect(errorOf(() => parseTagFile('{"a": [cheap]}', 'x.json')).line).toBe(1);
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'graphprof-tags-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file from disk and says when it cannot', async () => {
    const file = path.join(dir, 'tags.yml');
    writeFileSync(file, YAML_FILE);
    expect((await readTagFile(file)).length).toBe(3);
    await expect(readTagFile(path.join(dir, 'missing.yaml'))).rejects.toThrow(GraphprofError);
    await expect(readTagFile(path.join(dir, 'missing.yaml'))).rejects.toThrow(/readTagFile: cannot read .*missing\.yaml/);
  });

  it('has valid built-in tags in English and Chinese, and interest tags per category', () => {
    expect(DEFAULT_TAGS.map((t) => t.name)).toEqual(expect.arrayContaining(['price-sensitive', 'quality-focused', 'gift-buyer', 'early-adopter', 'brand-loyal', 'complaint-prone', 'positive', 'negative']));
    for (const t of DEFAULT_TAGS) {
      expect(checkTag(t)).toBeNull();
      if (t.phrases.length) expect(t.phrases.some((p) => /\p{Script=Han}/u.test(p))).toBe(true);
    }
    const interests = interestTags(['Headphones & Audio', 'Headphones / Audio', '乐器']);
    expect(interests.map((t) => t.name)).toEqual(['interest:headphones-audio', 'interest:headphones-audio-2', 'interest:乐器']);
    expect(interests[2]!.behaviour).toEqual([{ signal: 'category:乐器', sign: 1, weight: 1 }]);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, readInputs, RowErrorKind, type EdgeListData, type ReadOptions, type ShopData } from '../src/ingest/index.js';
import { CsvAssembler } from '../src/ingest/csv.js';
import { readLines } from '../src/ingest/lines.js';
import { reviewKeyDigest } from '../src/ingest/shop.js';
import { reviewRecords } from '../src/ingest/table.js';
import { InputError, OptionError } from '../src/util/errors.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(repo, '../shared/data');
const fixtures = resolve(repo, 'test/fixtures/ingest');
const fx = (name: string): string => join(fixtures, name);
const musical = join(shared, 'amazon-musical-instruments/Musical_instruments_reviews.csv');
const beauty = join(shared, 'amazon-all-beauty/All_Beauty_5.json.gz');
const cora = join(shared, 'cora/cora.cites');

const tmp = mkdtempSync(join(tmpdir(), 'graphprof-ingest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function shop(files: string[], opts?: ReadOptions): Promise<ShopData> {
  const data = await readInputs(files, opts);
  if (data.kind !== 'shop') throw new Error(`expected shop data, got ${data.kind}`);
  return data;
}

async function inputError(files: string[], opts?: ReadOptions): Promise<InputError> {
  try {
    await readInputs(files, opts);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`no InputError reading ${files.join(', ')}`);
}

describe('real data', () => {
  it('reads the Musical Instruments CSV: 10,261 reviews, 1,429 users, 900 products', async () => {
    expect(await detectFormat(musical)).toBe('amazon-csv');
    const data = await shop([musical]);
    expect(reviewRecords(data.reviews).length).toBe(10_261);
    expect(data.users.size).toBe(1_429);
    expect(data.products.size).toBe(900);
    expect(data.counts).toEqual({ rowsRead: 10_261, skipped: {}, duplicatesExact: 0, duplicatesRepeated: 0, emptyText: 7 });
    const first = reviewRecords(data.reviews)[0];
    expect(first).toMatchObject({ userId: 'A2IBPI20UZIR0U', productId: '1384719342', rating: 5, summary: 'good', timestamp: 1393545600, helpfulVotes: 0 });
    expect(first.source.line).toBe(2);
    expect(reviewRecords(data.reviews)[10_260].source.line).toBe(10_262);
    expect(new Set(reviewRecords(data.reviews).map((r) => r.reviewId)).size).toBe(10_261);
    // Personal fields are never kept.
    expect(JSON.stringify(reviewRecords(data.reviews).slice(0, 50))).not.toContain('cassandra tu');
    const ratings = new Map<number | null, number>();
    for (const r of reviewRecords(data.reviews)) ratings.set(r.rating, (ratings.get(r.rating) ?? 0) + 1);
    expect(Object.fromEntries(ratings)).toEqual({ 5: 6_938, 4: 2_084, 3: 772, 2: 250, 1: 217 });
  });

  it('splits the Musical Instruments CSV exactly as csv-parse does', async () => {
    const reference = parseCsvSync(readFileSync(musical), { bom: true }) as string[][];
    const ours: string[][] = [];
    const assembler = new CsvAssembler(
      (rec) => ours.push(rec.fields),
      (err) => {
        throw err;
      },
    );
    await readLines(musical, (text, line, cr, bad) => assembler.push(text, line, cr, bad));
    assembler.end();
    expect(ours.length).toBe(reference.length);
    expect(ours).toEqual(reference);
  });

  it('reads All Beauty (2018 JSON, gzip) and drops its duplicates by the documented definitions', async () => {
    expect(await detectFormat(beauty)).toBe('amazon-json');
    const data = await shop([beauty]);
    const { counts } = data;
    expect(counts.rowsRead).toBe(5_269);
    // PROVENANCE: 1,053 rows repeat an earlier (reviewerID, asin, unixReviewTime, reviewText).
    expect(counts.duplicatesExact + counts.duplicatesRepeated).toBe(1_053);
    expect(reviewRecords(data.reviews).length).toBe(5_269 - 1_053);
    // exact = byte-identical lines, counted here independently of the reader.
    const lines = gunzipSync(readFileSync(beauty)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
    expect(counts.duplicatesExact).toBe(lines.length - new Set(lines).size);
    expect(counts.duplicatesRepeated).toBeGreaterThan(0);
    const keys = reviewRecords(data.reviews).map((r) => reviewKeyDigest(r.userId, r.productId, r.timestamp, r.text));
    expect(new Set(keys).size).toBe(reviewRecords(data.reviews).length);
    expect(new Set(reviewRecords(data.reviews).map((r) => r.reviewId)).size).toBe(reviewRecords(data.reviews).length);
    expect(data.users.size).toBe(991);
    expect(data.products.size).toBe(85);
    // 2018 fields: verified flag, vote with thousands separators.
    expect(reviewRecords(data.reviews)[0].verified).toBe(true);
    expect(Math.max(...reviewRecords(data.reviews).map((r) => r.helpfulVotes ?? 0))).toBe(1_341);
    expect(counts.emptyText).toBeGreaterThan(0);
    expect(reviewRecords(data.reviews).every((r) => typeof r.text === 'string')).toBe(true);
  });

  it('reads Cora citations as an edge list: 5,429 edges over 2,708 ids', async () => {
    expect(await detectFormat(cora)).toBe('edgelist');
    const data = (await readInputs([cora])) as EdgeListData;
    expect(data.kind).toBe('edgelist');
    expect(data.counts.rowsRead).toBe(5_429);
    expect(data.edges.length).toBe(5_429);
    const ids = new Set<string>();
    for (const e of data.edges) ids.add(e.src).add(e.dst);
    expect(ids.size).toBe(2_708);
    expect(data.edges[0]).toEqual({ src: '35', dst: '1033', weight: 1 });
  });
});

describe('bad input', () => {
  const cases: { name: string; file: () => string; line: number; field: string; kind: string; kept: number }[] = [
    { name: 'broken JSON', file: () => fx('broken-json.json'), line: 3, field: '(json)', kind: RowErrorKind.brokenJson, kept: 3 },
    { name: 'missing user id', file: () => fx('missing-user.json'), line: 3, field: 'reviewerID', kind: RowErrorKind.missingUser, kept: 2 },
    { name: 'missing product id', file: () => fx('missing-product.csv'), line: 4, field: 'product_id', kind: RowErrorKind.missingProduct, kept: 3 },
    { name: 'rating not numeric', file: () => fx('rating-not-numeric.csv'), line: 3, field: 'overall', kind: RowErrorKind.ratingNotNumber, kept: 2 },
    { name: 'invalid UTF-8', file: () => invalidUtf8File(), line: 3, field: 'reviewText', kind: RowErrorKind.invalidUtf8, kept: 2 },
    { name: 'invalid UTF-8 in CSV', file: () => invalidUtf8Csv(), line: 3, field: 'text', kind: RowErrorKind.invalidUtf8, kept: 2 },
  ];
  for (const c of cases) {
    it(`${c.name}: error names file, line and field; skipInvalid counts it`, async () => {
      const file = c.file();
      const err = await inputError([file]);
      expect(err.file).toBe(file);
      expect(err.line).toBe(c.line);
      expect(err.field).toBe(c.field);
      expect(err.message).toContain(`${file}:${c.line}:`);
      expect(err.message).toContain(`"${c.field}"`);
      expect(err.message).toContain(c.kind);
      const data = await shop([file], { skipInvalid: true });
      expect(data.counts.skipped).toEqual({ [c.kind]: 1 });
      expect(reviewRecords(data.reviews).length).toBe(c.kept);
    });
  }

  it('rating out of range: 7 and 0 are outside Amazon [1, 5]; a wider range accepts them', async () => {
    const file = fx('rating-out-of-range.json');
    const err = await inputError([file]);
    expect([err.line, err.field]).toEqual([2, 'overall']);
    expect(err.message).toMatch(/rating out of range: 7 is not in \[1, 5\]/);
    const data = await shop([file], { skipInvalid: true });
    expect(data.counts.skipped).toEqual({ [RowErrorKind.ratingOutOfRange]: 2 });
    expect(reviewRecords(data.reviews).map((r) => r.userId)).toEqual(['U1', 'U4']);
    expect((await shop([file], { ratingRange: [0, 10] })).reviews.count).toBe(4);
  });

  it('wrong field count: names the physical line where the bad record starts, after a quoted newline', async () => {
    const file = fx('wrong-field-count.csv');
    const err = await inputError([file]);
    expect([err.line, err.field]).toEqual([4, '(row)']);
    expect(err.message).toMatch(/expected 5 fields as in the header, got 6/);
    const data = await shop([file], { skipInvalid: true });
    expect(data.counts.skipped).toEqual({ [RowErrorKind.fieldCount]: 2 });
    expect(reviewRecords(data.reviews).map((r) => [r.userId, r.source.line])).toEqual([
      ['u1', 2],
      ['u3', 5],
    ]);
    expect(reviewRecords(data.reviews)[0].text).toBe('multi\nline text');
  });

  it('skips several kinds in one file and counts each', async () => {
    const file = join(tmp, 'mixed.csv');
    writeFileSync(file, 'user_id,product_id,rating,text,timestamp\n,p1,5,a,1\nu2,p1,x,b,2\nu3,p1,9,c,3\nu4,p1,4,d,yesterday\nu5,p1,4\nu6,p1,4,"open,5\n');
    const data = await shop([file], { skipInvalid: true });
    expect(reviewRecords(data.reviews)).toEqual([]);
    expect(data.counts.rowsRead).toBe(6);
    expect(data.counts.skipped).toEqual({
      [RowErrorKind.missingUser]: 1,
      [RowErrorKind.ratingNotNumber]: 1,
      [RowErrorKind.ratingOutOfRange]: 1,
      [RowErrorKind.badTimestamp]: 1,
      [RowErrorKind.fieldCount]: 1,
      [RowErrorKind.malformedCsv]: 1,
    });
  });

  it('a quote inside an unquoted CSV field is malformed CSV, named by its column', async () => {
    const file = join(tmp, 'inch.csv');
    writeFileSync(file, 'user_id,product_id,rating,text\nu1,p1,5,"fine"\nu2,p1,4,a 5" speaker\n');
    const err = await inputError([file]);
    expect([err.line, err.field]).toEqual([3, 'text']);
    expect(err.message).toContain('quote inside an unquoted field');
  });

  it('bad edge list rows: weight and field count', async () => {
    const file = fx('bad-edges.txt');
    const err = await inputError([file]);
    expect([err.line, err.field]).toEqual([2, 'weight']);
    const data = (await readInputs([file], { skipInvalid: true })) as EdgeListData;
    expect(data.edges.map((e) => `${e.src}-${e.dst}`)).toEqual(['1-2', '4-1']);
    expect(data.counts.skipped).toEqual({ [RowErrorKind.badWeight]: 1, [RowErrorKind.fieldCount]: 1 });
  });

  it('a duplicate input review_id is an error, a repeated row with the same id is a duplicate', async () => {
    const file = join(tmp, 'ids.csv');
    writeFileSync(file, 'review_id,user_id,product_id,rating,text,timestamp\nr1,u1,p1,5,a,1\nr1,u1,p1,5,a,1\nr1,u2,p1,5,b,2\n');
    const err = await inputError([file]);
    expect([err.line, err.field]).toEqual([4, 'review_id']);
    const data = await shop([file], { skipInvalid: true });
    expect(reviewRecords(data.reviews).map((r) => r.reviewId)).toEqual(['r1']);
    expect(data.counts.duplicatesExact).toBe(1);
    expect(data.counts.skipped).toEqual({ [RowErrorKind.duplicateReviewId]: 1 });
  });
});

describe('line reading', () => {
  it('keeps multi-byte characters and line numbers intact across tiny read blocks', async () => {
    const lines = ['naïve café', '', 'ü€𝄞 end', 'x'.repeat(40), '\ufeffnot a BOM here', 'last without newline'];
    const file = join(tmp, 'blocks.txt');
    writeFileSync(file, '\ufeff' + lines.map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join('').replace(/\r?\n$/, ''));
    for (const block of [1, 3, 7, 64]) {
      const got: [string, number, boolean][] = [];
      await readLines(file, (text, line, cr, bad) => void got.push([text, line, bad || cr]), { blockBytes: block });
      expect(got.map((g) => g[0])).toEqual(lines);
      expect(got.map((g) => g[1])).toEqual([1, 2, 3, 4, 5, 6]);
      expect(got.map((g) => g[2])).toEqual([false, true, false, true, false, false]);
    }
  });

  it('flags exactly the lines with bad bytes, whatever the block size', async () => {
    const file = join(tmp, 'bad-bytes.txt');
    writeFileSync(file, Buffer.concat([Buffer.from('ok é\n'), Buffer.from([0x61, 0xc3, 0x0a]), Buffer.from('fine €\n'), Buffer.from([0xe2, 0x82]), Buffer.from('\n')]));
    for (const block of [1, 2, 5, 1024]) {
      const bad: number[] = [];
      await readLines(file, (_t, line, _cr, b) => void (b && bad.push(line)), { blockBytes: block });
      expect(bad).toEqual([2, 4]);
    }
  });
});

describe('generic layout and options', () => {
  const map = { user_id: 'reviewer', product_id: 'item', rating: 'stars', text: 'body', timestamp: 'when' };

  it('maps columns, keeps quoted CRLF newlines and doubled quotes, reads ISO and unix times', async () => {
    const file = fx('mapped-reviews.csv');
    expect(await detectFormat(file, { map })).toBe('csv');
    const data = await shop([file], { map });
    expect(reviewRecords(data.reviews).map((r) => [r.reviewId, r.userId, r.productId, r.rating, r.timestamp, r.source.line])).toEqual([
      ['r1', 'u1', 'p1', 5, 1614816000, 2],
      ['r2', 'u2', 'p1', 4, 1614816000, 4],
      ['r3', 'u1', 'p2', null, 1614938400, 6],
      ['r4', 'u3', 'p2', 3, 1614940200, 7],
    ]);
    expect(reviewRecords(data.reviews)[0].text).toBe('first line\r\nsecond line, with comma');
    expect(reviewRecords(data.reviews)[1].text).toBe('she said "wow"');
    expect(data.counts.emptyText).toBe(1);
    // Without the mapping "item" is no name a product id is known by (reviewer, stars and body are).
    await expect(readInputs([file])).rejects.toThrow(/field "product_id": missing column/);
  });

  it('a mapped column missing from the header is named in the error', async () => {
    const err = await inputError([fx('mapped-reviews.csv')], { map: { ...map, product_id: 'sku' } });
    expect([err.line, err.field]).toEqual([1, 'sku']);
  });

  it('reads .gz transparently: same records as the plain file', async () => {
    const plain = fx('mapped-reviews.csv');
    const gz = join(tmp, 'mapped-reviews.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    const a = await shop([plain], { map });
    const b = await shop([gz], { map });
    const strip = (d: ShopData) => reviewRecords(d.reviews).map(({ source, ...r }) => ({ ...r, line: source.line }));
    expect(strip(b)).toEqual(strip(a));
    // a .gz whose name does not say so is still recognised by its bytes
    const hidden = join(tmp, 'reviews-gz-without-suffix.csv');
    writeFileSync(hidden, gzipSync(readFileSync(plain)));
    expect(strip(await shop([hidden], { map }))).toEqual(strip(a));
  });

  it('joins reviews.csv, users.csv (personal columns dropped), products.csv and Amazon metadata', async () => {
    const data = await shop([fx('reviews.csv'), fx('users.csv'), fx('products.csv'), fx('meta.json')]);
    expect(await detectFormat(fx('meta.json'))).toBe('amazon-meta');
    expect(reviewRecords(data.reviews).length).toBe(3);
    expect(reviewRecords(data.reviews)[1].timestamp).toBe(Date.UTC(2017, 6, 14) / 1000);
    expect(data.users.get('U1')).toEqual({ userId: 'U1', attributes: { segment: 'gold', country: 'DE' } });
    expect(data.users.get('U7')?.attributes).toEqual({ segment: 'bronze', country: 'IT' });
    expect(JSON.stringify([...data.users.values()])).not.toMatch(/Ann|example\.org/);
    expect(data.products.get('P1')).toEqual({
      productId: 'P1',
      title: 'Guitar strings',
      categories: ['Musical Instruments', 'Guitars', 'Accessories'],
      brand: 'Acme',
      price: 5.99,
    });
    expect(data.products.get('P2')).toMatchObject({ categories: ['Musical Instruments', 'Capos'], price: 1299.5 });
    expect(data.products.get('P3')?.categories).toEqual(['Percussion', 'Accessories']);
    expect([...data.products.keys()]).toEqual(['P1', 'P2', 'P3', 'P9']);
    expect(data.counts.rowsRead).toBe(3 + 3 + 1 + 3);
  });

  it('reads 2014 metadata written as Python literals, and reports a broken one', async () => {
    const file = fx('meta-2014.json');
    expect(await detectFormat(file)).toBe('amazon-meta');
    const err = await inputError([file]);
    expect([err.line, err.field]).toEqual([3, '(json)']);
    const data = await shop([file], { skipInvalid: true });
    expect(data.counts.skipped).toEqual({ [RowErrorKind.brokenJson]: 1 });
    expect(data.products.get('P1')).toEqual({
      productId: 'P1',
      title: "Fender's \u00e9lite strings",
      categories: ['Musical Instruments', 'Instrument Accessories', 'Guitars'],
      brand: 'Fender',
      price: 5.99,
    });
    expect(data.products.get('P2')).toEqual({ productId: 'P2', title: '', categories: [], brand: '', price: null });
  });

  it('pseudonymizes every user id as read, in reviews and users.csv', async () => {
    const data = await shop([fx('reviews.csv'), fx('users.csv')], { pseudonymize: (u) => `x-${u.toLowerCase()}` });
    expect(reviewRecords(data.reviews).map((r) => r.userId)).toEqual(['x-u1', 'x-u2', 'x-u1']);
    expect([...data.users.keys()].sort()).toEqual(['x-u1', 'x-u2', 'x-u7']);
  });

  it('reads edge lists with comments, commas, tabs and weights', async () => {
    const data = (await readInputs([fx('edges.txt')])) as EdgeListData;
    expect(data.edges).toEqual([
      { src: '1', dst: '2', weight: 1 },
      { src: '2', dst: '3', weight: 0.5 },
      { src: '3', dst: '1', weight: 2 },
    ]);
  });

  it('refuses to mix edge lists with shop files, and checks options', async () => {
    await expect(readInputs([fx('edges.txt'), fx('reviews.csv')])).rejects.toThrow(OptionError);
    await expect(readInputs([])).rejects.toThrow(OptionError);
    await expect(readInputs([fx('reviews.csv')], { map: { userid: 'x' } })).rejects.toThrow(/map\.userid/);
    await expect(readInputs([fx('reviews.csv')], { ratingRange: [5, 1] })).rejects.toThrow(/ratingRange/);
    await expect(readInputs([join(tmp, 'does-not-exist.csv')])).rejects.toThrow(InputError);
  });

  it('honours a format override and reports byte progress up to the total', async () => {
    const seen: [number, number][] = [];
    const data = await readInputs([fx('edges.txt')], { format: 'edgelist', onProgress: (d, t) => seen.push([d, t]) });
    expect(data.kind).toBe('edgelist');
    const size = readFileSync(fx('edges.txt')).length;
    expect(seen.at(-1)).toEqual([size, size]);
  });
});

/** Line 3 carries a Latin-1 byte (0xE9) inside reviewText: not UTF-8. */
function invalidUtf8File(): string {
  const file = join(tmp, 'invalid-utf8.json');
  const good = (u: string, t: string) => Buffer.from(`{"reviewerID": "${u}", "asin": "P1", "overall": 5.0, "reviewText": "${t}", "unixReviewTime": 1400000000}\n`);
  writeFileSync(file, Buffer.concat([good('U1', 'caf\u00e9 ok'), good('U2', 'fine'), Buffer.from('{"reviewerID": "U3", "asin": "P1", "overall": 5.0, "reviewText": "caf'), Buffer.from([0xe9]), Buffer.from('", "unixReviewTime": 1400000000}\n')]));
  return file;
}

function invalidUtf8Csv(): string {
  const file = join(tmp, 'invalid-utf8.csv');
  writeFileSync(file, Buffer.concat([Buffer.from('user_id,product_id,rating,text,timestamp\nu1,p1,5,ok,1\nu2,p1,4,"bad '), Buffer.from([0xff, 0xfe]), Buffer.from(' bytes",2\nu3,p1,3,fine,3\n')]));
  return file;
}

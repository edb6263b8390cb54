/**
 * Column mapping that cannot silently lose data: common names are recognised
 * and reported, absent fields are said with what they mean, --map wins, a
 * folder reads the generic layout inside it, and refresh reads new files with
 * the mapping of the run it extends.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeColumns, readInputs, type ColumnReport, type ShopData } from '../src/ingest/index.js';
import { reviewRecords } from '../src/ingest/table.js';
import { runEval } from '../src/jobs/evaluate.js';
import { runRefresh } from '../src/jobs/refresh.js';
import { buildReport } from '../src/report/index.js';
import { runTrain } from '../src/jobs/train.js';
import { getRun } from '../src/store/runs.js';
import { openDatabase } from '../src/store/store.js';
import { InputError } from '../src/util/errors.js';
import { repoRoot } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'graphprof-columns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

// A Yelp-style export: business_id, stars and date instead of product_id, rating and timestamp.
const yelp = write(
  'yelp.csv',
  'review_id,user_id,business_id,stars,useful,text,date\n' +
    'r1,u1,b1,5,0,great place,2018-07-07 22:09:11\n' +
    'r2,u2,b1,3,1,ok place,2019-01-02T10:00:00Z\n' +
    'r3,u1,b2,4,0,nice,2017-05-05\n',
);

async function read(files: string[], map?: Record<string, string>): Promise<{ data: ShopData; reports: ColumnReport[] }> {
  const reports: ColumnReport[] = [];
  const data = (await readInputs(files, { map, onColumns: (r) => reports.push(r) })) as ShopData;
  return { data, reports };
}

describe('column mapping', () => {
  it('recognises stars and date beside a --map of product_id alone, and keeps every rating and time', async () => {
    const { data, reports } = await read([yelp], { product_id: 'business_id' });
    expect(reviewRecords(data.reviews).map((r) => [r.productId, r.rating, r.timestamp])).toEqual([
      ['b1', 5, 1531001351],
      ['b1', 3, 1546423200],
      ['b2', 4, 1493942400],
    ]);
    expect(reports).toHaveLength(1);
    expect(reports[0].fields).toMatchObject({
      product_id: { column: 'business_id', source: 'mapped' },
      rating: { column: 'stars', source: 'synonym' },
      timestamp: { column: 'date', source: 'synonym' },
      user_id: { column: 'user_id', source: 'named' },
      summary: { column: null, source: null },
    });
    expect(describeColumns(reports[0])[0]).toBe(`${yelp} (reviews): review_id, user_id, product_id <- business_id (--map), rating <- stars (recognised), text, timestamp <- date (recognised); absent: summary`);
    // business_id is itself a recognised name: the same without any mapping.
    expect(reviewRecords((await read([yelp])).data.reviews).map((r) => r.productId)).toEqual(['b1', 'b1', 'b2']);
  });

  it('a --map wins over a synonym, and matching ignores case and separators', async () => {
    const file = write('two-ratings.csv', 'User ID,Product-ID,stars,My Rating,Created At\nu1,p1,1,5,2020-01-01\n');
    const { data, reports } = await read([file], { rating: 'My Rating' });
    expect(reviewRecords(data.reviews)[0]).toMatchObject({ userId: 'u1', productId: 'p1', rating: 5, timestamp: 1577836800 });
    expect(reports[0].fields.rating).toEqual({ column: 'My Rating', source: 'mapped' });
    expect(reports[0].fields.user_id).toEqual({ column: 'User ID', source: 'synonym' });
  });

  it('says what an absent field means: no time, no rating, no text', async () => {
    const file = write('bare.csv', 'user_id,product_id\nu1,p1\nu2,p1\n');
    const { reports } = await read([file]);
    const lines = describeColumns(reports[0]);
    expect(lines[0]).toContain('absent: review_id, rating, text, summary, timestamp');
    expect(lines).toContain("  no timestamp column: no review times: eval holds out each user's last review in file order, not the newest");
    expect(lines).toContain('  no rating column: reviews are unrated: segments show no mean rating');
    expect(lines).toContain('  no text column: no review text: profiles come from the graph alone');
  });

  it('a folder reads the generic layout inside it; a folder without reviews.csv says so', async () => {
    const { data, reports } = await read([join(repoRoot, 'data', 'sample')]);
    expect(data.files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(['reviews.csv', 'products.csv', 'users.csv']);
    expect(reports.map((r) => r.role)).toEqual(['reviews', 'products', 'users']);
    expect(reviewRecords(data.reviews).length).toBe(2269);
    const empty = join(dir, 'empty-folder');
    mkdirSync(empty);
    await expect(readInputs([empty])).rejects.toBeInstanceOf(InputError);
    await expect(readInputs([empty])).rejects.toThrow(/no reviews\.csv \(or reviews\.csv\.gz\) in this folder/);
  });

  it('refresh reads new files with the mapping stored in the run it extends', async () => {
    const header = 'reviewer,item,grade,body,when\n';
    const rows = (from: number, to: number): string =>
      Array.from({ length: to - from }, (_, i) => `u${(from + i) % 7},p${(from + i) % 5},${1 + ((from + i) % 5)},review ${from + i},${1_600_000_000 + (from + i) * 3600}\n`).join('');
    const first = write('day1.csv', header + rows(0, 40));
    const second = write('day2.csv', header + rows(40, 48));
    const map = { product_id: 'item', rating: 'grade' };
    const db = openDatabase(join(dir, 'mapped.db'));
    try {
      const small = { textWeight: 0, dim: 8, walksPerNode: 2, walkLength: 10, clusters: 2, threads: 1 } as const;
      const trained = await runTrain(db, { files: [first], map, ...small });
      expect(getRun(db, trained.runId).params.map).toEqual(map);
      const refreshed = await runRefresh(db, { files: [second], threads: 1 });
      expect(refreshed.added).toBe(8);
      const run = getRun(db, refreshed.runId);
      expect(run.params.map).toEqual(map);
      // The refresh run holds the base run's reviews too, and names all of its inputs.
      expect(run.inputs).toEqual([first, second]);
      const ratings = db.prepare('SELECT count(*) FROM reviews WHERE run_id = ? AND rating IS NOT NULL').pluck().get(refreshed.runId);
      expect(ratings).toBe(48);
      // Its report names both files and finds an eval run over the same data.
      const evaluated = await runEval(db, { files: [first, second], map, ...small });
      const { html, stats } = buildReport(db, { run: refreshed.runId });
      expect(stats.evalRunId).toBe(evaluated.runId);
      expect(html).toContain('day1.csv');
      expect(html).toContain('day2.csv');
    } finally {
      db.close();
    }
  });
});

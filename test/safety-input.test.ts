/**
 * Issue 16 items 6 and 7: hostile and malformed input is rejected naming file,
 * line and field, with bounded memory (a line over the limit is an error,
 * never buffered whole), and the gaps of the field checks are closed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { readInputs } from '../src/ingest/index.js';
import { maxLineBytes } from '../src/ingest/lines.js';
import type { ShopData } from '../src/ingest/records.js';
import { reviewRecords } from '../src/ingest/table.js';
import { InputError } from '../src/util/errors.js';
import { repoRoot } from './helpers/paths.js';
import { tinyShopCsv } from './helpers/tiny-shop.js';

const cli = join(repoRoot, 'bin', 'graphprof.js');
const built = existsSync(join(repoRoot, 'dist', 'src', 'cli', 'main.js'));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'graphprof-safety-in-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function inputError(files: string[], opts: Parameters<typeof readInputs>[1] = {}): Promise<InputError> {
  const err = await readInputs(files, opts).then(
    () => new Error('read succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

const header = 'user_id,product_id,rating,text,timestamp';

describe('field checks', () => {
  it('a rating must be a plain decimal number; an overflowing JSON number is out of range', async () => {
    for (const bad of ['0x5', '0b1', '0o4', 'Infinity', '5 stars']) {
      const e = await inputError([file('hex.csv', `${header}\nu1,p1,${bad},ok,1600000000\n`)]);
      expect(e.message).toBe(`${join(dir, 'hex.csv')}:2: field "rating": rating not a number: "${bad}"`);
    }
    const ok = (await readInputs([file('ok.csv', `${header}\nu1,p1, 4.5 ,ok,1600000000\nu1,p2,5e0,ok,1600000000\n`)])) as ShopData;
    expect(reviewRecords(ok.reviews).map((r) => r.rating)).toEqual([4.5, 5]);
    const json = await inputError([file('big.json', '{"reviewerID":"u1","asin":"p1","overall":1e309,"unixReviewTime":1600000000}\n')]);
    expect(json.field).toBe('overall');
    expect(json.reason).toMatch(/rating out of range: .*too large/);
    expect(json.reason).not.toMatch(/null/);
  });

  it('a timestamp must be finite and between 1970 and now (year 3000, 400 digits, milliseconds refused)', async () => {
    const cases: [string, RegExp][] = [
      ['9'.repeat(400), /out of range/],
      ['3000-01-01', /after now/],
      ['32503680000', /after now/],
      ['1600000000000', /milliseconds/],
      ['-5', /before 1970/],
    ];
    for (const [value, reason] of cases) {
      const e = await inputError([file('ts.csv', `${header}\nu1,p1,5,ok,${value}\n`)]);
      expect(e.field).toBe('timestamp');
      expect(e.line).toBe(2);
      expect(e.reason).toMatch(reason);
    }
    const json = await inputError([file('ts.json', '{"reviewerID":"u1","asin":"p1","overall":5,"unixReviewTime":1e309}\n')]);
    expect(json.reason).toMatch(/out of range/);
    const amazonDate = await inputError([file('rt.json', '{"reviewerID":"u1","asin":"p1","overall":5,"reviewTime":"01 01, 3000"}\n')]);
    expect(amazonDate.field).toBe('reviewTime');
  });

  it('ids holding NUL or other control characters are refused', async () => {
    const e = await inputError([file('nul.csv', `${header}\nu\u00001,p1,5,ok,1600000000\n`)]);
    expect(e.field).toBe('user_id');
    expect(e.reason).toMatch(/control character U\+0000/);
    const rid = await inputError([file('nul-id.csv', `review_id,${header}\nr\u00071,u1,p1,5,ok,1600000000\n`)]);
    expect(rid.field).toBe('review_id');
    expect(rid.reason).toMatch(/U\+0007/);
    const j = await inputError([file('nul.json', '{"reviewerID":"u1","asin":"p\\u0000","overall":5}\n')]);
    expect(j.field).toBe('asin');
    const edges = await inputError([file('nul.edges', 'a b\nc\u0000 d\n')], { format: 'edgelist' });
    expect(edges.line).toBe(2);
  });

  it('a header naming a column twice is an error', async () => {
    const e = await inputError([file('twice.csv', 'user_id,product_id,rating,rating\nu1,p1,5,4\n')]);
    expect(e.line).toBe(1);
    expect(e.field).toBe('rating');
    expect(e.reason).toMatch(/names this column twice \(columns 3 and 4\)/);
  });

  it('a file with a header and no rows, or only blank lines, is an error and not an empty run', async () => {
    for (const [name, content] of [
      ['header-only.csv', `${header}\n`],
      ['header-blank.csv', `${header}\n\n\n  \n`],
    ]) {
      const e = await inputError([file(name, content)]);
      expect(e.reason).toMatch(/no data rows/);
    }
    const meta = await inputError([file('blank.json', '\n\n')], { format: 'amazon-json' });
    expect(meta.reason).toMatch(/no data rows/);
    const edges = await inputError([file('comments.edges', '# only a comment\n')], { format: 'edgelist' });
    expect(edges.reason).toMatch(/no data rows/);
  });

  it('a UTF-16 file is named as UTF-16, with or without a byte order mark', async () => {
    const text = `${header}\nu1,p1,5,ok,1600000000\n`;
    const le = await inputError([file('le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))]);
    expect(le.message).toMatch(/le\.csv:1: .*UTF-16 \(little-endian\)/);
    const be = Buffer.from(text, 'utf16le').swap16();
    const e = await inputError([file('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be]))]);
    expect(e.reason).toMatch(/UTF-16 \(big-endian\)/);
    const bare = await inputError([file('bare.csv', Buffer.from(text, 'utf16le'))]);
    expect(bare.reason).toMatch(/UTF-16 \(little-endian\)/);
  });
});

describe('bounded memory', () => {
  it(`a line over ${maxLineBytes >> 20} MiB is an error naming file and line, in detection and in reading; --skip-invalid skips it`, async () => {
    const long = 'x'.repeat(maxLineBytes + 10);
    const first = await inputError([file('long-first.json', `{"reviewerID":"${long}"}\n`)]);
    expect(first.line).toBe(1);
    expect(first.reason).toMatch(/line too long: over 16 MiB/);
    const row = '{"reviewerID":"u1","asin":"p1","overall":5,"unixReviewTime":1600000000}';
    const later = file('long-later.json', `${row}\n{"reviewerID":"${long}"}\n${row.replace('p1', 'p2')}\n`);
    const e = await inputError([later]);
    expect(e.message).toMatch(/long-later\.json:2: field "\(line\)": line too long: over 16 MiB/);
    const skipped = (await readInputs([later], { skipInvalid: true })) as ShopData;
    expect(reviewRecords(skipped.reviews).map((r) => [r.productId, r.source.line])).toEqual([['p1', 1], ['p2', 3]]);
    expect(Object.values(skipped.counts.skipped)).toEqual([1]);
    // A quoted CSV field that runs over the limit across lines.
    const quoted = await inputError([file('quoted.csv', `${header}\nu1,p1,5,"${`${'y'.repeat(1023)}\n`.repeat((maxLineBytes >> 10) + 10)}",1600000000\n`)]);
    expect(quoted.line).toBe(2);
  });

  it.skipIf(!built)('one 300 MB line in a small gzip fails with exit 3 and a small peak RSS (the line is never buffered)', { timeout: 60_000 }, async () => {
    const gz = join(dir, 'bomb.json.gz');
    const out = createGzip({ level: 1 });
    const sink = out.pipe(createWriteStream(gz));
    out.write('{"reviewerID":"u1","asin":"p1","reviewText":"');
    const block = Buffer.alloc(1 << 20, 'a');
    for (let i = 0; i < 300; i++) if (!out.write(block)) await once(out, 'drain');
    out.end('"}\n');
    await once(sink, 'close');
    // Peak RSS of the child, as the kernel counts it.
    const probe = `import('${join(repoRoot, 'dist/src/cli/main.js')}').then(async (m) => { const code = await m.main(['ingest', '-i', '${gz}', '--db', '${join(dir, 'bomb.db')}', '--quiet']); process.stdout.write(JSON.stringify({ code, rss: process.resourceUsage().maxRSS })); })`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', probe], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await once(child, 'exit');
    const r = JSON.parse(stdout) as { code: number; rss: number };
    expect(r.code).toBe(3);
    expect(stderr).toMatch(/bomb\.json\.gz:1: field "\(line\)": line too long: over 16 MiB/);
    expect(r.rss / 1024).toBeLessThan(250); // MB; buffering the line would take > 600 MB
  });
});

describe.skipIf(!built)('pipes as input', () => {
  const run = (args: string[], input: Buffer) => spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', cwd: dir });

  it('-i - and -i /dev/stdin read a pipe (plain or gzip) and name it in errors', () => {
    const csv = Buffer.from(tinyShopCsv({ users: 5 }));
    for (const [arg, bytes] of [['-', csv], ['/dev/stdin', gzipSync(csv)]] as const) {
      const r = run(['ingest', '-i', arg, '--db', join(dir, `pipe-${arg.length}.db`), '--json', '--quiet'], bytes);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ reviews: 20 });
    }
    const bad = run(['ingest', '-i', '-', '--db', join(dir, 'pipe-bad.db'), '--quiet'], Buffer.from(`${header}\nu1,p1,0x5,ok,1600000000\n`));
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/^graphprof: \/dev\/stdin:2: field "rating"/);
  });
});

describe('--config', () => {
  it('a config file that is missing, empty, not JSON, null, a number or an array is exit 2 saying what is wrong', async () => {
    const cases: [string, string | null, RegExp][] = [
      ['missing.json', null, /--config .*missing\.json: cannot read it: no such file/],
      ['empty.json', '', /--config .*empty\.json: the file is empty; expected a JSON object/],
      ['broken.json', '{"db": ', /--config .*broken\.json: not valid JSON/],
      ['null.json', 'null', /--config .*null\.json: holds null; expected a JSON object/],
      ['number.json', '3', /holds a number; expected a JSON object/],
      ['array.json', '["db"]', /holds an array; expected a JSON object/],
    ];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const [name, content, message] of cases) {
        const path = join(dir, name);
        if (content !== null) writeFileSync(path, content);
        err.mockClear();
        const code = await main(['runs', '--db', join(dir, 'none.db'), '--config', path]);
        expect(code).toBe(2);
        expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(message);
      }
    } finally {
      err.mockRestore();
    }
    expect(readFileSync(join(dir, 'array.json'), 'utf8')).toBe('["db"]');
  });
});

/**
 * Streams a file as physical lines, without ever holding the whole file in one
 * string: gzip is detected by its magic bytes and inflated on the fly, a UTF-8
 * BOM is dropped, CRLF and LF both end a line, and every line is checked for
 * valid UTF-8 so a reader can name the exact line that holds bad bytes.
 * Limits: a line (one record) holds at most maxLineBytes (16 MiB); a longer
 * one is an input error naming file and line (or is skipped), and is never
 * held in memory whole, so memory stays bounded whatever the input.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../util/errors.js';
import { inputSource } from './pipes.js';

/**
 * Receives one physical line: `text` without its terminator (U+FFFD in place of
 * bad bytes when `badUtf8`), its 1-based number, and whether it ended in CRLF.
 * Returning `false` stops the read early.
 */
export type LineSink = (text: string, line: number, cr: boolean, badUtf8: boolean) => void | boolean;

/** Bytes per read: large blocks keep per-chunk overhead small; a line may span blocks. */
const readBlockBytes = 1 << 20;
/** The longest line (one record) read: longer ones are an input error, never buffered whole. */
export const maxLineBytes = 16 << 20;
const LF = 0x0a;
const CR = 13;

export async function isGzipFile(file: string): Promise<boolean> {
  const fh = await openOrThrow(inputSource(file));
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (err) {
    throw new InputError(file, 0, '(file)', `cannot read: ${(err as Error).message}`);
  } finally {
    await fh.close();
  }
}

async function openOrThrow(file: string): ReturnType<typeof open> {
  try {
    return await open(file, 'r');
  } catch (err) {
    throw new InputError(file, 0, '(file)', `cannot open: ${(err as Error).message}`);
  }
}

/** Stops the line loop from inside a sink without an error. */
class StopReading {}

/** Why a line over the limit is refused (the same words for every reader and the format detection). */
export const overlongReason = `line too long: over ${maxLineBytes >> 20} MiB, the limit for one record`;

export interface ReadLinesOptions {
  /** File bytes read so far (compressed bytes for .gz), for progress. */
  onBytes?: (bytes: number) => void;
  /** Read size (small when only the first lines are wanted). */
  blockBytes?: number;
  /**
   * Called with the number of a line longer than maxLineBytes instead of
   * throwing; the line is then skipped (its bytes are read and dropped, never
   * held). Without it such a line is an InputError.
   */
  onOverlong?: (line: number) => void;
}

/**
 * Reads `file` line by line into `sink`. A line is never longer than
 * maxLineBytes in memory; a UTF-16 file is refused naming its encoding.
 * Resolves to the number of the last line seen.
 */
export async function readLines(file: string, sink: LineSink, opts: ReadLinesOptions = {}): Promise<number> {
  const { onBytes, blockBytes = readBlockBytes } = opts;
  const gz = await isGzipFile(file);
  const raw = createReadStream(inputSource(file), { highWaterMark: blockBytes });
  let source: Readable = raw;
  if (gz) {
    if (onBytes) raw.on('data', (c: string | Buffer) => onBytes(c.length));
    // pipeline (not pipe) so that stopping early or failing closes the file too.
    source = pipeline(raw, createGunzip({ chunkSize: blockBytes }), () => {});
  }
  const splitter = new LineSplitter(
    sink,
    opts.onOverlong ??
      ((line) => {
        throw new InputError(file, line, '(line)', overlongReason);
      }),
  );
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (!gz && onBytes) onBytes(chunk.length);
      splitter.push(chunk);
    }
    splitter.end();
  } catch (err) {
    if (err instanceof StopReading) return splitter.line;
    if (err instanceof InputError) throw err;
    if (err instanceof Utf16Error) throw new InputError(file, 1, '(file)', err.message);
    const reason = gz ? 'cannot read gzip data' : 'cannot read file';
    throw new InputError(file, splitter.line + 1, gz ? '(gzip)' : '(file)', `${reason}: ${(err as Error).message}`);
  } finally {
    source.destroy();
  }
  return splitter.line;
}

class Utf16Error extends Error {}

/** Bytes looked at to recognise UTF-16 without a byte order mark. */
const sniffBytes = 64;

/** Throws Utf16Error for text that is UTF-16: a byte order mark, or ASCII with every other byte zero. */
function refuseUtf16(head: Buffer): void {
  const say = (order: string): never => {
    throw new Utf16Error(`the file is UTF-16 (${order}) text, not UTF-8; convert it first, e.g. "iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.csv"`);
  };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) say('little-endian');
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) say('big-endian');
  const pairs = Math.floor(Math.min(head.length, sniffBytes) / 2);
  if (pairs < 2) return;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) zeroEven++;
    if (head[i + 1] === 0) zeroOdd++;
  }
  if (zeroOdd >= pairs * 0.4 && zeroEven === 0) say('little-endian');
  if (zeroEven >= pairs * 0.4 && zeroOdd === 0) say('big-endian');
}

/**
 * Cuts byte chunks at newlines, so a multi-byte character is never split. A
 * line that grows past maxLineBytes is reported to `onOverlong` and its bytes
 * dropped up to its newline, so memory stays bounded by the limit.
 */
class LineSplitter {
  line = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private atStart = true;
  /** The first bytes, held until there are enough to tell UTF-16 apart; null once checked. */
  private head: Buffer | null = Buffer.alloc(0);
  /** Inside a line over the limit: drop bytes until its newline. */
  private discarding = false;

  constructor(
    private readonly sink: LineSink,
    private readonly onOverlong: (line: number) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.head !== null) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < sniffBytes) return;
      chunk = this.head;
      this.head = null;
      refuseUtf16(chunk);
    }
    if (this.discarding) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) return;
      this.discarding = false;
      chunk = chunk.subarray(nl + 1);
    }
    const lastNl = chunk.lastIndexOf(LF);
    if (lastNl < 0) {
      this.hold(chunk);
      return;
    }
    let from = 0;
    if (this.pending.length > 0) {
      // Only the line cut by the previous chunk is copied, not the whole block.
      const firstNl = chunk.indexOf(LF);
      if (this.pendingBytes + firstNl > maxLineBytes) this.overlong();
      else this.emitBlock(Buffer.concat([...this.pending, chunk.subarray(0, firstNl + 1)]));
      this.discarding = false;
      this.pending = [];
      this.pendingBytes = 0;
      from = firstNl + 1;
    }
    if (from <= lastNl) this.emitBlock(chunk.subarray(from, lastNl + 1));
    if (lastNl + 1 < chunk.length) this.hold(chunk.subarray(lastNl + 1));
  }

  end(): void {
    const head = this.head;
    if (head !== null) {
      this.head = null;
      refuseUtf16(head);
      if (head.length > 0) this.push(head);
    }
    if (this.pending.length > 0) this.emitBlock(Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Keeps the start of a line that continues in the next chunk, unless that makes it too long. */
  private hold(part: Buffer): void {
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (this.pendingBytes > maxLineBytes) {
      this.overlong();
      this.pending = [];
      this.pendingBytes = 0;
      this.discarding = true;
    }
  }

  private overlong(): void {
    this.atStart = false;
    this.line++;
    this.onOverlong(this.line);
  }

  private emitBlock(block: Buffer): void {
    if (this.atStart) {
      this.atStart = false;
      if (block.length >= 3 && block[0] === 0xef && block[1] === 0xbb && block[2] === 0xbf) block = block.subarray(3);
    }
    if (isUtf8(block)) this.emitString(block.toString('utf8'));
    else this.emitCheckedLines(block);
  }

  /** Fast path: the whole block is valid UTF-8, split the decoded string. */
  private emitString(s: string): void {
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const nl = s.indexOf('\n', pos);
      const end = nl < 0 ? n : nl;
      const cr = end > pos && s.charCodeAt(end - 1) === CR;
      this.deliver(s.slice(pos, cr ? end - 1 : end), cr, false);
      pos = end + 1;
    }
  }

  /** Slow path, only for blocks holding bad bytes: check each line on its own. */
  private emitCheckedLines(block: Buffer): void {
    let pos = 0;
    while (pos < block.length) {
      const nl = block.indexOf(LF, pos);
      const end = nl < 0 ? block.length : nl;
      const cr = end > pos && block[end - 1] === CR;
      const bytes = block.subarray(pos, cr ? end - 1 : end);
      this.deliver(bytes.toString('utf8'), cr, !isUtf8(bytes));
      pos = end + 1;
    }
  }

  private deliver(text: string, cr: boolean, bad: boolean): void {
    this.line++;
    if (this.sink(text, this.line, cr, bad) === false) throw new StopReading();
  }
}

/**
 * Streams a file as physical lines, without ever holding the whole file in one
 * string: gzip is detected by its magic bytes and inflated on the fly, a UTF-8
 * BOM is dropped, CRLF and LF both end a line, and every line is checked for
 * valid UTF-8 so a reader can name the exact line that holds bad bytes.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../util/errors.js';

/**
 * Receives one physical line: `text` without its terminator (U+FFFD in place of
 * bad bytes when `badUtf8`), its 1-based number, and whether it ended in CRLF.
 * Returning `false` stops the read early.
 */
export type LineSink = (text: string, line: number, cr: boolean, badUtf8: boolean) => void | boolean;

/** Bytes per read: large blocks keep per-chunk overhead small; a line may span blocks. */
const readBlockBytes = 1 << 20;
const LF = 0x0a;
const CR = 13;

export async function isGzipFile(file: string): Promise<boolean> {
  const fh = await openOrThrow(file);
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

/**
 * Reads `file` line by line into `sink`. `onBytes` gets the count of file bytes
 * (compressed bytes for .gz) as they are read, for progress; `blockBytes` is the
 * read size (small when only the first lines are wanted). Resolves to the
 * number of the last line seen.
 */
export async function readLines(file: string, sink: LineSink, onBytes?: (bytes: number) => void, blockBytes = readBlockBytes): Promise<number> {
  const gz = await isGzipFile(file);
  const raw = createReadStream(file, { highWaterMark: blockBytes });
  let source: Readable = raw;
  if (gz) {
    if (onBytes) raw.on('data', (c: string | Buffer) => onBytes(c.length));
    // pipeline (not pipe) so that stopping early or failing closes the file too.
    source = pipeline(raw, createGunzip({ chunkSize: blockBytes }), () => {});
  }
  const splitter = new LineSplitter(sink);
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (!gz && onBytes) onBytes(chunk.length);
      splitter.push(chunk);
    }
    splitter.end();
  } catch (err) {
    if (err instanceof StopReading) return splitter.line;
    if (err instanceof InputError) throw err;
    const reason = gz ? 'cannot read gzip data' : 'cannot read file';
    throw new InputError(file, splitter.line + 1, gz ? '(gzip)' : '(file)', `${reason}: ${(err as Error).message}`);
  }
  return splitter.line;
}

/** Cuts byte chunks at newlines, so a multi-byte character is never split. */
class LineSplitter {
  line = 0;
  private pending: Buffer[] = [];
  private atStart = true;

  constructor(private readonly sink: LineSink) {}

  push(chunk: Buffer): void {
    const lastNl = chunk.lastIndexOf(LF);
    if (lastNl < 0) {
      this.pending.push(chunk);
      return;
    }
    let from = 0;
    if (this.pending.length > 0) {
      // Only the line cut by the previous chunk is copied, not the whole block.
      const firstNl = chunk.indexOf(LF);
      this.emitBlock(Buffer.concat([...this.pending, chunk.subarray(0, firstNl + 1)]));
      from = firstNl + 1;
    }
    if (from <= lastNl) this.emitBlock(chunk.subarray(from, lastNl + 1));
    this.pending = lastNl + 1 < chunk.length ? [chunk.subarray(lastNl + 1)] : [];
  }

  end(): void {
    if (this.pending.length > 0) this.emitBlock(Buffer.concat(this.pending));
    this.pending = [];
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

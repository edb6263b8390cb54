/**
 * Inputs that are not regular files: `-i -` (standard input), `-i /dev/stdin`
 * or a named pipe. Format detection reads the start of every input before
 * its reader reads it all, and a pipe can be read only once, so such an input
 * is first copied (streamed, never held in memory) to a private temporary
 * file that every later read of that name uses. The temporary files are
 * removed when the process exits; errors keep naming the input as given.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../util/errors.js';

/** The name `-` stands for. */
export const stdinPath = '/dev/stdin';

/** Input name -> the temporary copy read in its place. */
const spooled = new Map<string, string>();
let spoolDir: string | null = null;

function spoolDirectory(): string {
  if (spoolDir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'graphprof-input-'));
    spoolDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return spoolDir;
}

/** The file to open for an input name: its temporary copy if it was a pipe, else the name itself. */
export function inputSource(file: string): string {
  return spooled.get(file) ?? file;
}

/**
 * Copies every input that is a pipe, a terminal or a socket (and `-`, read as
 * /dev/stdin) to a temporary file; returns the input names to read (`-`
 * becomes /dev/stdin, the others are unchanged).
 */
export async function spoolPipes(files: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const given of files) {
    const name = given === '-' ? stdinPath : given;
    out.push(name);
    if (spooled.has(name)) continue;
    let regular = true;
    try {
      const st = statSync(name);
      regular = st.isFile() || st.isDirectory();
    } catch {
      // A missing file is reported by the reader, naming it.
    }
    if (regular) continue;
    const copy = join(spoolDirectory(), String(spooled.size));
    try {
      await pipeline(name === stdinPath ? process.stdin : createReadStream(name), createWriteStream(copy));
    } catch (err) {
      throw new InputError(name, 0, '(file)', `cannot read the pipe: ${(err as Error).message}`);
    }
    spooled.set(name, copy);
  }
  return out;
}

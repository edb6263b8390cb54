/**
 * A file an export writes into, with backpressure: `write` resolves once the
 * stream can take more, so at most one batch sits in memory. Bytes go to a
 * temporary file beside the target that is renamed over it on `close`, so a
 * reader (a recommender reloading vectors) never sees half a file, and a
 * failed or cancelled export leaves no file behind. A killed export cannot
 * clean up: its partial file is removed by the next export to the same path.
 */
import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { ExitCode, GraphprofError, type ExitCodeValue } from '../util/errors.js';
import { partialPath, removeStalePartials } from '../util/out-path.js';

const fsReasons: Record<string, string> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a parent path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EISDIR: 'it is a directory',
};

function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && fsReasons[code]) return `${fsReasons[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

/** A file-system failure as a GraphprofError naming the target (never the temporary file). */
export function writeError(path: string, err: unknown, exitCode: ExitCodeValue = ExitCode.failure): GraphprofError {
  if (err instanceof GraphprofError) return err;
  return new GraphprofError(`exportVectors: cannot write ${path}: ${reasonOf(err)}`, exitCode);
}

export class FileSink {
  private failure: unknown;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly out: WriteStream,
  ) {
    out.on('error', (err) => {
      this.failure ??= err;
    });
  }

  /** Opens the temporary file; an unwritable target fails here, before any row is read. */
  static async open(path: string): Promise<FileSink> {
    const existing = await stat(path).catch(() => undefined);
    if (existing?.isDirectory()) throw writeError(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }), ExitCode.usage);
    removeStalePartials(path);
    const tmp = partialPath(path);
    const out = createWriteStream(tmp);
    try {
      await once(out, 'open');
    } catch (err) {
      out.destroy();
      throw writeError(path, err, ExitCode.usage);
    }
    return new FileSink(path, tmp, out);
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure !== undefined) throw writeError(this.path, this.failure);
    if (this.out.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: unknown): void => {
        this.out.off('drain', onDrain);
        this.out.off('error', onError);
        if (err === undefined) resolve();
        else reject(writeError(this.path, err));
      };
      const onDrain = (): void => done();
      const onError = (err: unknown): void => done(err);
      this.out.once('drain', onDrain);
      this.out.once('error', onError);
    });
  }

  /** Flushes and closes the temporary file; returns its size in bytes. */
  async finish(): Promise<number> {
    if (this.failure !== undefined) throw writeError(this.path, this.failure);
    try {
      this.out.end();
      await once(this.out, 'close');
    } catch (err) {
      this.failure ??= err;
    }
    if (this.failure !== undefined) throw writeError(this.path, this.failure);
    return this.out.bytesWritten;
  }

  /** Moves the finished file into place (done for every file of an export only once all are finished). */
  async commit(): Promise<void> {
    try {
      await rename(this.tmp, this.path);
    } catch (err) {
      throw writeError(this.path, err);
    }
  }

  /** Drops the partial file (after an error or a cancel). */
  abort(): void {
    this.out.destroy();
    rmSync(this.tmp, { force: true });
  }
}

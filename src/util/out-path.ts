/**
 * Output guards: every file a command writes is checked, before any work, not
 * to be the database (or one of its -wal, -shm, -journal files), one of the
 * command's input files, or a directory, and (where the command asks for it)
 * not to exist already. Paths are compared after resolving relative paths and
 * symlinks, and by device and inode, so a hard link to the database is caught
 * too. Also here: the temporary "PATH.partial-PID" files outputs are written
 * through, and the clean-up of those an interrupted process left behind.
 */
import { lstatSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ExitCode, GraphprofError } from './errors.js';

export interface OutputCheck {
  /** The option the paths came from, for messages (e.g. "--out"). */
  option: string;
  /** The command's database: it and its -wal, -shm and -journal files may never be written. */
  database?: string;
  /** The command's input files. */
  inputs?: readonly string[];
  /** false: an existing file is refused, naming `forceFlag`. */
  overwrite: boolean;
  /** The flag that allows replacing existing files (default "--force"). */
  forceFlag?: string;
}

/** Where a path really points: symlinks resolved (also in its missing tail's parents), and its inode if it exists. */
interface Identity {
  path: string;
  inode: string | null;
}

function realPath(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPath(parent), basename(abs));
  }
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function identity(p: string): Identity {
  const st = statOrNull(p);
  return { path: realPath(p), inode: st ? `${st.dev}:${st.ino}` : null };
}

const same = (a: Identity, b: Identity): boolean => a.path === b.path || (a.inode !== null && a.inode === b.inode);

/** The database file and the files SQLite keeps beside it, under both the given and the resolved name. */
function databaseFiles(db: string): string[] {
  const names = new Set([resolve(db), realPath(db)]);
  const out: string[] = [];
  for (const n of names) out.push(n, `${n}-wal`, `${n}-shm`, `${n}-journal`);
  return out;
}

/**
 * Throws a usage error (exit 2) if any of `paths` would write over the
 * database, an input or a directory, or over an existing file when
 * `overwrite` is false. Call it before any work.
 */
export function checkOutputs(paths: readonly string[], c: OutputCheck): void {
  const db = c.database !== undefined ? databaseFiles(c.database).map((f) => ({ f, id: identity(f) })) : [];
  const inputs = (c.inputs ?? []).map((f) => ({ f, id: identity(f) }));
  for (const p of paths) {
    const target = identity(p);
    const hit = db.find((d) => same(d.id, target));
    if (hit) {
      throw new GraphprofError(`${c.option} ${p} is the database ${c.database}${hit.f.endsWith('-wal') || hit.f.endsWith('-shm') || hit.f.endsWith('-journal') ? ` (its ${hit.f.slice(hit.f.lastIndexOf('-'))} file)` : ''}; writing it would destroy the database; choose another file`, ExitCode.usage);
    }
    const input = inputs.find((i) => same(i.id, target));
    if (input) throw new GraphprofError(`${c.option} ${p} is the input file ${input.f}; writing it would destroy the input; choose another file`, ExitCode.usage);
    const st = statOrNull(p);
    if (st?.isDirectory()) throw new GraphprofError(`${c.option} ${p} is a directory; name a file (inside it, or elsewhere)`, ExitCode.usage);
    if (st && !c.overwrite) throw new GraphprofError(`${c.option} ${p} exists; pass ${c.forceFlag ?? '--force'} to replace it`, ExitCode.usage);
  }
}

/** Like checkOutputs for a directory a command writes `files` into: the directory itself must not be a file. */
export function checkOutputDirectory(dir: string, files: readonly string[], c: OutputCheck): void {
  const st = statOrNull(dir);
  if (st && !st.isDirectory()) throw new GraphprofError(`${c.option} ${dir} is a file, not a directory`, ExitCode.usage);
  checkOutputs(files.map((f) => join(dir, f)), c);
}

/** The temporary name an output is written under until it is complete. */
export function partialPath(path: string): string {
  return `${path}.partial-${process.pid}`;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes "PATH.partial-PID" files of `path` whose process is gone (an export
 * or report that was killed); returns how many. Files of running processes
 * are left alone.
 */
export function removeStalePartials(path: string): number {
  const dir = dirname(resolve(path));
  const prefix = `${basename(path)}.partial-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = name.slice(prefix.length);
    if (!/^\d+$/.test(pid) || (Number(pid) !== process.pid && isRunning(Number(pid)))) continue;
    const file = join(dir, name);
    try {
      if (!lstatSync(file).isFile()) continue;
      rmSync(file, { force: true });
      removed++;
    } catch {
      // Gone meanwhile, or not ours to remove: either way nothing to do.
    }
  }
  return removed;
}

/** Writes a whole file through its partial name and a rename, so no reader ever sees half of it. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  removeStalePartials(path);
  const tmp = partialPath(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

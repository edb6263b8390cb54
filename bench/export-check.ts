/**
 * Exports a run of a database in every format gensim and numpy read, for every
 * vector kind it has and for users, products and both, then has
 * bench/export_check.py load the files with gensim / numpy / csv / json
 * (Debian python3-gensim, python3-numpy) and compare them bit for bit with the
 * rows it reads from the same database through Python's sqlite3.
 *
 *   npm run bench:export-check -- [DB] [RUN]   (default graphprof.db, latest)
 *
 * Exits non-zero if any file does not match.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportVectors, type ExportFormat, type ExportType } from '../src/export/index.js';
import { getRun, type VectorKind } from '../src/store/runs.js';
import { openDatabase } from '../src/store/store.js';
import { ExitCode, GraphprofError } from '../src/util/errors.js';
import { repoRoot, tempDir } from './common.js';

const dbPath = resolve(process.argv[2] ?? 'graphprof.db');
const runArg = process.argv[3];
const python = process.env.PYTHON ?? '/usr/bin/python3';
const formats: { format: ExportFormat; ext: string }[] = [
  { format: 'word2vec', ext: 'w2v' },
  { format: 'word2vec-bin', ext: 'bin' },
  { format: 'npy', ext: 'npy' },
  { format: 'csv', ext: 'csv' },
  { format: 'jsonl', ext: 'jsonl' },
  { format: 'tsv', ext: 'tsv' },
];
const types: ExportType[] = ['user', 'product', 'all'];

const dir = tempDir('graphprof-export-check-');
const db = openDatabase(dbPath, { readonly: true });
let status = 0;
try {
  const run = getRun(db, runArg ? Number(runArg) : 'latest', runArg ? undefined : ['train', 'refresh']);
  const kinds = (db.prepare('SELECT DISTINCT kind FROM vectors WHERE run_id = ? ORDER BY kind').pluck().all(run.id) as VectorKind[]);
  const exports: unknown[] = [];
  for (const kind of kinds) {
    for (const type of types) {
      for (const { format, ext } of formats) {
        try {
          const r = await exportVectors(db, { run: run.id, kind, type, format, out: join(dir, `${kind}-${type}.${ext}`), force: true });
          exports.push({ runId: r.runId, kind, type, format, files: r.files });
        } catch (err) {
          // A run without products (an edge-list run) has nothing of that type: not a mismatch.
          if (err instanceof GraphprofError && err.exitCode === ExitCode.usage) continue;
          throw err;
        }
      }
    }
  }
  const manifest = join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ db: dbPath, exports }));
  console.log(`${dbPath}, run ${run.id}: ${exports.length} exports (${kinds.join(', ')} x ${types.join(', ')} x ${formats.length} formats) checked with ${python}`);
  const py = spawnSync(python, [join(repoRoot, 'bench', 'export_check.py'), manifest], { stdio: 'inherit' });
  if (py.error) throw new Error(`cannot run ${python}: ${py.error.message} (apt-get install python3-gensim python3-numpy)`);
  status = py.status ?? 1;
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = status;

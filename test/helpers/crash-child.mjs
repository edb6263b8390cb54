// Child process for test/crash.test.ts: writes one run with the real writeRun,
// announcing each stage on stdout and pausing at one of them, so the parent can
// SIGKILL it in the middle of the write transaction (or while it holds the write lock).
import { openDatabase } from '../../dist/src/store/store.js';
import { writeRun } from '../../dist/src/store/runs.js';
import { buildEdgeListCsr } from '../../dist/src/graph/build.js';
import { emptyCounts } from '../../dist/src/ingest/records.js';

const [dbPath, pauseAt = ''] = process.argv.slice(2);
const edges = [];
for (let i = 0; i < 2000; i++) edges.push({ src: `n${i}`, dst: `n${(i * 7 + 1) % 2000}`, weight: 1 });
const csr = buildEdgeListCsr({ kind: 'edgelist', edges, counts: emptyCounts(), files: [] });
const db = openDatabase(dbPath);
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
writeRun(db, {
  kind: 'train',
  inputs: ['child'],
  params: {},
  counts: {},
  timings: {},
  csr,
  vectors: [{ kind: 'graph', dim: 16, data: new Float32Array(csr.nodeCount * 16).fill(0.5) }],
  onStage: (stage) => {
    process.stdout.write(`stage ${stage}\n`);
    if (stage === pauseAt) sleep(120_000);
  },
});
process.stdout.write('done\n');
db.close();

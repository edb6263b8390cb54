// Child process for test/fault-processes.test.ts: a `graphprof train` as the CLI
// runs it (Ctrl-C handler, exit code of the error), that sends itself SIGINT at one
// chosen point: the start of a phase ("phase:skip-gram", where walks stream into training), the end of skip-gram
// ("skip-gram-end": the phases after it run while the signal is pending), or a
// stage of the store transaction ("store:graph"). Prints {"code": N}.
import { runTrain } from '../../dist/src/jobs/train.js';
import { abortOnSigint } from '../../dist/src/cli/signals.js';
import { openDatabase } from '../../dist/src/store/store.js';

const [dbPath, input, point] = process.argv.slice(2);
const interrupt = () => process.kill(process.pid, 'SIGINT');
const db = openDatabase(dbPath);
const sigint = abortOnSigint();
let code = 0;
try {
  await runTrain(db, {
    files: [input],
    textWeight: 0,
    dim: 8,
    walksPerNode: 2,
    walkLength: 10,
    window: 3,
    threads: 1,
    clusters: 3,
    signal: sigint.signal,
    progress: (phase) => {
      if (point === `phase:${phase}`) interrupt();
      return (done, total) => {
        if (point === `${phase}-end` && done === total) interrupt();
      };
    },
    onStoreStage: (stage) => {
      if (point === `store:${stage}`) interrupt();
    },
  });
} catch (err) {
  code = err.exitCode ?? 1;
  if (code === 1) process.stderr.write(String(err.stack) + '\n');
} finally {
  sigint.dispose();
  db.close();
}
process.stdout.write(JSON.stringify({ code }) + '\n');

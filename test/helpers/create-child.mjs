// Child process for test/fault-processes.test.ts: opens (creating and migrating)
// COUNT new databases DIR/0.db, DIR/1.db, ..., the i-th exactly at START + i * SLOT
// milliseconds (wall clock), so several children open each file at the same moment.
// Prints one JSON line: the messages of the opens that failed.
import { join } from 'node:path';
import { openDatabase } from '../../dist/src/store/store.js';

const [dir, count, start, slot] = process.argv.slice(2);
const failures = [];
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (let i = 0; i < Number(count); i++) {
  const at = Number(start) + i * Number(slot);
  while (Date.now() < at) sleep(Math.max(0, Math.min(5, at - Date.now())));
  try {
    openDatabase(join(dir, `${i}.db`)).close();
  } catch (err) {
    failures.push(`${i}: ${err.message}`);
  }
}
process.stdout.write(JSON.stringify(failures) + '\n');

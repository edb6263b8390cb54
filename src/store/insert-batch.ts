/**
 * Multi-row INSERTs for the large tables of a run (nodes, edges, reviews,
 * vectors): one prepared `INSERT ... VALUES (...), (...), ...` of ROWS rows,
 * bound from one flat array, instead of one statement call per row. At a
 * million reviews a run writes ~5M rows; per-row calls cost more in binding
 * and in the JS <-> SQLite crossing than SQLite spends inserting the row.
 */
import type { Database as DB, Statement } from 'better-sqlite3';

type Value = number | string | bigint | Buffer | null;

/** Rows per statement: SQLite binds at most 32,766 parameters; 256 rows of a few columns stay far below. */
const ROWS = 256;

export class InsertBatch {
  private readonly full: Statement;
  private readonly values: Value[] = [];
  private readonly width: number;

  /** `head` is `INSERT [OR ...] INTO table (a, b, c)`; `width` the number of columns. */
  constructor(
    private readonly db: DB,
    private readonly head: string,
    width: number,
  ) {
    this.width = width;
    this.full = db.prepare(this.sql(ROWS));
  }

  private sql(rows: number): string {
    const row = `(${Array.from({ length: this.width }, () => '?').join(', ')})`;
    return `${this.head} VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
  }

  /** Adds one row (exactly `width` values, in column order). */
  add(...row: Value[]): void {
    for (const v of row) this.values.push(v);
    if (this.values.length === ROWS * this.width) {
      this.full.run(this.values);
      this.values.length = 0;
    }
  }

  /** Writes the rows still pending; call once after the last `add`. */
  flush(): void {
    const rows = this.values.length / this.width;
    if (rows > 0) this.db.prepare(this.sql(rows)).run(this.values);
    this.values.length = 0;
  }
}

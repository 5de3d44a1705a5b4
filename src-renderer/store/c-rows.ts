// Reading rows through SQLite's C functions, for queries whose rows hold blobs: sql.js's own
// getBlob copies a blob into JavaScript one byte at a time (a loop over the wasm heap), which is
// most of what reading a million spans' columns would cost; here each blob is one copy of its
// bytes. Parameters are bound as text (SQLite converts by the column's affinity).

import type { Store } from './store.ts';
import { sqliteC } from './sqljs.ts';

const SQLITE_ROW = 100;
const SQLITE_DONE = 101;
const SQLITE_STATIC = 0;
const SQLITE_INTEGER = 1;

/** One row as it is stepped over: read its columns before the next step. */
export interface CRow {
  num(i: number): number;
  /** Whether the value is an integer (not a float, text, blob or NULL). */
  isInteger(i: number): boolean;
  text(i: number): string;
  /** A copy of the blob's bytes (its own buffer, offset 0). */
  blob(i: number): Uint8Array;
}

/** Visit every row of `sql` (prepared for this call and finalized after it). */
export function eachRowC(store: Store, sql: string, params: readonly string[], visit: (row: CRow) => void): void {
  const c = sqliteC(store.sql);
  const db = (store.db as unknown as { db: number }).db;
  const text = c.stringToNewUTF8(sql);
  const out = c.malloc(4);
  const bound: number[] = [];
  let stmt = 0;
  try {
    const rc = c.prepare(db, text, -1, out, 0);
    stmt = new Int32Array(c.memory.buffer, out, 1)[0];
    if (rc !== 0) throw new Error(c.utf8ToString(c.errmsg(db)));
    params.forEach((v, k) => {
      const p = c.stringToNewUTF8(v);
      bound.push(p);
      c.bindText(stmt, k + 1, p, -1, SQLITE_STATIC);
    });
    const row: CRow = {
      num: (i) => c.columnDouble(stmt, i),
      isInteger: (i) => c.columnType(stmt, i) === SQLITE_INTEGER,
      text: (i) => c.utf8ToString(c.columnText(stmt, i)),
      blob: (i) => {
        const p = c.columnBlob(stmt, i);
        const n = c.columnBytes(stmt, i);
        return new Uint8Array(c.memory.buffer, p, n).slice();
      },
    };
    for (;;) {
      const step = c.step(stmt);
      if (step === SQLITE_DONE) break;
      if (step !== SQLITE_ROW) throw new Error(c.utf8ToString(c.errmsg(db)));
      visit(row);
    }
  } finally {
    if (stmt !== 0) c.finalize(stmt);
    for (const p of bound) c.free(p);
    c.free(out);
    c.free(text);
  }
}

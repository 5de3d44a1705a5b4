// Inserting packed rows (packed.ts) through SQLite's C interface. sql.js binds a value by
// allocating, encoding and freeing it in JavaScript, which is most of what an insert costs
// (measured: ~57k span-like rows/s in Node against ~380k in native SQLite); here a batch's text goes into SQLite's memory in one native encode, every
// text cell is bound as a slice of it (SQLITE_STATIC: no copy), and each statement inserts
// WIDE rows. Values are still bound parameters: nothing from a file becomes SQL text.

import type { SqliteC } from './sqljs.ts';
import { CELL_NULL, CELL_NUMBER, CELL_TEXT, type PackedRows } from './packed.ts';

const SQLITE_DONE = 101;
const SQLITE_STATIC = 0;
/** Rows per INSERT statement: measured best among 1, 8, 16 and 64. */
const WIDE = 16;

const encoder = new TextEncoder();

/** A parameter whose value is not known (a statement just prepared, or one whose step failed). */
const UNBOUND = 255;

/**
 * The kind (packed.ts) and number each parameter of a statement was last bound to. A number or a
 * NULL equal to what the parameter holds is not bound again: span rows repeat most of theirs (the
 * file, counts, codes, the NULLs of absent ids), and each bind is a call into wasm (~25 ns).
 */
interface BoundValues {
  kinds: Uint8Array;
  nums: Float64Array;
}

/**
 * Prepared INSERT statements kept from batch to batch. Compiling a 16-row INSERT of span rows
 * (336 parameters) takes ~0.4 ms here, and a batch needs one more for its remainder rows; kept,
 * 100k span rows in 1,000-row batches go in at 2.3-2.5 instead of 2.6-2.9 µs of CPU per row.
 * The owner finalizes them before it closes the connection.
 */
export class InsertStatements {
  private readonly byText = new Map<string, number>();
  /** What each statement's parameters hold now (SQLite keeps bindings across resets). */
  private readonly bound = new Map<number, BoundValues>();

  constructor(
    private readonly c: SqliteC,
    /** The connection they are prepared on. */
    readonly db: number,
  ) {}

  get(head: string, cols: number, rows: number): number {
    const key = `${rows}\u0000${cols}\u0000${head}`;
    let stmt = this.byText.get(key);
    if (stmt === undefined) {
      stmt = prepare(this.c, this.db, head, cols, rows);
      this.byText.set(key, stmt);
      this.bound.set(stmt, { kinds: new Uint8Array(cols * rows).fill(UNBOUND), nums: new Float64Array(cols * rows) });
    }
    return stmt;
  }

  /** The values a statement's parameters hold (parameter k at index k - 1). */
  boundValues(stmt: number): BoundValues {
    return this.bound.get(stmt)!;
  }

  /** Statements held (for tests). */
  get size(): number {
    return this.byText.size;
  }

  finalizeAll(): void {
    for (const stmt of this.byText.values()) this.c.finalize(stmt);
    this.byText.clear();
    this.bound.clear();
  }
}

/**
 * Insert every row of `p` with `INSERT INTO <table> (<columns>) VALUES ...`; `head` is the text
 * before VALUES. Throws SQLite's message if a row is refused (the caller's savepoint undoes it).
 * Statements come from `statements` and stay there; without it they are made and finalized here.
 */
export function insertPacked(c: SqliteC, db: number, head: string, p: PackedRows, statements?: InsertStatements): void {
  if (p.rows === 0) return;
  const { kinds, nums, lens, text, cols } = p;
  // Room for ASCII text first (the usual case, whose byte offsets are its character offsets);
  // three bytes per character only when that did not fit.
  let cap = text.length + 1;
  let base = alloc(c, cap);
  let heap = new Uint8Array(c.memory.buffer, base, cap);
  let byteOffsets: Int32Array | null = null;
  const first = encoder.encodeInto(text, heap);
  if (first.read !== text.length || first.written !== text.length) {
    c.free(base);
    cap = text.length * 3 + 1;
    base = alloc(c, cap);
    heap = new Uint8Array(c.memory.buffer, base, cap);
    byteOffsets = encodeCells(p, heap);
  }
  const own = statements ? null : new InsertStatements(c, db);
  const stmts = statements ?? own!;
  try {
    const wide = stmts.get(head, cols, Math.min(WIDE, p.rows));
    let cell = 0;
    let row = 0;
    let stmt = wide;
    let perStmt = Math.min(WIDE, p.rows);
    while (row < p.rows) {
      if (p.rows - row < perStmt) {
        perStmt = p.rows - row;
        stmt = stmts.get(head, cols, perStmt);
      }
      const end = cell + perStmt * cols;
      const was = stmts.boundValues(stmt);
      for (let k = 1; cell < end; k++, cell++) {
        const kind = kinds[cell];
        if (kind === CELL_NUMBER) {
          const v = nums[cell];
          if (was.kinds[k - 1] === CELL_NUMBER && was.nums[k - 1] === v) continue;
          if ((v | 0) === v) c.bindInt(stmt, k, v);
          else c.bindDouble(stmt, k, v);
          was.nums[k - 1] = v;
        } else if (kind === CELL_TEXT) {
          if (byteOffsets) c.bindText(stmt, k, base + byteOffsets[2 * cell], byteOffsets[2 * cell + 1], SQLITE_STATIC);
          else c.bindText(stmt, k, base + nums[cell], lens[cell], SQLITE_STATIC);
        } else if (was.kinds[k - 1] === CELL_NULL) continue;
        else c.bindBlob(stmt, k, 0, 0, SQLITE_STATIC); // a null pointer binds NULL
        was.kinds[k - 1] = kind;
      }
      if (c.step(stmt) !== SQLITE_DONE) {
        c.reset(stmt);
        was.kinds.fill(UNBOUND);
        throw new Error(c.utf8ToString(c.errmsg(db)));
      }
      c.reset(stmt);
      row += perStmt;
    }
  } finally {
    own?.finalizeAll();
    c.free(base);
  }
}

function alloc(c: SqliteC, bytes: number): number {
  const p = c.malloc(bytes);
  if (p === 0) throw new Error(`out of memory: SQLite could not get ${bytes} bytes for a batch of rows`);
  return p;
}

function prepare(c: SqliteC, db: number, head: string, cols: number, rows: number): number {
  const one = `(${new Array(cols).fill('?').join(',')})`;
  const sql = c.stringToNewUTF8(`${head} VALUES ${new Array(rows).fill(one).join(',')}`);
  const out = c.malloc(4);
  try {
    const rc = c.prepare(db, sql, -1, out, 0);
    const stmt = new Int32Array(c.memory.buffer, out, 1)[0];
    if (rc !== 0) throw new Error(c.utf8ToString(c.errmsg(db)));
    return stmt;
  } finally {
    c.free(out);
    c.free(sql);
  }
}

/**
 * Encode the text cells one by one (over what encoding all of it at once wrote) and return the
 * byte offset and length of each (two entries per cell). One by one, because a cell ending in a
 * lone high surrogate and the next starting with a lone low one would otherwise merge into one
 * character across the cells' boundary.
 */
function encodeCells(p: PackedRows, heap: Uint8Array): Int32Array {
  const out = new Int32Array(p.kinds.length * 2);
  let at = 0;
  for (let i = 0; i < p.kinds.length; i++) {
    if (p.kinds[i] !== CELL_TEXT) continue;
    const { written } = encoder.encodeInto(p.text.slice(p.nums[i], p.nums[i] + p.lens[i]), heap.subarray(at));
    out[2 * i] = at;
    out[2 * i + 1] = written;
    at += written;
  }
  return out;
}

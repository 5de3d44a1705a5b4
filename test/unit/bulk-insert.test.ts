// insertPacked (store/bulk-insert.ts) against the real sql.js: every value bound through SQLite's
// C interface must read back as written. The text of a batch goes into wasm memory as one UTF-8
// buffer and each cell is bound as a byte slice of it, so the tests aim at what shifts those
// slices: characters of 2, 3 and 4 UTF-8 bytes, lone surrogates (TextEncoder writes U+FFFD),
// empty strings and NULLs between text cells. Row counts straddle the 16 rows per statement
// (1, 15, 16, 17, 33) so both the wide statement and the remainder statement run. A counting
// wrapper around the real C functions checks that every statement is finalized and every
// allocation freed, also when SQLite refuses a row.

import { describe, it, expect, beforeAll } from 'vitest';
import type { Database, SqlJsStatic } from 'sql.js';
import { loadSqlJs, sqliteC, type SqliteC } from '../../src-renderer/store/sqljs.ts';
import { insertPacked, InsertStatements } from '../../src-renderer/store/bulk-insert.ts';
import { RowPacker, type PackedRows } from '../../src-renderer/store/packed.ts';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** A cell as written: a string is a text cell, a number a number cell, null a NULL. */
type Cell = string | number | null;

function pack(rows: Cell[][]): PackedRows {
  const p = new RowPacker(rows.length, rows[0]?.length ?? 1);
  for (const row of rows) {
    for (const v of row) {
      if (v === null) p.nul();
      else if (typeof v === 'number') p.num(v);
      else p.text(v);
    }
  }
  return p.finish();
}

/** The real C functions, counting statements prepared/finalized and memory allocated/freed. */
function counted(c: SqliteC) {
  const live = { stmts: new Set<number>(), mallocs: new Set<number>(), prepared: 0 };
  const wrapped: SqliteC = {
    ...c,
    malloc(n) {
      const p = c.malloc(n);
      live.mallocs.add(p);
      return p;
    },
    free(p) {
      live.mallocs.delete(p);
      c.free(p);
    },
    prepare(db, sql, nBytes, outStmt, outTail) {
      const rc = c.prepare(db, sql, nBytes, outStmt, outTail);
      const stmt = new Int32Array(c.memory.buffer, outStmt, 1)[0];
      if (stmt !== 0) {
        live.stmts.add(stmt);
        live.prepared++;
      }
      return rc;
    },
    finalize(stmt) {
      live.stmts.delete(stmt);
      return c.finalize(stmt);
    },
  };
  // stringToNewUTF8 allocates through the module's own malloc: the statement text is freed with free().
  wrapped.stringToNewUTF8 = (s) => {
    const p = c.stringToNewUTF8(s);
    live.mallocs.add(p);
    return p;
  };
  return { c: wrapped, live };
}

function dbPtr(db: Database): number {
  return (db as unknown as { db: number }).db;
}

const HEAD = 'INSERT INTO t (s, i, r, u)';

function openTable(): Database {
  const db = new SQL.Database();
  db.exec('CREATE TABLE t (s TEXT, i INTEGER, r REAL, u TEXT)');
  return db;
}

/** Every row as [s, hex(s), typeof(s), CAST(i AS TEXT), typeof(i), r, typeof(r), u, typeof(u)], in rowid order. */
function readBack(db: Database): unknown[][] {
  const r = db.exec('SELECT s, hex(s), typeof(s), CAST(i AS TEXT), typeof(i), r, typeof(r), u, typeof(u) FROM t ORDER BY rowid');
  return r.length === 0 ? [] : r[0].values;
}

// Text cells as written, with what SQLite must hold (hand-encoded UTF-8).
const TEXTS: { input: string; stored: string; hex: string }[] = [
  { input: 'plain', stored: 'plain', hex: '706C61696E' },
  { input: 'GET /a?b=1', stored: 'GET /a?b=1', hex: '474554202F613F623D31' },
  { input: 'it\'s "q"', stored: 'it\'s "q"', hex: '6974277320227122' },
  { input: 'l1\nl2\t', stored: 'l1\nl2\t', hex: '6C310A6C3209' },
  { input: 'café', stored: 'café', hex: '636166C3A9' }, // é: 2 bytes
  { input: '€5', stored: '€5', hex: 'E282AC35' }, // €: 3 bytes
  { input: '中文', stored: '中文', hex: 'E4B8ADE69687' }, // CJK: 3 bytes each
  { input: 'a😀b', stored: 'a😀b', hex: '61F09F988062' }, // astral: a surrogate pair, 4 bytes
  { input: '\u{1F680}\u{1F680}', stored: '🚀🚀', hex: 'F09F9A80F09F9A80' },
  { input: 'x\uD800y', stored: 'x\uFFFDy', hex: '78EFBFBD79' }, // lone high surrogate → U+FFFD
  { input: '\uDC00', stored: '\uFFFD', hex: 'EFBFBD' }, // lone low surrogate, the whole cell
  { input: 'end\uD83D', stored: 'end\uFFFD', hex: '656E64EFBFBD' }, // high surrogate closing a cell
  { input: '', stored: '', hex: '' },
  { input: 'ÿ\u07FF\u0800', stored: 'ÿ\u07FF\u0800', hex: 'C3BFDFBFE0A080' }, // the 1/2/3-byte boundaries
];

// Integers as bound, with how SQLite prints them: both sides of 2^31, negatives, 2^53 - 1.
const INTS: [number, string][] = [
  [0, '0'], [-1, '-1'], [2147483647, '2147483647'], [-2147483648, '-2147483648'], [2147483648, '2147483648'],
  [-3000000000, '-3000000000'], [1763630000123, '1763630000123'], [9007199254740991, '9007199254740991'],
];
const REALS = [1.5, -0.25, 1e-300, 123456.789, 7];
// 64-bit integers cross as decimal text and must land as exact INTEGERs.
const BIG = ['9223372036854775807', '-9223372036854775808', '1763630000000000001'];

/**
 * Row k of a batch: a text cell from TEXTS (or NULL), an integer (or a 64-bit one as text, or
 * NULL), a double, and a second text cell, so that text cells alternate with non-text ones.
 */
function rowOf(k: number, texts: typeof TEXTS): { cells: Cell[]; expect: unknown[] } {
  const t = texts[k % texts.length];
  // A second text cell, another entry of TEXTS (the split surrogate pair has its own test below).
  const u = texts[(k * 5 + 3) % texts.length];
  const sNull = k % 5 === 4;
  const intKind = k % 6; // 0-3: a number, 4: 64-bit text, 5: NULL
  const n = INTS[k % INTS.length];
  const big = BIG[k % BIG.length];
  const r = REALS[k % REALS.length];
  const rNull = k % 7 === 6;
  const cells: Cell[] = [sNull ? null : t.input, intKind === 5 ? null : intKind === 4 ? big : n[0], rNull ? null : r, u.input];
  const expect = [
    sNull ? null : t.stored, sNull ? '' : t.hex, sNull ? 'null' : 'text',
    intKind === 5 ? null : intKind === 4 ? big : n[1], intKind === 5 ? 'null' : 'integer',
    rNull ? null : r, rNull ? 'null' : 'real',
    u.stored, 'text',
  ];
  return { cells, expect };
}

const ASCII = TEXTS.filter((t) => /^[\x00-\x7f]*$/.test(t.input));

describe('insertPacked', () => {
  for (const rows of [1, 15, 16, 17, 33]) {
    for (const [label, texts] of [['ASCII', ASCII], ['mixed UTF-8', TEXTS]] as const) {
      it(`stores ${rows} rows of ${label} text exactly (${rows > 16 ? 'wide and remainder statements' : 'one statement'})`, () => {
        const db = openTable();
        const { c, live } = counted(sqliteC(SQL));
        const batch = Array.from({ length: rows }, (_, k) => rowOf(k, texts));
        insertPacked(c, dbPtr(db), HEAD, pack(batch.map((b) => b.cells)));
        expect(readBack(db)).toEqual(batch.map((b) => b.expect));
        // 16 rows per statement, plus one statement for a shorter remainder.
        expect(live.prepared).toBe(rows === 33 || rows === 17 ? 2 : 1);
        expect(live.stmts.size).toBe(0);
        expect(live.mallocs.size).toBe(0);
        db.close();
      });
    }
  }

  it('keeps every text cell in place after non-ASCII text (byte offsets, not character offsets)', () => {
    const db = openTable();
    // Each row's first cell is 4 bytes longer in UTF-8 than in UTF-16 ('€€' is 2 units, 6 bytes):
    // character offsets would be off by 4 more bytes every row.
    const rows: Cell[][] = Array.from({ length: 20 }, (_, k) => [`€€${k}`, k, null, `after-${k}`]);
    insertPacked(sqliteC(SQL), dbPtr(db), HEAD, pack(rows));
    expect(db.exec('SELECT s, u FROM t ORDER BY rowid')[0].values).toEqual(rows.map((_, k) => [`€€${k}`, `after-${k}`]));
    db.close();
  });

  it('binds empty strings as empty text, never NULL, also when the batch has no text at all', () => {
    const db = openTable();
    insertPacked(sqliteC(SQL), dbPtr(db), HEAD, pack([['', 1, 1.5, ''], ['', 2, null, null], [null, 3, null, '']]));
    expect(db.exec(`SELECT s, typeof(s), u, typeof(u) FROM t ORDER BY rowid`)[0].values).toEqual([
      ['', 'text', '', 'text'],
      ['', 'text', null, 'null'],
      [null, 'null', '', 'text'],
    ]);
    db.close();
  });

  it('inserts nothing for an empty batch', () => {
    const db = openTable();
    const { c, live } = counted(sqliteC(SQL));
    insertPacked(c, dbPtr(db), HEAD, pack([]));
    expect(db.exec('SELECT count(*) FROM t')[0].values).toEqual([[0]]);
    expect(live.prepared).toBe(0);
    db.close();
  });

  // Encoding all the text in one piece would join a high surrogate closing one text cell and a
  // low surrogate opening the next into one 4-byte character, and bind every later cell of the
  // batch 2 bytes off. Each is a lone surrogate (U+FFFD), and the next row stays intact.
  it('keeps cells apart when one ends with a high surrogate and the next starts with a low one', () => {
    const db = openTable();
    insertPacked(sqliteC(SQL), dbPtr(db), HEAD, pack([['a\uD83D', 1, null, '\uDE00b'], ['next', 2, null, 'row']]));
    expect(db.exec('SELECT s, u FROM t ORDER BY rowid')[0].values).toEqual([
      ['a\uFFFD', '\uFFFDb'],
      ['next', 'row'],
    ]);
    db.close();
  });

  it('tells non-ASCII text from ASCII even when its first bytes fill exactly one byte per character', () => {
    // '€a' + 'éb': 4 characters, 7 bytes. Encoded into room for 4 + 1 bytes, '€a' takes 4 bytes and
    // 'é' no longer fits: 4 bytes written for 4 characters, but only 2 characters read.
    const db = openTable();
    insertPacked(sqliteC(SQL), dbPtr(db), HEAD, pack([['€a', 1, null, 'éb']])); // the batch's text is just '€aéb'
    expect(db.exec('SELECT s, u, hex(s), hex(u) FROM t')[0].values).toEqual([['€a', 'éb', 'E282AC61', 'C3A962']]);
    db.close();
  });

  describe('a refused row', () => {
    function openUnique(): Database {
      const db = new SQL.Database();
      db.exec('CREATE TABLE u (k TEXT NOT NULL UNIQUE, v INTEGER)');
      return db;
    }

    it("throws SQLite's message for a UNIQUE violation in the remainder statement, and leaks nothing", () => {
      const db = openUnique();
      const { c, live } = counted(sqliteC(SQL));
      // 20 rows: 16 in the wide statement, 4 in the remainder; row 18 repeats row 2's key.
      const rows: Cell[][] = Array.from({ length: 20 }, (_, k) => [k === 18 ? 'key-2' : `key-${k}`, k]);
      db.exec('SAVEPOINT s');
      expect(() => insertPacked(c, dbPtr(db), 'INSERT INTO u (k, v)', pack(rows))).toThrow(new Error('UNIQUE constraint failed: u.k'));
      expect(live.stmts.size).toBe(0);
      expect(live.mallocs.size).toBe(0);
      // The wide statement's 16 rows went in; the refused statement as a whole did not.
      expect(db.exec('SELECT count(*) FROM u')[0].values).toEqual([[16]]);
      db.exec('ROLLBACK TO s; RELEASE s');
      expect(db.exec('SELECT count(*) FROM u')[0].values).toEqual([[0]]);
      // No statement is left running: VACUUM refuses while one is, and the database closes cleanly.
      db.exec("INSERT INTO u VALUES ('later', 1); VACUUM");
      expect(db.exec('SELECT k, v FROM u')[0].values).toEqual([['later', 1]]);
      insertPacked(sqliteC(SQL), dbPtr(db), 'INSERT INTO u (k, v)', pack([['é', 2]]));
      expect(db.exec('SELECT count(*) FROM u')[0].values).toEqual([[2]]);
      expect(() => db.close()).not.toThrow();
    });

    it("throws SQLite's message for a NOT NULL violation in the first statement", () => {
      const db = openUnique();
      const { c, live } = counted(sqliteC(SQL));
      expect(() => insertPacked(c, dbPtr(db), 'INSERT INTO u (k, v)', pack([['a', 1], [null, 2], ['c', 3]]))).toThrow(
        new Error('NOT NULL constraint failed: u.k'),
      );
      expect(live.stmts.size).toBe(0);
      expect(live.mallocs.size).toBe(0);
      expect(db.exec('SELECT count(*) FROM u')[0].values).toEqual([[0]]);
      db.exec("INSERT INTO u VALUES ('ok', 1); VACUUM");
      expect(() => db.close()).not.toThrow();
    });

    it("throws SQLite's message when the statement cannot be prepared", () => {
      const db = openUnique();
      const { c, live } = counted(sqliteC(SQL));
      expect(() => insertPacked(c, dbPtr(db), 'INSERT INTO nope (k)', pack([['a']]))).toThrow(new Error('no such table: nope'));
      expect(live.stmts.size).toBe(0);
      expect(live.mallocs.size).toBe(0);
      db.exec("INSERT INTO u VALUES ('ok', 1)");
      expect(() => db.close()).not.toThrow();
    });
  });
});

describe('InsertStatements', () => {
  it('keeps the wide and remainder statements from batch to batch, through a refused batch, until finalized', () => {
    const db = new SQL.Database();
    db.exec('CREATE TABLE u (k TEXT NOT NULL UNIQUE, v INTEGER)');
    const { c, live } = counted(sqliteC(SQL));
    const kept = new InsertStatements(c, dbPtr(db));
    const batch = (from: number, n: number): Cell[][] => Array.from({ length: n }, (_, k) => [`key-${from + k}`, from + k]);
    insertPacked(c, dbPtr(db), 'INSERT INTO u (k, v)', pack(batch(0, 20)), kept); // 16 + 4
    insertPacked(c, dbPtr(db), 'INSERT INTO u (k, v)', pack(batch(20, 20)), kept);
    expect(live.prepared).toBe(2);
    expect(kept.size).toBe(2);
    db.exec('SAVEPOINT s');
    expect(() => insertPacked(c, dbPtr(db), 'INSERT INTO u (k, v)', pack(batch(30, 20)), kept)).toThrow(new Error('UNIQUE constraint failed: u.k'));
    db.exec('ROLLBACK TO s; RELEASE s');
    insertPacked(c, dbPtr(db), 'INSERT INTO u (k, v)', pack(batch(40, 36)), kept); // 16 + 16 + 4: no new statement
    expect(live.prepared).toBe(2);
    expect(db.exec('SELECT count(*), min(v), max(v) FROM u')[0].values).toEqual([[76, 0, 75]]);
    expect(live.mallocs.size).toBe(0);
    // Kept statements are idle between batches: VACUUM runs; finalized, none is left and the database closes.
    db.exec('VACUUM');
    kept.finalizeAll();
    expect(kept.size).toBe(0);
    expect(live.stmts.size).toBe(0);
    expect(() => db.close()).not.toThrow();
  });

  it('binds again every number or NULL that differs from what a kept statement holds, and only those', () => {
    const db = openTable();
    const { c } = counted(sqliteC(SQL));
    const binds = { int: 0, double: 0, nul: 0 };
    const spy: SqliteC = {
      ...c,
      bindInt: (s, k, v) => (binds.int++, c.bindInt(s, k, v)),
      bindDouble: (s, k, v) => (binds.double++, c.bindDouble(s, k, v)),
      bindBlob: (s, k, p, n, d) => (binds.nul++, c.bindBlob(s, k, p, n, d)),
    };
    const kept = new InsertStatements(spy, dbPtr(db));
    // 17 rows a batch (the wide statement and a one-row remainder). Each parameter sees a number
    // turn into NULL or text and back, an equal number after a different kind, and repeats.
    const batches: Cell[][] = [
      ['a', 7, 1.5, null],
      ['b', 7, 1.5, null],
      [null, null, 2.5, 'u'],
      ['c', 7, null, null],
      ['d', 0, 1.5, 'v'],
      ['e', null, null, null],
      ['f', 0, 0, 'w'],
    ];
    const written: Cell[] = [];
    const bound: number[] = [];
    for (const [k, row] of batches.entries()) {
      const rows = Array.from({ length: 17 }, (_, r) => row.map((v) => (typeof v === 'number' && k === 6 && r % 2 ? v + r : v)));
      const before = binds.int + binds.double + binds.nul;
      insertPacked(spy, dbPtr(db), HEAD, pack(rows), kept);
      bound.push(binds.int + binds.double + binds.nul - before);
      written.push(...rows.flat());
    }
    const got = db.exec('SELECT s, i, r, u FROM t ORDER BY rowid')[0].values.flat();
    expect(got).toEqual(written);
    // Numbers and NULLs bound per row: all three at first, none when only the text changes, then
    // those that changed (s, i and r; i, r and u; i and r; i, r and u; i and r: u is text there).
    expect(bound.map((n) => n / 17)).toEqual([3, 0, 3, 3, 2, 3, 2]);
    kept.finalizeAll();
    db.close();
  });
});

describe('loadSqlJs', () => {
  it('returns the same module every time, and its C functions work', async () => {
    const again = await loadSqlJs();
    expect(again).toBe(SQL);
    expect(sqliteC(again)).toBe(sqliteC(SQL));
    const db = new again.Database();
    db.exec('CREATE TABLE t (s TEXT, i INTEGER, r REAL, u TEXT)');
    insertPacked(sqliteC(again), dbPtr(db), HEAD, pack([['ü', 5, 0.5, null]]));
    expect(readBack(db)).toEqual([['ü', 'C3BC', 'text', '5', 'integer', 0.5, 'real', null, 'null']]);
    db.close();
  });

  it('refuses a module it did not load', () => {
    expect(() => sqliteC({} as SqlJsStatic)).toThrow(/not loaded through loadSqlJs/);
  });
});

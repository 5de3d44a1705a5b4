// Loading sql.js. In the browser worker the caller passes the bundled wasm URL; in Node (tests,
// CLI) the wasm is read from the sql.js package. useOldExtensionFunctions: false selects SQLite's
// native math functions (the legacy ones compute log() as the natural log).
//
// We instantiate the wasm ourselves (Emscripten's documented Module.instantiateWasm hook) to keep
// a handle on its memory: bulk inserts (bulk-insert.ts) write a batch's text into it once and
// bind with SQLite's C functions, which sql.js exports, instead of allocating per bound value.

import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

/** The SQLite C functions sql.js exports (all pointers are offsets into `memory`). */
export interface SqliteC {
  memory: WebAssembly.Memory;
  malloc(n: number): number;
  free(p: number): void;
  prepare(db: number, sql: number, nBytes: number, outStmt: number, outTail: number): number;
  finalize(stmt: number): number;
  step(stmt: number): number;
  reset(stmt: number): number;
  bindInt(stmt: number, i: number, v: number): number;
  bindDouble(stmt: number, i: number, v: number): number;
  bindText(stmt: number, i: number, p: number, n: number, destructor: number): number;
  bindBlob(stmt: number, i: number, p: number, n: number, destructor: number): number;
  errmsg(db: number): number;
  columnDouble(stmt: number, i: number): number;
  /** SQLITE_INTEGER 1, SQLITE_FLOAT 2, SQLITE_TEXT 3, SQLITE_BLOB 4, SQLITE_NULL 5. */
  columnType(stmt: number, i: number): number;
  columnText(stmt: number, i: number): number;
  columnBlob(stmt: number, i: number): number;
  columnBytes(stmt: number, i: number): number;
  /** The online backup API (https://sqlite.org/backup.html): a page-by-page copy between databases. */
  backupInit(dest: number, destName: number, source: number, sourceName: number): number;
  backupStep(backup: number, pages: number): number;
  backupFinish(backup: number): number;
  utf8ToString(p: number): string;
  stringToNewUTF8(s: string): number;
}

const native = new WeakMap<SqlJsStatic, SqliteC>();

/** The C side of a sql.js loaded by loadSqlJs. */
export function sqliteC(sql: SqlJsStatic): SqliteC {
  const c = native.get(sql);
  if (!c) throw new Error('this sql.js was not loaded through loadSqlJs (store/sqljs.ts)');
  return c;
}

async function wasmBytes(wasmUrl?: string): Promise<BufferSource> {
  if (wasmUrl) return (await fetch(wasmUrl)).arrayBuffer();
  // Node: read the package's wasm. getBuiltinModule keeps node: imports out of the web bundle.
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (!proc?.getBuiltinModule) throw new Error('no wasm URL given and not running in Node');
  const { createRequire } = proc.getBuiltinModule('node:module') as typeof import('node:module');
  const { readFileSync } = proc.getBuiltinModule('node:fs') as typeof import('node:fs');
  return readFileSync(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'));
}

let loading: Promise<SqlJsStatic> | null = null;

/** sql.js, loaded once (it initialises once per realm anyway). */
export function loadSqlJs(wasmUrl?: string): Promise<SqlJsStatic> {
  loading ??= load(wasmUrl).catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

async function load(wasmUrl?: string): Promise<SqlJsStatic> {
  const bytes = await wasmBytes(wasmUrl);
  let memory: WebAssembly.Memory | null = null;
  const config = {
    useOldExtensionFunctions: false,
    instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) {
      WebAssembly.instantiate(bytes, imports).then(({ instance }) => {
        // By tag, not instanceof: under a test runner the instance may come from another realm.
        memory = Object.values(instance.exports).find((e): e is WebAssembly.Memory => Object.prototype.toString.call(e) === '[object WebAssembly.Memory]') ?? null;
        done(instance);
      });
      return {}; // asynchronous: Emscripten waits for done()
    },
  };
  const sql = await initSqlJs(config as Parameters<typeof initSqlJs>[0]);
  // sql.js initialises once per realm; later calls return the same module without instantiating.
  if (native.has(sql)) return sql;
  if (!memory) throw new Error('sql.js exports no memory');
  const m = sql as unknown as Record<string, (...a: never[]) => unknown>;
  const fn = <F>(name: string): F => {
    if (typeof m[name] !== 'function') throw new Error(`sql.js does not export ${name}`);
    return m[name] as F;
  };
  native.set(sql, {
    memory,
    malloc: fn('_malloc'),
    free: fn('_free'),
    prepare: fn('_sqlite3_prepare_v2'),
    finalize: fn('_sqlite3_finalize'),
    step: fn('_sqlite3_step'),
    reset: fn('_sqlite3_reset'),
    bindInt: fn('_sqlite3_bind_int'),
    bindDouble: fn('_sqlite3_bind_double'),
    bindText: fn('_sqlite3_bind_text'),
    bindBlob: fn('_sqlite3_bind_blob'),
    errmsg: fn('_sqlite3_errmsg'),
    columnDouble: fn('_sqlite3_column_double'),
    columnType: fn('_sqlite3_column_type'),
    columnText: fn('_sqlite3_column_text'),
    columnBlob: fn('_sqlite3_column_blob'),
    columnBytes: fn('_sqlite3_column_bytes'),
    backupInit: fn('_sqlite3_backup_init'),
    backupStep: fn('_sqlite3_backup_step'),
    backupFinish: fn('_sqlite3_backup_finish'),
    utf8ToString: fn('UTF8ToString'),
    stringToNewUTF8: fn('stringToNewUTF8'),
  });
  return sql;
}

/**
 * Bytes that sql.js's in-memory file system may keep as a database file's contents instead of
 * copying them. `new sql.Database(bytes)` writes the bytes into a new file of Emscripten's MEMFS,
 * whose first write to an empty file keeps `bytes.slice(0, n)`; a slice of the whole array that
 * returns the array itself makes the file's contents these very bytes. At a million spans a copy
 * is a quarter of a gigabyte, fresh memory the machine must fault in: the saved workspace is
 * handed to SQLite and taken back from it in place. The caller gives the bytes up: SQLite writes
 * into them. Any other slice is a real one.
 */
class HandedBytes extends Uint8Array<ArrayBuffer> {
  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    // A plain view of the same memory: the file system reads and writes it page by page, and a
    // plain Uint8Array keeps V8's fast paths (a subclass's subarray goes the slow way every time).
    if ((start ?? 0) === 0 && (end === undefined || end >= this.length)) return new Uint8Array(this.buffer, this.byteOffset, this.length);
    return super.slice(start, end);
  }
}

export function handedOver(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new HandedBytes(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);
}

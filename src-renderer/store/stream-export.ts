// The workspace written out as a SQLite file, page runs handed to a sink as SQLite's backup API
// (https://sqlite.org/backup.html) produces them, with no whole-file buffer in memory.
//
// Why: at a million spans the file is ~300 MB, and nearly all of the time a save took was the
// machine faulting in fresh memory for a buffer of that size (and then the kernel's page cache
// for a new file), not SQLite. Here the pages go from the wasm heap (memory already in use) to
// their destination: a file descriptor, the Origin Private File System, a picked file's stream.
//
// How: the backup's destination is a scratch database whose file in sql.js's in-memory file
// system (Emscripten's MEMFS) has `SinkContents` as its contents. sql.js exports no file system
// object, but `new Database(bytes)` makes its file's contents `bytes.slice(0, n)`, which a
// subclass may answer with any object (the same way store/sqljs.ts hands bytes over). MEMFS then
// calls, on a file's contents, only:
//
//   length                     capacity: past it MEMFS would grow the file into a new array
//   set(src, position)         a write: `src` is a view of the wasm heap, valid during the call
//   subarray(from, to)         a read
//
// The scratch file starts as one page (an empty database of the source's page size); the backup
// fills pages 1..N in order, each past the destination's size, which SQLite then writes without
// reading first. Reads ask for page 1 (kept here) or, after a restart of the backup, for pages
// about to be overwritten whole (answered with zeros). A check at the end that every page of the
// file was written (and nothing past it) catches a MEMFS that stopped behaving like this.
//
//   source pages   1 2 3 … N ──backup_step(n)──▶ scratch pager (small cache) ──spill──▶ set(src, pos)
//                                                                                     │
//                                                                sink.write(chunk, pos) ◀ coalesced

import type { Database, SqlJsStatic } from 'sql.js';
import { sqliteC, type SqliteC } from './sqljs.ts';

/** Where a streamed workspace file goes: bytes at file positions, then its final size. */
export interface FileSink {
  /**
   * Bytes of the file at `position`. `bytes` is reused once the call returns (or once its promise
   * resolves): a sink that keeps them must copy them.
   */
  write(bytes: Uint8Array, position: number): void | Promise<void>;
  /** The file is whole at `size` bytes: make it the destination (truncate, rename, close). */
  close(size: number): void | Promise<void>;
  /** The save failed: drop what was written; a file that was there before must stay as it was. */
  abort(): void | Promise<void>;
}

/** What a streamed export tells its caller. */
export interface StreamedFile {
  bytes: number;
  pages: number;
}

export interface StreamOptions {
  /** Source pages per backup step; between steps the export waits for the sink's pending writes. */
  stepPages?: number;
  /** Bytes gathered from consecutive pages before the sink is called. */
  chunkBytes?: number;
}

const SQLITE_OK = 0;
const SQLITE_DONE = 101;
const DEFAULT_STEP_PAGES = 4096;
/** Bytes a chunk handed to a sink holds at most, unless asked otherwise. */
export const DEFAULT_CHUNK_BYTES = 4 << 20;
/** Pages the scratch database caches before it writes them out: small, the pages only pass through. */
const SCRATCH_CACHE_PAGES = 64;

/** Who a source workspace is: its connection and the schema its tables are in ('main' or an attached one). */
export interface ExportSource {
  readonly sql: SqlJsStatic;
  readonly db: Database;
  readonly database: string;
}

/**
 * The workspace as one array (what the SQL console's worker opens, and what tests read). The
 * array is made at the file's final size and each page is copied into its place.
 */
export function exportWorkspaceBytes(source: ExportSource): Uint8Array {
  const run = new BackupRun(source);
  const image = new Uint8Array(run.pages * run.pageSize);
  run.output = (src, at) => {
    image.set(src, at);
  };
  try {
    while (!run.step(-1));
  } finally {
    run.close();
  }
  // The source cannot change during one synchronous step, so its size is as measured at the start.
  if (run.finalBytes !== image.length) return image.slice(0, run.finalBytes);
  return image;
}

/**
 * Stream the workspace into `sink`, in steps of `stepPages` source pages; a write or close that
 * throws (or rejects) aborts the sink and rethrows. The source stays as it was either way.
 */
export async function streamWorkspace(source: ExportSource, sink: FileSink, opts: StreamOptions = {}): Promise<StreamedFile> {
  const stepPages = opts.stepPages ?? DEFAULT_STEP_PAGES;
  const chunks = new ChunkWriter(sink, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  let run: BackupRun | null = null;
  try {
    run = new BackupRun(source);
    run.output = (src, at) => chunks.add(src, at);
    for (;;) {
      const done = run.step(stepPages);
      chunks.flush();
      await chunks.settled();
      if (done) break;
    }
    const bytes = run.finalBytes;
    const pages = bytes / run.pageSize;
    run.close();
    run = null;
    await sink.close(bytes);
    return { bytes, pages };
  } catch (e) {
    run?.close();
    await chunks.settled().catch(() => {});
    await sink.abort();
    throw e;
  }
}

/** Page runs gathered into reused chunks; a sink that answers with a promise holds its chunk until it resolves. */
class ChunkWriter {
  private buf: Uint8Array | null = null;
  private start = 0;
  private used = 0;
  private readonly free: Uint8Array[] = [];
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(
    private readonly sink: FileSink,
    private readonly size: number,
  ) {}

  add(src: Uint8Array, at: number): void {
    if (this.failure !== null) throw this.failure;
    if (this.buf && (at !== this.start + this.used || this.used + src.length > this.size)) this.flush();
    if (src.length > this.size) {
      this.send(src, at, null); // bigger than a chunk: straight from the heap (a synchronous sink only sees it during the call)
      return;
    }
    if (!this.buf) {
      this.buf = this.free.pop() ?? takeChunk(this.size);
      this.start = at;
      this.used = 0;
    }
    this.buf.set(src, this.used);
    this.used += src.length;
  }

  flush(): void {
    if (!this.buf || this.used === 0) return;
    const buf = this.buf;
    this.buf = null;
    this.send(buf.subarray(0, this.used), this.start, buf);
  }

  private send(bytes: Uint8Array, at: number, owner: Uint8Array | null): void {
    const r = this.sink.write(bytes, at);
    if (!(r instanceof Promise)) {
      if (owner) this.free.push(owner);
      return;
    }
    if (!owner) throw new Error('an asynchronous sink was handed a run larger than a chunk');
    const p: Promise<void> = r.then(
      () => {
        this.pending.delete(p);
        this.free.push(owner);
      },
      (e: unknown) => {
        this.pending.delete(p);
        this.failure ??= e;
      },
    );
    this.pending.add(p);
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failure !== null) throw this.failure;
    for (const b of this.free.splice(0)) giveChunk(b);
  }
}

// Chunk buffers stay warm from one save to the next: a fresh array is memory the machine must fault in.
const spareChunks: Uint8Array[] = [];
const MAX_SPARE_CHUNKS = 8;

function takeChunk(size: number): Uint8Array {
  const i = spareChunks.findIndex((b) => b.length === size);
  return i >= 0 ? spareChunks.splice(i, 1)[0] : new Uint8Array(size);
}

function giveChunk(b: Uint8Array): void {
  if (spareChunks.length < MAX_SPARE_CHUNKS) spareChunks.push(b);
}

/**
 * The contents of the scratch database's file: writes go to `output`, page 1 is kept for SQLite
 * to read back, and every page written is ticked off.
 */
class SinkContents {
  output: (src: Uint8Array, at: number) => void = () => {};
  /** Bytes of the file so far (the largest end written). */
  end = 0;
  /** The first write that failed. */
  error: unknown = null;
  private readonly written: Uint8Array;

  constructor(
    readonly head: Uint8Array,
    private readonly pageSize: number,
    maxPages: number,
  ) {
    this.end = head.length;
    this.written = new Uint8Array(maxPages + 1);
  }

  get length(): number {
    return Number.MAX_SAFE_INTEGER; // never grown by MEMFS: every write comes to set()
  }

  /**
   * A write. It never throws: an exception would unwind through SQLite's C frames without letting
   * it clean up (the backup's read transaction on the workspace, its pager's state). The first
   * failure is kept, later writes are dropped, and the run throws it once the step has returned.
   */
  set(src: Uint8Array, at: number): void {
    if (this.error !== null) return;
    try {
      if (at < this.head.length) this.head.set(src.subarray(0, Math.min(src.length, this.head.length - at)), at);
      const first = Math.floor(at / this.pageSize);
      const last = Math.floor((at + src.length - 1) / this.pageSize);
      if (last >= this.written.length) throw new Error(`SQLite wrote page ${last + 1}, past the ${this.written.length - 1} the file can have`);
      this.written.fill(1, first, last + 1);
      this.end = Math.max(this.end, at + src.length);
      this.output(src, at);
    } catch (e) {
      this.error = e;
    }
  }

  subarray(from: number, to: number): Uint8Array {
    const out = new Uint8Array(to - from);
    if (from < this.head.length) out.set(this.head.subarray(from, Math.min(to, this.head.length)));
    return out;
  }

  /** Whether pages 1..n were all written. */
  isWhole(n: number): boolean {
    for (let p = 0; p < n; p++) if (this.written[p] !== 1) return false;
    return true;
  }
}

/** The first bytes sql.js's MEMFS keeps as a new file's contents: `slice` answers with the sink. */
class SeedBytes extends Uint8Array<ArrayBuffer> {
  sink: SinkContents | null = null;

  override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
    if (this.sink && (start ?? 0) === 0 && (end === undefined || end >= this.length)) return this.sink as unknown as Uint8Array<ArrayBuffer>;
    return super.slice(start, end);
  }
}

/** One backup of a workspace into a sink-backed scratch database. */
class BackupRun {
  readonly pageSize: number;
  /** The source's size in pages when the run started. */
  readonly pages: number;
  private readonly c: SqliteC;
  private readonly scratch: Database;
  private readonly contents: SinkContents;
  private backup = 0;
  private finished = false;

  constructor(private readonly source: ExportSource) {
    this.c = sqliteC(source.sql);
    const one = (p: string) => Number(source.db.exec(`PRAGMA ${source.database}.${p}`)[0].values[0][0]);
    this.pageSize = one('page_size');
    this.pages = one('page_count');
    // An empty database of the source's page size is the file's first page.
    const empty = new source.sql.Database();
    empty.exec(`PRAGMA page_size = ${this.pageSize}; PRAGMA user_version = 1;`);
    const head = empty.export();
    empty.close();
    const seed = new SeedBytes(new ArrayBuffer(head.length));
    seed.set(head);
    // The source may grow while an asynchronous save waits between steps (an edit): room for it.
    this.contents = new SinkContents(new Uint8Array(head), this.pageSize, Math.max(this.pages * 2, this.pages + 65536));
    seed.sink = this.contents;
    this.scratch = new source.sql.Database(seed);
    try {
      this.scratch.exec(`PRAGMA journal_mode = OFF; PRAGMA cache_size = ${SCRATCH_CACHE_PAGES};`);
      const names = [this.c.stringToNewUTF8('main'), this.c.stringToNewUTF8(source.database)];
      try {
        this.backup = this.c.backupInit(handle(this.scratch), names[0], handle(source.db), names[1]);
      } finally {
        for (const n of names) this.c.free(n);
      }
      if (this.backup === 0) throw new Error(`saving the workspace: ${this.c.utf8ToString(this.c.errmsg(handle(this.scratch)))}`);
    } catch (e) {
      this.scratch.close();
      throw e;
    }
  }

  set output(fn: (src: Uint8Array, at: number) => void) {
    this.contents.output = fn;
  }

  /** Copy up to `pages` more pages (-1: all); true when the copy is complete and written out. */
  step(pages: number): boolean {
    const rc = this.c.backupStep(this.backup, pages);
    if (this.contents.error !== null) throw this.contents.error;
    if (rc === SQLITE_OK) return false;
    const end = this.c.backupFinish(this.backup);
    this.backup = 0;
    if (rc !== SQLITE_DONE || end !== SQLITE_OK) {
      throw new Error(`saving the workspace: ${this.c.utf8ToString(this.c.errmsg(handle(this.scratch)))} (SQLite code ${rc}/${end})`);
    }
    // The size in pages the file's header gives (offset 28, big-endian; https://www.sqlite.org/fileformat.html):
    // the scratch database must not read its schema back, whose pages the sink did not keep.
    const head = this.contents.head;
    const n = new DataView(head.buffer, head.byteOffset, head.length).getUint32(28);
    if (n * this.pageSize !== this.contents.end || !this.contents.isWhole(n)) {
      throw new Error(`saving the workspace: the file written is incomplete (${n} pages expected, ${this.contents.end} bytes written)`);
    }
    this.finished = true;
    return true;
  }

  /** The file's size; valid once step() has returned true. */
  get finalBytes(): number {
    if (!this.finished) throw new Error('the backup has not finished');
    return this.contents.end;
  }

  close(): void {
    if (this.backup !== 0) this.c.backupFinish(this.backup);
    this.backup = 0;
    this.scratch.close();
  }
}

function handle(d: Database): number {
  return (d as unknown as { db: number }).db;
}

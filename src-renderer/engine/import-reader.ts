// Reading one import: the bytes of one file the user opened, pushed in chunks, become one or
// more sources of records. Containers are opened transparently by content: gzip and zstd are
// unwrapped (zstd-streams.ts: also the collector file exporter's compressed messages), every
// entry of a zip becomes a source of its own. Each source is detected by content
// (detect.ts) and read by its format's streaming reader. Records go to an IngestTarget as rows:
// the store itself (import-job.ts), or, when the import is pipelined across two workers, a port
// to the store in the other worker (parse-core.ts). Nothing here touches the store.

import { Gunzip, Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import type { FormatReader, ImportOptions, ImportSink, SourceCounts, SourceMeta, SourceTally } from '../core/import/types.ts';
import { detectFormat, DETECT_BYTES } from '../core/import/detect.ts';
import { describeError, InputError } from '../core/base/result.ts';
import type { Span, Finding } from '../core/model/trace.ts';
import type { LogRecord } from '../core/model/log.ts';
import type { CatalogEntry } from '../core/model/catalog.ts';
import { toSpanRows, toLogRows, type SpanRows, type LogRows } from '../store/rows.ts';
import { FramedZstd, isFramedZstd, isZstd, ZstdStream } from './zstd-streams.ts';

export interface ImportProgress {
  /** Bytes of the opened file consumed so far (compressed, if it is compressed). */
  bytesRead: number;
  bytesTotal: number | null;
  spans: number;
  logs: number;
  rejected: number;
  /** The source being read (a zip entry's name inside the zip). */
  source: string;
}

export type { SourceMeta } from '../core/import/types.ts';

/** Where the records of an import go, in order: one begin/finish pair per source. */
export interface IngestTarget {
  beginFile(name: string, sizeBytes: number | null): void;
  addSpanRows(rows: SpanRows): void;
  addLogRows(rows: LogRows): void;
  addFindings(findings: Finding[]): void;
  addCatalogEntries(entries: CatalogEntry[]): void;
  finishFile(meta: SourceMeta): void;
}

/** How many rejected-record messages a source keeps; the rest are counted. */
const MAX_MESSAGES = 20;

/**
 * Limits on what compressed input may expand to (a gzip bomb is a small file of a thousand times
 * its size; zips nest). Real trace and log archives expand 5 to 20 times (the demo incident: 14x).
 * Past a limit the import stops with a message and keeps what it had read.
 */
export const ARCHIVE_LIMITS = {
  /** Bytes all the sources of one opened file may hold once decompressed. */
  maxBytes: 16 * 2 ** 30,
  /** Decompressed bytes per compressed byte of the file, checked once past `ratioAfter` bytes. */
  maxRatio: 200,
  ratioAfter: 64 * 2 ** 20,
  /** Archives inside archives (a zip of zips, a .gz in a zip) opened at most this deep. */
  maxNesting: 8,
};

/** Compressed bytes handed to a decompressor at a time: what one push can expand to stays bounded. */
const INFLATE_SLICE = 64 * 1024;

/** Stops an import that went past ARCHIVE_LIMITS (thrown from inside the decompressors). */
class ArchiveLimitError extends Error {}

function mb(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${(n / 2 ** 20).toFixed(1)} MB`;
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Anything that takes the bytes of one stream. */
interface ByteSink {
  push(chunk: Uint8Array): void;
  end(): void;
  /** The container around this stream broke: keep what was read, record why it stops here. */
  abort(message: string): void;
}

/** The plain bytes of one source: detect its format, then feed its reader. */
class SourceReader implements ByteSink, ImportSink {
  private head: Uint8Array = new Uint8Array(0);
  private reader: FormatReader | null = null;
  private format = 'unknown';
  private kind = 'traces';
  private rejected = 0;
  private entries = 0;
  private readonly errors: string[] = [];
  private tallied: SourceCounts | null = null;
  private readonly notes = new Map<string, number>();
  private failed = false;

  constructor(
    private readonly job: ImportReader,
    private readonly name: string,
  ) {}

  private bytes = 0;

  push(chunk: Uint8Array): void {
    // Counted even once this source failed: a bomb of bytes no format reads must stop too.
    this.job.decompressed(chunk.length);
    this.bytes += chunk.length;
    if (this.failed) return;
    if (this.reader) return this.feed(chunk);
    this.head = concat(this.head, chunk);
    if (this.head.length >= DETECT_BYTES) this.start();
  }

  private ended = false;

  end(): void {
    if (this.ended) return; // an aborted source is ended at once; its container may end it again
    this.ended = true;
    if (!this.reader && !this.failed) this.start();
    if (this.reader && !this.failed) {
      try {
        this.reader.end();
      } catch (e) {
        this.fail(e);
      }
    }
    const meta: SourceMeta = { format: this.format, kind: this.kind, rejected: this.rejected, errors: this.errors, bytes: this.bytes };
    if (this.tallied) meta.tally = this.tallied;
    const notes = [...this.notes].map(([note, n]) => note.replace('{n}', String(n)));
    if (this.kind === 'catalog') notes.unshift(`service catalog: ${this.entries} ${this.entries === 1 ? 'entry' : 'entries'}`);
    if (notes.length > 0) meta.notes = notes;
    this.job.finishSource(this, meta);
  }

  private start(): void {
    const head = this.head;
    this.head = new Uint8Array(0);
    this.job.beginSource(this.name, this);
    if (head.length === 0) {
      // An empty file is an empty source, not an error.
      this.format = 'empty';
      this.reader = { push() {}, end() {} };
      return;
    }
    const det = detectFormat(head, this.name, this.job.options.format);
    if (!det.ok) {
      this.failed = true;
      this.errors.push(`${this.name}: ${det.message}`);
      return;
    }
    this.format = det.format.id;
    this.kind = det.format.kind;
    this.reader = det.format.create({ fileName: this.name, sink: this, options: this.job.options });
    this.feed(head);
  }

  private feed(chunk: Uint8Array): void {
    try {
      this.reader!.push(chunk);
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.failWith(e instanceof InputError ? e.describe() : `${this.name}: ${describeError(e)}`);
  }

  abort(message: string): void {
    if (this.ended) return;
    if (!this.reader && !this.failed) {
      if (this.head.length > 0) this.start();
      else this.job.beginSource(this.name, this); // nothing came: not read, rather than an empty file
    }
    this.failWith(message);
    this.end();
  }

  /** Stop reading this source; what it stored so far stays. */
  failWith(message: string): void {
    this.failed = true;
    this.errors.push(message);
  }

  // ImportSink: records go on as rows.
  spans(batch: Span[]): void {
    this.job.target.addSpanRows(toSpanRows(batch));
    this.job.counted(batch.length, 0);
  }

  logs(batch: LogRecord[]): void {
    this.job.target.addLogRows(toLogRows(batch));
    this.job.counted(0, batch.length);
  }

  catalog(entries: CatalogEntry[]): void {
    this.job.target.addCatalogEntries(entries);
    this.entries += entries.length;
  }

  reject(where: { line?: number; offset?: number }, message: string): void {
    this.rejected++;
    this.job.counted(0, 0, 1);
    if (this.errors.length < MAX_MESSAGES) this.errors.push(new InputError(message, { file: this.name, ...where }).describe());
    else if (this.errors.length === MAX_MESSAGES) this.errors.push(`${this.name}: further rejected records are counted, not listed`);
  }

  finding(f: Finding): void {
    this.job.target.addFindings([f]);
  }

  /** Counts add up; a note's `{n}` is replaced by the sum of the counts given with it. Line counts stay null until a tally gives one. */
  tally(counts: Partial<SourceTally>, note?: string): void {
    const t = (this.tallied ??= { lines: null, continuations: null, blank: null, skipped: 0 });
    if (counts.lines !== undefined || counts.continuations !== undefined || counts.blank !== undefined) {
      t.lines = (t.lines ?? 0) + (counts.lines ?? 0);
      t.continuations = (t.continuations ?? 0) + (counts.continuations ?? 0);
      t.blank = (t.blank ?? 0) + (counts.blank ?? 0);
    }
    t.skipped += counts.skipped ?? 0;
    if (note !== undefined) this.notes.set(note, (this.notes.get(note) ?? 0) + (counts.skipped ?? 0));
  }
}

/** Unwraps gzip, zstd and zip by content, recursively, and hands plain streams to SourceReaders. */
class ContainerSniffer implements ByteSink {
  private head: Uint8Array = new Uint8Array(0);
  private inner: ByteSink | null = null;

  constructor(
    private readonly job: ImportReader,
    private readonly name: string,
    /** Containers around this stream. */
    private readonly nesting = 0,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.inner) return this.inner.push(chunk);
    this.head = concat(this.head, chunk);
    if (this.head.length >= 8) this.choose();
  }

  end(): void {
    if (!this.inner) this.choose();
    this.inner!.end();
  }

  abort(message: string): void {
    if (!this.inner) this.choose();
    this.inner!.abort(message);
  }

  private choose(): void {
    const head = this.head;
    this.head = new Uint8Array(0);
    const compressed = isGzip(head) || isZip(head) || isZstd(head) || isFramedZstd(head);
    if (compressed && this.nesting >= ARCHIVE_LIMITS.maxNesting) {
      const src = new SourceReader(this.job, this.name);
      this.inner = src;
      src.abort(`${this.name}: an archive inside ${this.nesting} others is not opened (the limit is ${ARCHIVE_LIMITS.maxNesting} levels)`);
      return;
    }
    if (isGzip(head)) this.inner = new GunzipStream(this.job, this.name.replace(/\.gz$/i, ''), this.nesting + 1);
    else if (isZip(head)) this.inner = new ZipStream(this.job, this.name, this.nesting + 1);
    else if (isZstd(head) || isFramedZstd(head)) this.inner = new ZstdSink(this.job, this.name.replace(/\.zst(d)?$/i, ''), this.nesting + 1, isZstd(head));
    else this.inner = new SourceReader(this.job, this.name);
    if (head.length > 0) this.inner.push(head);
  }
}

class GunzipStream implements ByteSink {
  private readonly gunzip: Gunzip;
  private readonly next: ContainerSniffer;

  constructor(
    job: ImportReader,
    private readonly name: string,
    nesting: number,
  ) {
    this.next = new ContainerSniffer(job, name, nesting);
    this.gunzip = new Gunzip((data) => {
      if (data.length > 0) this.next.push(data);
    });
  }

  push(chunk: Uint8Array): void {
    for (let o = 0; o < chunk.length; o += INFLATE_SLICE) this.gunzip.push(chunk.subarray(o, o + INFLATE_SLICE), false);
  }

  end(): void {
    try {
      this.gunzip.push(new Uint8Array(0), true);
    } catch (e) {
      return this.next.abort(`${this.name}: the gzip stream is truncated or corrupt (${describeError(e)}); kept what came before`);
    }
    this.next.end();
  }

  abort(message: string): void {
    this.next.abort(message);
  }
}

/** A zstd stream, or the collector file exporter's zstd messages behind their lengths. */
class ZstdSink implements ByteSink {
  private readonly z: ZstdStream | FramedZstd;
  private readonly next: ContainerSniffer;

  constructor(
    job: ImportReader,
    private readonly name: string,
    nesting: number,
    whole: boolean,
  ) {
    this.next = new ContainerSniffer(job, name, nesting);
    const onData = (data: Uint8Array) => this.next.push(data);
    this.z = whole ? new ZstdStream(onData) : new FramedZstd(onData);
  }

  push(chunk: Uint8Array): void {
    try {
      this.z.push(chunk);
    } catch (e) {
      if (e instanceof ArchiveLimitError) throw e;
      throw new InputError(`${(e as Error).message}; kept what came before`, { file: this.name });
    }
  }

  end(): void {
    try {
      this.z.end();
    } catch (e) {
      return this.next.abort(`${this.name}: ${(e as Error).message}; kept what came before`);
    }
    this.next.end();
  }

  abort(message: string): void {
    this.next.abort(message);
  }
}

class ZipStream implements ByteSink {
  private readonly unzip: Unzip;
  /** The entry being read, until its last byte. */
  private current: ContainerSniffer | null = null;

  constructor(
    private readonly job: ImportReader,
    private readonly zipName: string,
    nesting: number,
  ) {
    this.unzip = new Unzip((file: UnzipFile) => {
      this.entries++;
      if (file.name.endsWith('/')) return; // a directory
      // The entry's name only labels its source: nothing is ever written under it.
      const sink = new ContainerSniffer(job, `${zipName}/${file.name}`, nesting);
      this.current = sink;
      file.ondata = (err, data, final) => {
        if (err) throw new InputError(`zip entry ${file.name}: ${err.message}`, { file: zipName });
        if (data.length > 0) sink.push(data);
        if (final) {
          this.current = null;
          sink.end();
        }
      };
      file.start();
    });
    this.unzip.register(UnzipInflate);
  }

  push(chunk: Uint8Array): void {
    for (let o = 0; o < chunk.length; o += INFLATE_SLICE) this.unzip.push(chunk.subarray(o, o + INFLATE_SLICE), false);
  }

  /** Entries whose header was read (directories too). */
  private entries = 0;

  end(): void {
    this.unzip.push(new Uint8Array(0), true);
    if (this.current) this.abort(`${this.zipName}: the zip ends inside an entry; kept what came before`);
    // A zip cut inside its first header yields no entry at all: say so rather than show nothing.
    else if (this.entries === 0) this.abort(`${this.zipName}: no entry of the zip could be read (cut short, or not a zip)`);
  }

  abort(message: string): void {
    const open = this.current;
    this.current = null;
    if (open) open.abort(message);
    else new SourceReader(this.job, this.zipName).abort(message);
  }
}

export class ImportReader {
  private readonly root: ContainerSniffer;
  private readonly progress: ImportProgress;
  private done = false;

  constructor(
    readonly target: IngestTarget,
    readonly fileName: string,
    bytesTotal: number | null,
    readonly options: ImportOptions = {},
  ) {
    this.progress = { bytesRead: 0, bytesTotal, spans: 0, logs: 0, rejected: 0, source: fileName };
    this.root = new ContainerSniffer(this, fileName);
  }

  /** Feed the next chunk of the file. Errors in the data are recorded on the source, not thrown. */
  push(chunk: Uint8Array): ImportProgress {
    if (this.done) throw new Error('import already finished');
    this.progress.bytesRead += chunk.length;
    if (this.broken) return { ...this.progress };
    try {
      // Compressed bytes are counted as they are handed on, so the ratio is measured exactly.
      for (let o = 0; o < chunk.length; o += INFLATE_SLICE) {
        const piece = chunk.subarray(o, o + INFLATE_SLICE);
        this.consumed += piece.length;
        this.root.push(piece);
      }
    } catch (e) {
      this.containerError(e);
    }
    return { ...this.progress };
  }

  /** Bytes of the opened file handed on so far, and plain bytes that came out of them. */
  private consumed = 0;
  private plain = 0;

  /** A source received `n` plain bytes: stop when the file expands past ARCHIVE_LIMITS. */
  decompressed(n: number): void {
    this.plain += n;
    if (this.plain <= this.consumed) return; // not compressed (or not yet expanding)
    const L = ARCHIVE_LIMITS;
    const ratio = this.plain / Math.max(1, this.consumed);
    let why: string | null = null;
    if (this.plain > L.maxBytes) why = `it expands past ${mb(L.maxBytes)}, the limit for one file`;
    else if (this.plain > L.ratioAfter && ratio > L.maxRatio) why = `it expands over ${Math.floor(ratio)} times its size (${mb(this.consumed)} to ${mb(this.plain)}), past the limit of ${L.maxRatio} (a compression bomb?)`;
    if (why) throw new ArchiveLimitError(`${this.fileName}: stopped reading: ${why}; kept what came before`);
  }

  /** The file is complete: flush the readers; every source is finished on the target. */
  end(): void {
    if (this.done) return;
    this.done = true;
    if (this.broken) return;
    try {
      this.root.end();
    } catch (e) {
      this.containerError(e);
    }
  }

  /** A broken gzip or zip container: the source being read keeps what it had; the rest is ignored. */
  private containerError(e: unknown): void {
    this.broken = true;
    const msg =
      e instanceof InputError ? e.describe() : e instanceof ArchiveLimitError ? e.message : `${this.fileName}: ${describeError(e)} (compressed input, after ${this.progress.bytesRead} bytes)`;
    this.root.abort(msg);
  }

  // ---- called by SourceReader
  private openSource: SourceReader | null = null;
  private broken = false;

  beginSource(name: string, src: SourceReader): void {
    this.target.beginFile(name, name === this.fileName ? this.progress.bytesTotal : null);
    this.openSource = src;
    this.progress.source = name;
  }

  finishSource(src: SourceReader, meta: SourceMeta): void {
    if (this.openSource !== src) this.beginSource(this.progress.source, src);
    this.openSource = null;
    this.target.finishFile(meta);
  }

  counted(spans: number, logs: number, rejected = 0): void {
    this.progress.spans += spans;
    this.progress.logs += logs;
    this.progress.rejected += rejected;
  }
}

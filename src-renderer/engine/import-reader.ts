// Reading one import: the bytes of one file the user opened, pushed in chunks, become one or
// more sources of records. Containers are opened transparently by content (containers.ts: gzip,
// zstd, every entry of a zip a source of its own). Each source is detected by content
// (detect.ts) and read by its format's streaming reader. Records go to an IngestTarget as rows:
// the store itself (import-job.ts), or, when the import is pipelined across two workers, a port
// to the store in the other worker (parse-core.ts). Nothing here touches the store.

import type { FormatReader, ImportOptions, ImportSink, SourceCounts, SourceMeta, SourceTally } from '../core/import/types.ts';
import { detectFormat, DETECT_BYTES } from '../core/import/detect.ts';
import { describeError, InputError } from '../core/base/result.ts';
import type { Span, Finding } from '../core/model/trace.ts';
import type { LogRecord } from '../core/model/log.ts';
import type { CatalogEntry } from '../core/model/catalog.ts';
import { toSpanRows, toLogRows, type SpanRows, type LogRows } from '../store/rows.ts';
import { ARCHIVE_LIMITS, ArchiveLimitError, ContainerSniffer, INFLATE_SLICE, concat, type ByteSink, type Sources } from './containers.ts';

export { ARCHIVE_LIMITS } from './containers.ts';

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

function mb(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${(n / 2 ** 20).toFixed(1)} MB`;
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
export class ImportReader implements Sources {
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

  /** A source of records for the plain bytes of a stream (the file itself, or what a container holds). */
  source(name: string): ByteSink {
    return new SourceReader(this, name);
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

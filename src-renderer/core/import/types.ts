// The contract between the byte stream of one source and the store. A format's reader is fed
// decompressed bytes in chunks and hands canonical records to the sink as it goes, so a file of
// any size imports in bounded memory. detect.ts picks the reader by content.

import type { Span, Finding } from '../model/trace.ts';
import type { LogRecord } from '../model/log.ts';
import type { CatalogEntry } from '../model/catalog.ts';

export type SourceKind = 'traces' | 'logs' | 'catalog';

/** Where canonical records go. Batches may be any size; the sink decides when to write. */
export interface ImportSink {
  spans(batch: Span[]): void;
  logs(batch: LogRecord[]): void;
  /** Service catalog entries (catalog files). */
  catalog(entries: CatalogEntry[]): void;
  /** A record that could not be read: it is counted and reported, and the rest of the file goes on. */
  reject(where: { line?: number; offset?: number }, message: string): void;
  /** A finding about the data (e.g. a Jaeger "warnings" entry, a span without a duration). */
  finding(f: Finding): void;
  /**
   * What the source held besides records, so that "nothing dropped" can be checked: for line-based
   * sources, lines = records + continuations + rejected + blank. `skipped` counts items left out on
   * purpose (e.g. metric data points in an OTLP file), each kind with a note for the report
   * ("metrics skipped: 12 data points"). Called any number of times; counts add up.
   */
  tally(counts: Partial<SourceTally>, note?: string): void;
}

/**
 * What a source's tally came to, in reports and the files table: as SourceTally, but the line
 * counts are null for a source not read line by line (no tally gave any of them).
 */
export interface SourceCounts {
  lines: number | null;
  continuations: number | null;
  blank: number | null;
  skipped: number;
}

/** The counts a reader reports through ImportSink.tally. */
export interface SourceTally {
  /** Physical lines read (line-based sources). */
  lines: number;
  /** Lines folded into the record above (stack frames, PostgreSQL DETAIL, multi-line CSV fields). */
  continuations: number;
  /** Empty or whitespace-only lines. */
  blank: number;
  /** Items left out on purpose, not rejected (metric data points). */
  skipped: number;
}

/** Reads one format incrementally. `push` is called with consecutive chunks; `end` once at the end. */
export interface FormatReader {
  push(chunk: Uint8Array): void;
  /** Flush what is buffered. Throws an InputError when the input is truncated or malformed. */
  end(): void;
  /** Decompressed bytes consumed so far (for offsets in errors and progress). */
  readonly bytesRead?: number;
}

export interface FormatContext {
  fileName: string;
  sink: ImportSink;
  /** Per-file options set by the user (e.g. a log time zone, a forced log format, the file's service). */
  options?: ImportOptions;
}

export interface ImportOptions {
  /** Force a format id instead of detecting. */
  format?: string;
  /** IANA zone or "+02:00" for log timestamps without an offset. */
  timeZone?: string;
  /** Service to assume for log lines that do not name one. */
  service?: string;
  /** Extra field names that hold a trace id / span id in logs. */
  traceIdFields?: string[];
  spanIdFields?: string[];
}

export interface FormatDef {
  /** Stable id, e.g. "otlp-json", "jaeger-json", "zipkin-v2", "logs-jsonl". */
  id: string;
  /** For people: "OTLP/JSON", "Zipkin v2 JSON". */
  label: string;
  kind: SourceKind;
  /**
   * Score how well the start of the input matches, 0 (no) to 1 (certain). `head` is the first
   * bytes (up to 64 KiB) and `text` the same decoded as UTF-8. The file name is only a hint.
   */
  detect(head: Uint8Array, text: string, fileName: string): number;
  create(ctx: FormatContext): FormatReader;
}

/** What one source held, as the import report and `tracedeck import --json` show it. */
export interface SourceReport {
  /** The source's row in the store's files table. */
  fileId?: number;
  file: string;
  format: string;
  traces: number;
  spans: number;
  logs: number;
  rejected: number;
  errors: string[];
  /** Log sources: how many lines joined to a span exactly / by inference. */
  correlated?: { exact: number; inferred: number };
  /** Counts from ImportSink.tally (absent where the reader reported none). */
  tally?: SourceCounts;
  /** Notes that are not errors, e.g. "metrics skipped: 12 data points", "read as plain text". */
  notes?: string[];
  /** Spans already stored by an earlier source (same trace, span id, start and duration): counted, not stored again. */
  duplicates?: number;
  /** Service catalog entries stored (a catalog file). */
  entries?: number;
}

/** What a reader says of a source once read, besides its records (the store adds what it stored). */
export interface SourceMeta {
  format: string;
  kind: string;
  rejected: number;
  errors: string[];
  tally?: SourceCounts;
  notes?: string[];
  /** Plain bytes read from the source (an archive member's uncompressed size). */
  bytes?: number;
}

/**
 * Run one step of a reader (a chunk, the end). On a fault, `deliver` first hands the sink every
 * record read before it, then the error goes on: the import reports it beside what was kept.
 */
export function deliverOnFault(step: () => void, deliver: () => void): void {
  try {
    step();
  } catch (e) {
    deliver();
    throw e;
  }
}

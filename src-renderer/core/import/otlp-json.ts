// OTLP/JSON: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#json-protobuf-encoding
// Reads Export{Trace,Logs,Metrics}ServiceRequest documents, or the collector file exporter's JSON
// lines (one request per line), each request for what it holds: resourceSpans become spans
// (otlp-convert.ts), resourceLogs log records (otlp-logs-convert.ts), and resourceMetrics are
// counted, not imported: "metrics skipped: N data points" (otlp-metrics.ts). One exporter on
// several pipelines interleaves all three in one file, in any order, so the kind of each request
// is read from the request itself, never from the first one. Supports scopeSpans/scopeLogs and
// the older instrumentationLibrary* names, all AnyValue kinds, events, links, status and kind;
// ignores unknown fields, as the spec asks.
//
// Which of the two the file is: if the first non-blank line is a whole JSON object, JSON lines;
// otherwise (a pretty-printed document, or a first line too long to buffer) it streams record
// by record through json-scan.ts, so it may be larger than a JavaScript string can hold. When the
// scanned root value ends on the first line and a newline follows, the rest is JSON lines after
// all (a metrics line of megabytes first), and is read line by line. In JSON lines a line that
// cannot be read rejects that line only, and a record that cannot be read that record only; a
// value that cannot be read exactly is kept as written, with a finding (ValueNotes).

import { deliverOnFault, type FormatDef, type FormatReader, type FormatContext } from './types.ts';
import type { Scope, Span } from '../model/trace.ts';
import type { LogRecord } from '../model/log.ts';
import { parseExact, InexactNumberError } from '../base/json.ts';
import { LineSplitter, LineCounter } from './lines.ts';
import { JsonRecordScanner } from './json-scan.ts';
import {
  convertOtlpResource, convertOtlpScope, convertOtlpSpan, forEachOtlpSpan, OtlpResourceCache, ValueNotes, type OtlpResourceInfo, type OtlpSpan,
  type OtlpTraceRequest,
} from './otlp-convert.ts';
import { convertOtlpLogRecord, forEachOtlpLogRecord, type OtlpLogRecord, type OtlpResourceLogs } from './otlp-logs-convert.ts';
import { countMetricDataPoints, countResourceMetricsDataPoints, METRICS_SKIPPED_NOTE, type OtlpMetric, type OtlpResourceMetrics } from './otlp-metrics.ts';

export * from './otlp-convert.ts';

/** Bytes looked at to find the first line; past this without a newline the scanner reads on. */
const SNIFF_MAX = 1 << 20;
const BATCH = 1000;
/** Records held while their ResourceSpans/ResourceLogs has not shown its resource yet (writers put it first). */
const PENDING_MAX = 50_000;

const EMPTY_SCOPE: Scope = { name: '', version: '' };

/** Where a record came from, for rejects and findings. */
type Where = { line?: number; offset?: number };

/** The records of one request (a JSON line), emitted only once the whole request was read. */
interface RequestRecords {
  spans: Span[];
  logs: LogRecord[];
  rejects: string[];
  findings: { traceId: string | null; spanId: string | null; message: string }[];
  /** Metric data points, or null when the request holds no metrics. */
  dataPoints: number | null;
  known: boolean;
}

class OtlpJsonReader implements FormatReader {
  private mode: 'sniff' | 'lines' | 'scan' = 'sniff';
  private sniffParts: Uint8Array[] = [];
  private sniffLen = 0;
  private sniffContent = false;
  private lines: LineSplitter | null = null;
  private scanner: JsonRecordScanner | null = null;
  /** Scan mode: the line each log record starts on (records are found by byte offset). */
  private readonly lineOf = new LineCounter();
  private spanBatch: Span[] = [];
  private logBatch: LogRecord[] = [];
  private consumed = 0;
  private readonly resources = new OtlpResourceCache();
  private readonly notes = new ValueNotes();
  /** The service of log records whose resource names none (the user's choice for the file). */
  private readonly service: string | null;
  // JSON lines: lines read, blank ones, and lines read before the splitter took over (by the scanner).
  private lineCount = 0;
  private blankLines = 0;
  private lineBase = 0;
  // Scan mode: whether it may still hand over to JSON lines (no newline read yet), and whether
  // the first root ended and the newline that would end its line is awaited.
  private switchable = true;
  private afterRoot = false;
  // Scan mode: the resource and scope being read, records waiting for their resource.
  private res: OtlpResourceInfo | null = null;
  private scope: Scope = EMPTY_SCOPE;
  private pending: { log: boolean; value: unknown; scope: Scope; offset: number; line: number }[] = [];
  private rootHasData = false;
  private rootOffset = 0;

  constructor(private readonly ctx: FormatContext) {
    this.service = ctx.options?.service?.trim() || null;
  }

  get bytesRead(): number {
    return this.scanner && this.mode === 'scan' ? this.scanner.bytesRead : this.consumed;
  }

  push(chunk: Uint8Array): void {
    if (this.mode === 'sniff') {
      // The caller may reuse its buffer once push returns: keep a copy.
      this.sniffParts.push(chunk.slice());
      this.sniffLen += chunk.length;
      // Only the new chunk is looked at: a first line of megabytes comes in thousands of chunks.
      const seen = firstLineEnd(chunk, this.sniffContent);
      this.sniffContent = seen.content;
      if (this.sniffLen >= SNIFF_MAX || seen.ended) this.decide(false);
      return;
    }
    this.feed(chunk);
  }

  end(): void {
    if (this.mode === 'sniff') this.decide(true);
    if (this.lines) {
      this.lines.end();
      this.ctx.sink.tally({ lines: this.lineCount, blank: this.blankLines });
    } else if (this.scanner) this.guard(() => this.scanner!.end());
    this.deliver();
  }

  private decide(atEnd: boolean): void {
    const buf = concat(this.sniffParts);
    this.sniffParts = [];
    let a = 0;
    while (a < buf.length && (buf[a] === 0x20 || buf[a] === 0x0a || buf[a] === 0x0d || buf[a] === 0x09 || buf[a] === 0xef || buf[a] === 0xbb || buf[a] === 0xbf)) a++;
    let nl = buf.indexOf(0x0a, a);
    if (nl < 0 && atEnd) nl = buf.length;
    let isLines = false;
    if (nl >= 0) {
      try {
        const first = parseExact<unknown>(new TextDecoder().decode(buf.subarray(a, nl)));
        isLines = typeof first === 'object' && first !== null && !Array.isArray(first);
      } catch {
        isLines = false;
      }
    }
    if (isLines) this.startLines();
    else {
      this.mode = 'scan';
      this.scanner = this.makeScanner();
      // A first root value that ends on the line it starts on may be the first of JSON lines.
      let blank = 0;
      for (let i = buf.indexOf(0x0a); i >= 0 && i < a; i = buf.indexOf(0x0a, i + 1)) blank++;
      this.blankLines = blank;
      this.lineBase = blank + 1;
      this.scanner.stopAtRootEnd = true;
    }
    this.feed(buf);
  }

  private startLines(): void {
    this.mode = 'lines';
    this.lines = new LineSplitter((l) => this.onLine(l.text, this.lineBase + l.line));
  }

  private feed(chunk: Uint8Array): void {
    this.consumed += chunk.length;
    if (this.mode === 'lines') {
      this.lines!.push(chunk);
      this.flush();
    } else {
      this.lineOf.push(chunk);
      this.guard(() => this.scan(chunk));
    }
  }

  /** Scan mode: read the chunk with the scanner, handing over to JSON lines once the first root ends its line. */
  private scan(chunk: Uint8Array): void {
    let rest = chunk;
    while (rest.length > 0) {
      if (this.afterRoot) {
        // After the first root value: blanks up to a newline, and the rest is JSON lines.
        let i = 0;
        while (i < rest.length && (rest[i] === 0x20 || rest[i] === 0x09 || rest[i] === 0x0d)) i++;
        if (i === rest.length) return;
        this.afterRoot = false;
        if (rest[i] === 0x0a) {
          this.lineCount = this.lineBase;
          this.startLines();
          this.lines!.push(rest.subarray(i + 1));
          return;
        }
        this.stopSwitching(); // two roots on one line: a stream of documents, scanned to the end
      }
      const used = this.scanner!.push(rest);
      const read = rest.subarray(0, used);
      rest = rest.subarray(used);
      if (!this.switchable) continue;
      if (read.indexOf(0x0a) >= 0) this.stopSwitching();
      else if (this.scanner!.roots > 0) this.afterRoot = true; // stopped where the first root ends, still on its first line
    }
  }

  private stopSwitching(): void {
    this.switchable = false;
    this.scanner!.stopAtRootEnd = false;
  }

  private guard(fn: () => void): void {
    deliverOnFault(fn, () => this.deliver());
    this.flush();
  }

  /** Every record read so far, to the sink. */
  private deliver(): void {
    this.flushPending();
    this.flush();
  }

  // ------------------------------------------------------------------ JSON lines

  // A line is parsed with plain JSON.parse, which is much faster than parseExact; should a
  // number in it need more than 53 bits, its conversion throws InexactNumberError before anything
  // of the line is kept, and the line is parsed again exactly.
  private onLine(text: string, line: number): void {
    this.lineCount = line;
    const t = text.trim();
    if (t === '') {
      this.blankLines++;
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(this.resources.cut(t)); // resources seen before are not parsed again
    } catch {
      // Read the line as written: its error names the place in it, and should the cut ever have
      // broken a line, the line is still read.
      try {
        doc = JSON.parse(t);
      } catch (e) {
        this.ctx.sink.reject({ line }, `invalid JSON: ${(e as Error).message}`);
        return;
      }
    }
    let read: RequestRecords;
    try {
      try {
        this.notes.exact = false;
        read = this.readRequest(doc, line);
      } catch (e) {
        if (!(e instanceof InexactNumberError)) throw e;
        this.notes.exact = true;
        this.notes.take();
        read = this.readRequest(parseExact(t), line);
      }
    } catch (e) {
      // e.g. a resource whose attributes cannot be read: a broken line rejects that line only.
      this.notes.take();
      this.ctx.sink.reject({ line }, `unreadable request: ${(e as Error).message}`);
      return;
    }
    if (!read.known) this.ctx.sink.reject({ line }, 'not an OTLP request (no "resourceSpans", "resourceLogs" or "resourceMetrics")');
    for (const m of read.rejects) this.ctx.sink.reject({ line }, m);
    for (const f of read.findings) this.finding(f.traceId, f.spanId, f.message, { line });
    if (read.dataPoints !== null) this.ctx.sink.tally({ skipped: read.dataPoints }, METRICS_SKIPPED_NOTE);
    if (read.logs.length > 0) this.addLogs(read.logs);
    for (const s of read.spans) {
      this.spanBatch.push(s);
      if (this.spanBatch.length >= BATCH) this.flush();
    }
  }

  /** The records of one request. Throws InexactNumberError (only) if it needs an exact parse. */
  private readRequest(doc: unknown, line: number): RequestRecords {
    const out: RequestRecords = { spans: [], logs: [], rejects: [], findings: [], dataPoints: null, known: false };
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      out.known = true;
      out.rejects.push('not an OTLP request object');
      return out;
    }
    const d = doc as Record<string, unknown>;
    const notes = this.notes;
    const noted = (traceId: string | null, spanId: string | null) => {
      for (const message of notes.take()) out.findings.push({ traceId, spanId, message });
    };
    if (Array.isArray(d.resourceSpans)) {
      out.known = true;
      forEachOtlpSpan(d as OtlpTraceRequest, (s, res, scope) => {
        noted(null, null); // the resource's
        try {
          const span = convertOtlpSpan(s, res, scope, notes);
          out.spans.push(span);
          noted(span.traceId, span.spanId);
        } catch (e) {
          if (e instanceof InexactNumberError) throw e;
          notes.take();
          out.rejects.push((e as Error).message);
        }
      }, this.resources, notes, (message) => out.rejects.push(message));
    }
    if (Array.isArray(d.resourceLogs)) {
      out.known = true;
      for (const [i, rl] of (d.resourceLogs as OtlpResourceLogs[]).entries()) {
        try {
          forEachOtlpLogRecord(rl, (r, res, scope) => {
            noted(null, null);
            try {
              const rec = convertOtlpLogRecord(r, res, scope, line, this.service, notes);
              out.logs.push(rec);
              noted(rec.traceId, rec.spanId);
            } catch (e) {
              if (e instanceof InexactNumberError) throw e;
              notes.take();
              out.rejects.push(`unreadable log record: ${(e as Error).message}`);
            }
          }, this.resources, notes, (message) => out.rejects.push(`resourceLogs[${i}].${message}`));
        } catch (e) {
          if (e instanceof InexactNumberError) throw e;
          out.rejects.push(`unreadable resourceLogs[${i}]: ${(e as Error).message}`);
        }
      }
    }
    if (Array.isArray(d.resourceMetrics)) {
      out.known = true;
      out.dataPoints = 0;
      for (const rm of d.resourceMetrics as OtlpResourceMetrics[]) out.dataPoints += countResourceMetricsDataPoints(rm);
    }
    return out;
  }

  // ------------------------------------------------------------------ one streamed document

  // Records are spans, log records and metrics; contexts the resource and scope of spans and logs;
  // scopes reset them. Record, context and scope indexes below are positions in these lists.
  private makeScanner(): JsonRecordScanner {
    return new JsonRecordScanner(
      {
        records: [
          'resourceSpans.[].scopeSpans|instrumentationLibrarySpans.[].spans.[]',
          'resourceLogs.[].scopeLogs|instrumentationLibraryLogs.[].logRecords.[]',
          'resourceMetrics.[].scopeMetrics|instrumentationLibraryMetrics.[].metrics.[]',
        ],
        contexts: [
          'resourceSpans|resourceLogs.[].resource',
          'resourceSpans|resourceLogs.[].scopeSpans|instrumentationLibrarySpans|scopeLogs|instrumentationLibraryLogs.[].scope|instrumentationLibrary',
        ],
        scopes: [
          'resourceSpans|resourceLogs.[]',
          'resourceSpans|resourceLogs.[].scopeSpans|instrumentationLibrarySpans|scopeLogs|instrumentationLibraryLogs.[]',
          '',
          'resourceSpans|resourceLogs|resourceMetrics',
        ],
      },
      {
        record: (which, value, offset) => {
          if (which === 2) {
            this.ctx.sink.tally({ skipped: countMetricDataPoints(value as OtlpMetric) }, METRICS_SKIPPED_NOTE);
            return;
          }
          const line = which === 1 ? this.lineOf.lineAt(offset) : 0;
          if (this.res === null && this.pending.length < PENDING_MAX) this.pending.push({ log: which === 1, value, scope: this.scope, offset, line });
          else this.convert(which === 1, value, this.res ?? this.resourceOf(undefined, offset), this.scope, offset, line);
        },
        context: (which, _key, value, offset) => {
          try {
            if (which === 0) {
              this.res = this.resourceOf(value as { attributes?: [] }, offset);
              this.flushPending();
            } else this.scope = convertOtlpScope(value as { name?: string });
          } catch (e) {
            this.ctx.sink.reject({ offset }, `unreadable ${which === 0 ? 'resource' : 'scope'}: ${(e as Error).message}`);
          }
        },
        open: (which, offset) => {
          if (which === 0) this.res = null;
          else if (which === 1) this.scope = EMPTY_SCOPE;
          else if (which === 2) {
            this.rootHasData = false;
            this.rootOffset = offset;
          } else this.rootHasData = true;
        },
        close: (which) => {
          if (which === 0) {
            this.flushPending();
            this.res = null;
          } else if (which === 2 && !this.rootHasData) {
            this.ctx.sink.reject({ offset: this.rootOffset }, 'not an OTLP request (no "resourceSpans", "resourceLogs" or "resourceMetrics")');
          }
        },
        invalid: (offset, message) => this.ctx.sink.reject({ offset }, message),
      },
      this.ctx.fileName,
    );
  }

  /** A resource of the streamed document; the scanner parsed it exactly where it needed to. */
  private resourceOf(r: { attributes?: [] } | undefined, offset: number): OtlpResourceInfo {
    this.notes.exact = true;
    const info = convertOtlpResource(r, this.notes);
    for (const message of this.notes.take()) this.finding(null, null, message, { offset });
    return info;
  }

  private flushPending(): void {
    const p = this.pending;
    if (p.length === 0) return;
    this.pending = [];
    const res = this.res ?? this.resourceOf(undefined, p[0].offset);
    for (const x of p) this.convert(x.log, x.value, res, x.scope, x.offset, x.line);
  }

  /** One span or log record (starting on `line`) of the streamed document (parsed exactly where it needed to be). */
  private convert(log: boolean, value: unknown, res: OtlpResourceInfo, scope: Scope, offset: number, line: number): void {
    this.notes.exact = true;
    try {
      if (log) {
        const rec = convertOtlpLogRecord(value as OtlpLogRecord, res, scope, line, this.service, this.notes);
        for (const message of this.notes.take()) this.finding(rec.traceId, rec.spanId, message, { offset });
        this.addLogs([rec]);
      } else {
        const span = convertOtlpSpan(value as OtlpSpan, res, scope, this.notes);
        for (const message of this.notes.take()) this.finding(span.traceId, span.spanId, message, { offset });
        this.spanBatch.push(span);
        if (this.spanBatch.length >= BATCH) this.flush();
      }
    } catch (e) {
      this.notes.take();
      this.ctx.sink.reject({ offset }, log ? `unreadable log record: ${(e as Error).message}` : (e as Error).message);
    }
  }

  // ------------------------------------------------------------------ shared

  private finding(traceId: string | null, spanId: string | null, message: string, where: Where): void {
    const at = where.line !== undefined ? `line ${where.line}` : `byte ${where.offset}`;
    this.ctx.sink.finding({ kind: 'inexact_value', traceId, spanId, message: `${this.ctx.fileName}, ${at}: ${message}` });
  }

  private addLogs(logs: LogRecord[]): void {
    for (const l of logs) this.logBatch.push(l);
    if (this.logBatch.length >= BATCH) this.flushLogs();
  }

  private flushLogs(): void {
    if (this.logBatch.length === 0) return;
    const b = this.logBatch;
    this.logBatch = [];
    this.ctx.sink.logs(b);
  }

  private flush(): void {
    this.flushLogs();
    if (this.spanBatch.length === 0) return;
    const b = this.spanBatch;
    this.spanBatch = [];
    this.ctx.sink.spans(b);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Whether `b` ends the first line (a newline after some non-blank content), given whether content came before it. */
function firstLineEnd(b: Uint8Array, content: boolean): { ended: boolean; content: boolean } {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x0a) {
      if (content) return { ended: true, content };
    } else if (c !== 0x20 && c !== 0x0d && c !== 0x09) content = true;
  }
  return { ended: false, content };
}

type Signal = 'resourceSpans' | 'resourceLogs' | 'resourceMetrics';

/**
 * The signal of the first OTLP request in the head, and how sure that is: 1 when the text opens
 * with it (a request document, or the file exporter's first line), 0.8 when it appears later in
 * the head (a wrapper around it, or keys in another order).
 */
function firstSignal(text: string): { signal: Signal; score: number } | null {
  const open = /^\s*\{\s*"(resourceSpans|resourceLogs|resourceMetrics)"\s*:/.exec(text);
  if (open) return { signal: open[1] as Signal, score: 1 };
  const later = /"(resourceSpans|resourceLogs|resourceMetrics)"\s*:\s*\[/.exec(text.slice(0, 65536));
  return later ? { signal: later[1] as Signal, score: 0.8 } : null;
}

/** An OTLP/JSON format claiming files whose first request holds one of `signals`; every one reads all signals. */
function otlpJsonFormat(id: string, label: string, kind: 'traces' | 'logs', signals: readonly Signal[]): FormatDef {
  return {
    id,
    label,
    kind,
    detect(_head, text) {
      const s = firstSignal(text);
      return s && signals.includes(s.signal) ? s.score : 0;
    },
    create(ctx) {
      return new OtlpJsonReader(ctx);
    },
  };
}

/** OTLP/JSON whose first request holds traces (or metrics, which are skipped); the reader takes every request for what it holds. */
export const OTLP_JSON = otlpJsonFormat('otlp-json', 'OTLP/JSON traces (with logs and metrics)', 'traces', ['resourceSpans', 'resourceMetrics']);
/** The same reader, for files whose first request holds logs. */
export const LOGS_OTLP_JSON = otlpJsonFormat('logs-otlp-json', 'OTLP/JSON logs', 'logs', ['resourceLogs']);

// OTLP/JSON traces: https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#json-protobuf-encoding
// Reads an ExportTraceServiceRequest document, or the collector file exporter's JSON lines (one
// request per line). Supports resourceSpans/scopeSpans and the older instrumentationLibrarySpans,
// all AnyValue kinds, events, links, status and kind; ignores unknown fields, as the spec asks.
// Field mapping in otlp-convert.ts. Which of the two it is: if the first non-blank line is a whole
// JSON object, the file is JSON lines; otherwise (a pretty-printed or huge one-line document) it
// streams span by span through json-scan.ts, so it may be larger than a JavaScript string can hold.
// In JSON lines a broken line rejects that line only. The file exporter may mix traces and logs:
// resourceLogs go to the sink as logs (otlp-json-logs.ts); resourceMetrics are rejected, saying so.

import type { FormatDef, FormatReader, FormatContext } from './types.ts';
import type { Scope, Span } from '../model/trace.ts';
import { parseExact, InexactNumberError } from '../base/json.ts';
import type { LogRecord } from '../model/log.ts';
import { LineSplitter, LineCounter } from './lines.ts';
import { JsonRecordScanner } from './json-scan.ts';
import {
  convertOtlpResource, convertOtlpScope, convertOtlpSpan, forEachOtlpSpan, OtlpResourceCache, type OtlpResourceInfo, type OtlpSpan, type OtlpTraceRequest,
} from './otlp-convert.ts';
import { convertOtlpResourceLogs, type OtlpResourceLogs } from './otlp-json-logs.ts';

export * from './otlp-convert.ts';

/** Bytes looked at to find the first line; past this without a newline it is one big document. */
const SNIFF_MAX = 1 << 20;
const BATCH = 1000;
/** Spans held while their ResourceSpans has not shown its resource yet (writers put it first). */
const PENDING_MAX = 50_000;

const EMPTY_SCOPE: Scope = { name: '', version: '' };

class OtlpJsonReader implements FormatReader {
  private mode: 'sniff' | 'lines' | 'scan' = 'sniff';
  private sniffParts: Uint8Array[] = [];
  private sniffLen = 0;
  private lines: LineSplitter | null = null;
  private scanner: JsonRecordScanner | null = null;
  /** Scan mode: the line each log record starts on (records are found by byte offset). */
  private readonly lineOf = new LineCounter();
  private batch: Span[] = [];
  private consumed = 0;
  // Scan mode: the ResourceSpans and ScopeSpans being read.
  private res: OtlpResourceInfo | null = null;
  private scope: Scope = EMPTY_SCOPE;
  private pending: { s: OtlpSpan; scope: Scope; offset: number }[] = [];
  private rootHasData = false;
  private rootOffset = 0;
  private readonly resources = new OtlpResourceCache();
  private lineCount = 0;
  private blankLines = 0;

  constructor(private readonly ctx: FormatContext) {}

  get bytesRead(): number {
    return this.scanner ? this.scanner.bytesRead : this.consumed;
  }

  push(chunk: Uint8Array): void {
    if (this.mode === 'sniff') {
      this.sniffParts.push(chunk);
      this.sniffLen += chunk.length;
      if (this.sniffLen >= SNIFF_MAX || hasFirstLine(this.sniffParts)) this.decide(false);
      return;
    }
    this.feed(chunk);
  }

  end(): void {
    if (this.mode === 'sniff') this.decide(true);
    if (this.lines) {
      this.lines.end();
      this.ctx.sink.tally({ lines: this.lineCount, blank: this.blankLines });
    }
    if (this.scanner) this.guard(() => this.scanner!.end());
    this.flushPending();
    this.flush();
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
    if (isLines) {
      this.mode = 'lines';
      this.lines = new LineSplitter((l) => this.onLine(l.text, l.line));
    } else {
      this.mode = 'scan';
      this.scanner = this.makeScanner();
    }
    this.feed(buf);
  }

  private feed(chunk: Uint8Array): void {
    this.consumed += chunk.length;
    if (this.lines) {
      this.lines.push(chunk);
      this.flush();
    } else {
      this.lineOf.push(chunk);
      this.guard(() => this.scanner!.push(chunk));
    }
  }

  /** On a fault, everything read before it still reaches the sink, then the error goes on. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.flushPending();
      this.flush();
      throw e;
    }
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
    let read: LineRecords;
    try {
      try {
        read = readLine(doc, line, this.resources);
      } catch (e) {
        if (!(e instanceof InexactNumberError)) throw e;
        read = readLine(parseExact(t), line, this.resources);
      }
    } catch (e) {
      // e.g. a resource whose attributes cannot be read: a broken line rejects that line only.
      this.ctx.sink.reject({ line }, `unreadable request: ${(e as Error).message}`);
      return;
    }
    for (const m of read.rejects) this.ctx.sink.reject({ line }, m);
    for (const logs of read.logs) this.ctx.sink.logs(logs);
    for (const s of read.spans) {
      this.batch.push(s);
      if (this.batch.length >= BATCH) this.flush();
    }
  }

  // ------------------------------------------------------------------ one streamed document

  private makeScanner(): JsonRecordScanner {
    return new JsonRecordScanner(
      {
        records: ['resourceSpans.[].scopeSpans|instrumentationLibrarySpans.[].spans.[]', 'resourceLogs.[]'],
        contexts: ['resourceSpans.[].resource', 'resourceSpans.[].scopeSpans|instrumentationLibrarySpans.[].scope|instrumentationLibrary'],
        scopes: ['resourceSpans.[]', 'resourceSpans.[].scopeSpans|instrumentationLibrarySpans.[]', '', 'resourceSpans|resourceLogs'],
      },
      {
        record: (which, value, offset) => {
          if (which === 1) this.logs(value as OtlpResourceLogs, { offset }, this.lineOf.lineAt(offset));
          else if (this.res === null && this.pending.length < PENDING_MAX) this.pending.push({ s: value as OtlpSpan, scope: this.scope, offset });
          else this.convert(value as OtlpSpan, this.res ?? convertOtlpResource(undefined), this.scope, { offset });
        },
        context: (which, _key, value, offset) => {
          try {
            if (which === 0) {
              this.res = convertOtlpResource(value as { attributes?: [] });
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
          } else if (which === 2 && !this.rootHasData) this.ctx.sink.reject({ offset: this.rootOffset }, 'not an OTLP trace request (no "resourceSpans")');
        },
        invalid: (offset, message) => this.ctx.sink.reject({ offset }, message),
      },
      this.ctx.fileName,
    );
  }

  private flushPending(): void {
    const p = this.pending;
    this.pending = [];
    const res = this.res ?? convertOtlpResource(undefined);
    for (const x of p) this.convert(x.s, res, x.scope, { offset: x.offset });
  }

  // ------------------------------------------------------------------ shared

  private convert(s: OtlpSpan, res: OtlpResourceInfo, scope: Scope, where: { line?: number; offset?: number }): void {
    try {
      this.batch.push(convertOtlpSpan(s, res, scope));
    } catch (e) {
      this.ctx.sink.reject(where, (e as Error).message);
      return;
    }
    if (this.batch.length >= BATCH) this.flush();
  }

  private logs(rl: OtlpResourceLogs, where: { line?: number; offset?: number }, line: number): void {
    try {
      this.ctx.sink.logs(convertOtlpResourceLogs(rl, line));
    } catch (e) {
      this.ctx.sink.reject(where, unreadableLogs(e));
    }
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    this.ctx.sink.spans(b);
  }
}

interface LineRecords {
  spans: Span[];
  logs: LogRecord[][];
  rejects: string[];
}

/** The records of one JSON line. Throws InexactNumberError (only) if it needs an exact parse. */
function readLine(doc: unknown, line: number, resources: OtlpResourceCache): LineRecords {
  const out: LineRecords = { spans: [], logs: [], rejects: [] };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    out.rejects.push('not an OTLP request object');
    return out;
  }
  const d = doc as Record<string, unknown>;
  let known = false;
  if (Array.isArray(d.resourceSpans)) {
    known = true;
    forEachOtlpSpan(d as OtlpTraceRequest, (s, res, scope) => {
      try {
        out.spans.push(convertOtlpSpan(s, res, scope));
      } catch (e) {
        if (e instanceof InexactNumberError) throw e;
        out.rejects.push((e as Error).message);
      }
    }, resources);
  }
  if (Array.isArray(d.resourceLogs)) {
    known = true;
    for (const rl of d.resourceLogs as OtlpResourceLogs[]) {
      try {
        out.logs.push(convertOtlpResourceLogs(rl, line, resources));
      } catch (e) {
        if (e instanceof InexactNumberError) throw e;
        out.rejects.push(unreadableLogs(e));
      }
    }
  }
  if (!known) out.rejects.push(Array.isArray(d.resourceMetrics) ? 'OTLP metrics (resourceMetrics) are not supported' : 'not an OTLP trace request (no "resourceSpans")');
  return out;
}

function unreadableLogs(e: unknown): string {
  return `unreadable resourceLogs: ${(e as Error).message}`;
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

/** True once the bytes hold a newline after some non-blank content. */
function hasFirstLine(parts: Uint8Array[]): boolean {
  let content = false;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      const c = p[i];
      if (c === 0x0a) {
        if (content) return true;
      } else if (c !== 0x20 && c !== 0x0d && c !== 0x09) content = true;
    }
  }
  return false;
}

export const OTLP_JSON: FormatDef = {
  id: 'otlp-json',
  label: 'OTLP/JSON traces',
  kind: 'traces',
  detect(_head, text) {
    if (/^\s*\{\s*"resourceSpans"\s*:/.test(text)) return 1;
    if (/"resourceSpans"\s*:\s*\[/.test(text.slice(0, 65536))) return 0.8;
    return 0;
  },
  create(ctx) {
    return new OtlpJsonReader(ctx);
  },
};

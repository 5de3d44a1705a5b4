// Jaeger JSON traces: https://www.jaegertracing.io/docs/latest/apis/ (query API / UI "Download JSON")
// Reads {"data":[{traceID, spans, processes, warnings}]}, a bare trace object, an array of spans or
// of traces, a single span document, Elasticsearch span documents (and an ES search response's
// hits), and api_v2 protobuf-JSON ({"spans":[...]} with base64 ids). See jaeger-convert.ts for
// the field mapping. Streams: spans are read one by one; the spans of one trace wait for its
// `processes` only when those come after them (as the UI writes them), so memory is bounded by one
// trace. Ignores flags and the UI's derived fields (e.g. references[].span).

import { deliverOnFault, type FormatDef, type FormatReader, type FormatContext } from './types.ts';
import type { Span } from '../model/trace.ts';
import { JsonRecordScanner } from './json-scan.ts';
import { ResourceCache, readId } from './trace-common.ts';
import { convertJaegerSpan, type JaegerProcess, type JaegerSpan, type JaegerTrace, type JaegerContext } from './jaeger-convert.ts';

const RECORDS = ['data.[].spans.[]', 'spans.[]', '[]', 'result.spans.[]', 'hits.hits.[]', 'data.spans.[]'];
const enum Rec {
  DataSpan = 0,
  BareSpan = 1,
  Element = 2,
  ResultSpan = 3,
  Hit = 4,
  DataObjectSpan = 5, // {"data": {spans, processes}} (a UI state snapshot)
}
const CONTEXTS = ['data.[].traceID|processes|warnings', '*', 'data.traceID|processes|warnings'];
const SCOPES = ['data.[]', ''];

const BATCH = 1000;

class JaegerJsonReader implements FormatReader {
  private readonly scanner: JsonRecordScanner;
  private readonly resources = new ResourceCache();
  private batch: Span[] = [];
  // The trace being read (a data[] element, or the root object).
  private traceId: string | null = null;
  private processes: Record<string, JaegerProcess> | null = null;
  private pending: { span: JaegerSpan; offset: number }[] = [];
  /** Root members that are not records: a single span document shows up here. */
  private rootMembers: Record<string, unknown> = {};
  private rootOffset = 0;
  private spansSeen = 0;

  constructor(private readonly ctx: FormatContext) {
    this.scanner = new JsonRecordScanner({ records: RECORDS, contexts: CONTEXTS, scopes: SCOPES }, {
      record: (which, value, offset) => this.onRecord(which, value, offset),
      context: (which, key, value, offset) => this.onContext(which, key, value, offset),
      open: (which, offset) => {
        if (which === 0 || which === 1) this.resetTrace();
        if (which === 1) {
          this.rootMembers = {};
          this.rootOffset = offset;
        }
      },
      close: (which) => {
        this.flushPending();
        if (which === 1) this.finishRoot();
        this.resetTrace();
      },
      invalid: (offset, message) => this.ctx.sink.reject({ offset }, message),
    }, ctx.fileName);
  }

  get bytesRead(): number {
    return this.scanner.bytesRead;
  }

  push(chunk: Uint8Array): void {
    this.guard(() => this.scanner.push(chunk));
  }

  end(): void {
    this.guard(() => this.scanner.end());
    this.deliver();
  }

  private guard(fn: () => void): void {
    deliverOnFault(fn, () => this.deliver());
  }

  /** Every span read so far, to the sink. */
  private deliver(): void {
    this.flushPending();
    this.flush();
  }

  private resetTrace(): void {
    this.traceId = null;
    this.processes = null;
    this.pending = [];
  }

  private context(): JaegerContext {
    return {
      traceId: this.traceId,
      processes: this.processes,
      resources: this.resources,
      warn: (traceId, spanId, message) => this.ctx.sink.finding({ kind: 'warning', traceId, spanId, message }),
    };
  }

  private onContext(which: number, key: string | null, value: unknown, offset: number): void {
    if (which === 1 && key !== null) this.rootMembers[key] = value;
    if (key === 'traceID' && typeof value === 'string') this.traceId = value;
    else if (key === 'processes' && value && typeof value === 'object') {
      this.processes = value as Record<string, JaegerProcess>;
      this.flushPending();
    } else if (key === 'warnings' && Array.isArray(value) && (which !== 1 || this.spansSeen > 0 || this.pending.length > 0)) {
      const traceId = this.traceId !== null ? (readId(this.traceId, 'trace')?.hex ?? null) : null;
      for (const w of value) this.ctx.sink.finding({ kind: 'warning', traceId, spanId: null, message: `Jaeger trace warning: ${String(w)} (byte ${offset})` });
    }
  }

  private onRecord(which: number, value: unknown, offset: number): void {
    if (which === Rec.Hit) {
      const src = (value as { _source?: unknown })?._source;
      this.convertOne(src as JaegerSpan, offset);
      return;
    }
    if (which === Rec.Element && value && typeof value === 'object' && Array.isArray((value as JaegerTrace).spans)) {
      this.convertTrace(value as JaegerTrace, offset);
      return;
    }
    const s = value as JaegerSpan;
    const needsProcess = s && typeof s === 'object' && s.process === undefined && (s.processID ?? s.processId) !== undefined && this.processes === null;
    const needsTrace = s && typeof s === 'object' && s.traceID === undefined && s.traceId === undefined && this.traceId === null;
    if ((which === Rec.DataSpan || which === Rec.BareSpan || which === Rec.DataObjectSpan) && (needsProcess || needsTrace)) this.pending.push({ span: s, offset });
    else this.convertOne(s, offset);
  }

  /** A whole trace object as one array element (an array of traces). */
  private convertTrace(t: JaegerTrace, offset: number): void {
    const saved = { traceId: this.traceId, processes: this.processes };
    this.traceId = typeof t.traceID === 'string' ? t.traceID : null;
    this.processes = t.processes ?? null;
    const traceId = this.traceId !== null ? (readId(this.traceId, 'trace')?.hex ?? null) : null;
    for (const w of t.warnings ?? []) this.ctx.sink.finding({ kind: 'warning', traceId, spanId: null, message: `Jaeger trace warning: ${String(w)}` });
    for (const s of t.spans ?? []) this.convertOne(s, offset);
    this.traceId = saved.traceId;
    this.processes = saved.processes;
  }

  private convertOne(s: JaegerSpan, offset: number): void {
    this.spansSeen++;
    try {
      this.batch.push(convertJaegerSpan(s, this.context()));
    } catch (e) {
      this.ctx.sink.reject({ offset }, (e as Error).message);
      return;
    }
    if (this.batch.length >= BATCH) this.flush();
  }

  private flushPending(): void {
    const p = this.pending;
    this.pending = [];
    for (const { span, offset } of p) this.convertOne(span, offset);
  }

  /** The root value ended: if it was a single span document (no records inside), read it as one span. */
  private finishRoot(): void {
    const m = this.rootMembers;
    this.rootMembers = {};
    if (this.spansSeen === 0 && ('spanID' in m || 'spanId' in m)) this.convertOne(m as JaegerSpan, this.rootOffset);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    this.ctx.sink.spans(b);
  }
}

/** Content score: Jaeger's own field names (traceID/spanID, operationName, references, processID). */
export function scoreJaeger(text: string): number {
  const head = text.slice(0, 65536);
  if (/"resourceSpans"\s*:/.test(head)) return 0;
  const hasOp = /"operationName"\s*:/.test(head);
  const upper = /"traceID"\s*:/.test(head) || /"spanID"\s*:/.test(head);
  if (upper && hasOp) return /^\s*\{\s*"data"\s*:/.test(head) ? 1 : 0.95;
  if (/"spanId"\s*:\s*"/.test(head) && hasOp) return 0.9; // api_v2 protobuf-JSON
  if (upper && /"spans"\s*:\s*\[/.test(head)) return 0.8;
  // traceID and spanID spelled Jaeger's way, with one of its span fields: a span document.
  if (/"traceID"\s*:/.test(head) && /"spanID"\s*:/.test(head) && /"(startTime|duration|references|processID)"\s*:/.test(head)) return 0.95;
  if (/"spanID"\s*:/.test(head) && /"(startTime|duration|references|processID)"\s*:/.test(head)) return 0.7;
  return 0;
}

export const JAEGER_JSON: FormatDef = {
  id: 'jaeger-json',
  label: 'Jaeger JSON (UI/API, api_v2, Elasticsearch)',
  kind: 'traces',
  detect(_head, text) {
    return scoreJaeger(text);
  },
  create(ctx) {
    return new JaegerJsonReader(ctx);
  },
};

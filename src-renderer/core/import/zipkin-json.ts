// Zipkin JSON traces, v2 (https://zipkin.io/zipkin-api/#/default/post_spans) and v1
// (https://zipkin.io/pages/data_model.html): a list of spans, a list of traces (array of arrays,
// as the Zipkin UI downloads them) or a single span object; v1 and v2 are told apart per span.
// Streams: each span is parsed on its own (json-scan.ts). Field mapping in zipkin-convert.ts.

import type { FormatDef, FormatReader, FormatContext } from './types.ts';
import type { Span } from '../model/trace.ts';
import type { EpochNs } from '../base/time.ts';
import { JsonRecordScanner } from './json-scan.ts';
import { ResourceCache } from './trace-common.ts';
import { convertZipkinV1, convertZipkinV2, isUntimed, isZipkinV1Span, type ZipkinContext, type ZipkinSpan } from './zipkin-convert.ts';

const BATCH = 1000;

class ZipkinJsonReader implements FormatReader {
  private readonly scanner: JsonRecordScanner;
  private readonly zctx: ZipkinContext;
  private batch: Span[] = [];
  private rootMembers: Record<string, unknown> = {};
  private rootOffset = 0;
  private records = 0;
  /** Spans without any timestamp wait for the end, to be placed at their trace's first start. */
  private untimed: { span: Span; offset: number }[] = [];
  private traceStart = new Map<string, EpochNs>();

  constructor(private readonly ctx: FormatContext) {
    this.zctx = { resources: new ResourceCache(), finding: (f) => ctx.sink.finding(f) };
    this.scanner = new JsonRecordScanner({ records: ['[]', '[].[]'], contexts: ['*'], scopes: [''] }, {
      record: (_which, value, offset) => this.convert(value, offset),
      context: (_which, key, value) => {
        if (key !== null) this.rootMembers[key] = value;
      },
      open: (_which, offset) => {
        this.rootMembers = {};
        this.rootOffset = offset;
      },
      close: () => {
        // A single span object as the whole document.
        if (this.records === 0 && ('id' in this.rootMembers || 'traceId' in this.rootMembers)) this.convert(this.rootMembers, this.rootOffset);
        this.rootMembers = {};
      },
      invalid: (offset, message) => this.ctx.sink.reject({ offset }, message),
    }, ctx.fileName);
  }

  get bytesRead(): number {
    return this.scanner.bytesRead;
  }

  push(chunk: Uint8Array): void {
    try {
      this.scanner.push(chunk);
    } finally {
      this.flush();
    }
  }

  end(): void {
    try {
      this.scanner.end();
    } finally {
      this.placeUntimed();
      this.flush();
    }
  }

  private convert(value: unknown, offset: number): void {
    this.records++;
    let spans: Span[];
    try {
      const s = value as ZipkinSpan;
      spans = s && typeof s === 'object' && isZipkinV1Span(s) ? convertZipkinV1(s, this.zctx) : [convertZipkinV2(s, this.zctx)];
    } catch (e) {
      this.ctx.sink.reject({ offset }, (e as Error).message);
      return;
    }
    for (const span of spans) {
      if (isUntimed(span)) {
        this.untimed.push({ span, offset });
        continue;
      }
      const t = this.traceStart.get(span.traceId);
      if (t === undefined || span.startNs < t) this.traceStart.set(span.traceId, span.startNs);
      this.batch.push(span);
    }
    if (this.batch.length >= BATCH) this.flush();
  }

  private placeUntimed(): void {
    for (const { span, offset } of this.untimed) {
      const t = this.traceStart.get(span.traceId);
      if (t === undefined) {
        this.ctx.sink.reject({ offset }, `span "${span.name}" has no timestamp, and no other span of its trace has one`);
        continue;
      }
      span.startNs = t;
      this.ctx.sink.finding({ kind: 'warning', traceId: span.traceId, spanId: span.spanId, message: `span "${span.name}" has no timestamp: placed at the start of its trace` });
      this.batch.push(span);
    }
    this.untimed = [];
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    this.ctx.sink.spans(b);
  }
}

/** Content score: Zipkin's "traceId" + "id" pair with its timestamp/endpoint/annotation fields. */
export function scoreZipkin(text: string): number {
  const head = text.slice(0, 65536);
  if (/"(resourceSpans|operationName|spanID|spanId)"\s*:/.test(head)) return 0;
  if (!/"traceId"\s*:/.test(head) || !/"id"\s*:/.test(head)) return 0;
  const v2 = /"(localEndpoint|remoteEndpoint)"\s*:/.test(head) || /"kind"\s*:\s*"(CLIENT|SERVER|PRODUCER|CONSUMER)"/.test(head);
  const v1 = /"binaryAnnotations"\s*:/.test(head) || /"value"\s*:\s*"(cs|sr|ss|cr)"/.test(head);
  const starts = /^\s*\[/.test(head);
  if (v2 || v1) return starts ? 0.95 : 0.85;
  return /"timestamp"\s*:/.test(head) ? (starts ? 0.7 : 0.5) : 0.3;
}

export const ZIPKIN_JSON: FormatDef = {
  id: 'zipkin-json',
  label: 'Zipkin JSON (v2 and v1)',
  kind: 'traces',
  detect(_head, text) {
    return scoreZipkin(text);
  },
  create(ctx) {
    return new ZipkinJsonReader(ctx);
  },
};

// Writes OTLP/protobuf trace files for tests and benchmarks: ExportTraceServiceRequests encoded with
// protobufjs from the same definitions the importer reads, framed as the collector's file exporter
// writes them (a 4-byte big-endian length before each request) or varint-delimited.
//
//   tsx test/bench/otlp-proto-gen.ts OUT.binpb [SPANS=200000]

import { openSync, writeSync, closeSync } from 'node:fs';
import { otlpProtoTypes } from '../../src-renderer/core/import/otlp-proto-schema.ts';

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** An OTLP/JSON document in the shape protobufjs's fromObject takes: hex ids become bytes. */
export function otlpJsonToProtoObject(doc: unknown): unknown {
  // Documents here are small and shallow: plain recursion is fine in a test helper.
  const walk = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, ''));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    if (typeof v === 'string' && (key === 'traceId' || key === 'spanId' || key === 'parentSpanId')) return hexToBytes(v);
    return v;
  };
  return walk(doc, '');
}

/** Encode an ExportTraceServiceRequest given as a fromObject-style object. */
export function encodeRequest(obj: unknown): Uint8Array {
  const T = otlpProtoTypes().ExportTraceServiceRequest;
  // A plain copy: in Node, protobufjs hands out pooled Buffers, whose slice() is a view, not a copy.
  return new Uint8Array(T.encode(T.fromObject(obj as Record<string, unknown>)).finish());
}

export function frameBe32(payloads: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(payloads.reduce((n, p) => n + 4 + p.length, 0));
  const dv = new DataView(out.buffer);
  let pos = 0;
  for (const p of payloads) {
    dv.setUint32(pos, p.length);
    out.set(p, pos + 4);
    pos += 4 + p.length;
  }
  return out;
}

export function frameVarint(payloads: Uint8Array[]): Uint8Array {
  const parts: number[][] = [];
  for (const p of payloads) {
    const v: number[] = [];
    let n = p.length;
    while (n >= 0x80) {
      v.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    v.push(n);
    parts.push(v);
  }
  const out = new Uint8Array(payloads.reduce((n, p, i) => n + parts[i].length + p.length, 0));
  let pos = 0;
  payloads.forEach((p, i) => {
    out.set(parts[i], pos);
    out.set(p, pos + parts[i].length);
    pos += parts[i].length + p.length;
  });
  return out;
}

const SERVICES = ['frontend', 'checkout', 'payment', 'inventory', 'shipping'];
const BASE_NS = 1_700_000_000_000_000_000n;

/**
 * N spans in traces of `spansPerTrace` (a root and children across services), `spansPerFrame`
 * spans per request, one ResourceSpans per service in each request. Deterministic.
 */
export function* generateOtlpProtoFrames(nSpans: number, spansPerFrame = 1000, spansPerTrace = 10): Generator<Uint8Array> {
  const T = otlpProtoTypes().ExportTraceServiceRequest;
  let made = 0;
  while (made < nSpans) {
    const bySvc = new Map<string, unknown[]>();
    const inFrame = Math.min(spansPerFrame, nSpans - made);
    for (let i = 0; i < inFrame; i++, made++) {
      const trace = Math.floor(made / spansPerTrace);
      const k = made % spansPerTrace;
      const traceId = new Uint8Array(16);
      new DataView(traceId.buffer).setUint32(12, trace + 1);
      traceId[0] = 0x5a;
      const spanId = new Uint8Array(8);
      new DataView(spanId.buffer).setUint32(4, made + 1);
      const parentId = new Uint8Array(8);
      new DataView(parentId.buffer).setUint32(4, made - k + 1);
      const start = BASE_NS + BigInt(trace) * 1_000_000_000n + BigInt(k) * 1_000_000n;
      const svc = SERVICES[k % SERVICES.length];
      const span = {
        traceId,
        spanId,
        parentSpanId: k === 0 ? undefined : parentId,
        name: k === 0 ? 'GET /checkout' : `call-${k}`,
        kind: k === 0 ? 2 : 3,
        startTimeUnixNano: start.toString(),
        endTimeUnixNano: (start + BigInt(k === 0 ? 50_000_000 : 900_000 - k)).toString(),
        attributes: [
          { key: 'http.request.method', value: { stringValue: 'GET' } },
          { key: 'http.response.status_code', value: { intValue: made % 97 === 0 ? 500 : 200 } },
          { key: 'db.statement', value: { stringValue: `SELECT * FROM t${k} WHERE id = ?` } },
        ],
        status: made % 97 === 0 ? { code: 2, message: 'failed' } : undefined,
      };
      if (!bySvc.has(svc)) bySvc.set(svc, []);
      bySvc.get(svc)!.push(span);
    }
    const req = {
      resourceSpans: [...bySvc].map(([svc, spans]) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: svc } }, { key: 'host.name', value: { stringValue: `${svc}-1` } }] },
        scopeSpans: [{ scope: { name: 'bench', version: '1.0.0' }, spans }],
      })),
    };
    yield T.encode(T.fromObject(req)).finish();
  }
}

/** Write N spans as a 4-byte-length-framed OTLP/protobuf file. Returns the bytes written. */
export function writeOtlpProtoFile(path: string, nSpans: number, spansPerFrame = 1000): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    for (const frame of generateOtlpProtoFrames(nSpans, spansPerFrame)) {
      const out = frameBe32([frame]);
      writeSync(fd, out);
      bytes += out.length;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: tsx test/bench/otlp-proto-gen.ts OUT.binpb [SPANS]');
  const n = Number(process.argv[3] ?? 200_000);
  const bytes = writeOtlpProtoFile(out, n);
  console.log(`${out}: ${n} spans, ${bytes} bytes`);
}

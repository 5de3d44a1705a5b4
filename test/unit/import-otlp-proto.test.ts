// OTLP/protobuf trace import: fixtures are ENCODED here with protobufjs from the importer's own
// definitions (plus one committed binary file checked against a fresh encoding), then read back
// through the reader, chunk by chunk, and compared with hand-written expectations and with the
// OTLP/JSON reader's result for the same trace.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import type { FormatDef } from '../../src-renderer/core/import/types.ts';
import { OTLP_PROTO, detectOtlpProto, bytesToBase64 } from '../../src-renderer/core/import/otlp-proto.ts';
import { sniffFraming } from '../../src-renderer/core/import/otlp-proto-frames.ts';
import { parseOtlpProtoTypes } from '../../src-renderer/core/import/otlp-proto-schema.ts';
import { decodePlain } from '../../src-renderer/core/import/otlp-proto-decode.ts';
import { OTLP_JSON } from '../../src-renderer/core/import/otlp-json.ts';
import { detectFormat } from '../../src-renderer/core/import/detect.ts';
import { InputError } from '../../src-renderer/core/base/result.ts';
import { stringifyExact, parseExact } from '../../src-renderer/core/base/json.ts';
import { encodeRequest, frameBe32, frameVarint, otlpJsonToProtoObject, hexToBytes } from '../bench/otlp-proto-gen.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

const FIX = new URL('../fixtures/proto/', import.meta.url);
const CORPUS = new URL('../fixtures/corpus/opentelemetry-proto/examples/', import.meta.url);

interface Result {
  spans: Span[];
  logs: unknown[];
  rejects: { where: { line?: number; offset?: number }; message: string }[];
  /** Metric data points counted as skipped. */
  skipped: number;
  error: InputError | null;
}

/** Feed `bytes` to a reader of `format`, cut at the given positions. */
function read(format: FormatDef, bytes: Uint8Array, cuts: number[] = [], fileName = 'test.binpb'): Result {
  const res: Result = { spans: [], logs: [], rejects: [], skipped: 0, error: null };
  const reader = format.create({
    fileName,
    sink: {
      spans: (b) => res.spans.push(...b), logs: (b) => res.logs.push(...b), reject: (where, message) => res.rejects.push({ where, message }), finding() {}, catalog() {},
      tally: (c) => void (res.skipped += c.skipped ?? 0),
    },
  });
  let from = 0;
  try {
    for (const c of [...cuts, bytes.length]) {
      // A reused buffer: the reader must not keep a view of what it was given.
      const chunk = bytes.slice(from, c);
      reader.push(chunk);
      chunk.fill(0xee);
      from = c;
    }
    reader.end();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    res.error = e;
  }
  return res;
}

/** Object keys in sorted order, so the dump does not depend on the order a builder set them. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/** Canonical text of a set of spans: sorted by ids, raw id spellings left out (they differ by encoding). */
function dump(spans: Span[]): string {
  const rows = spans.map((s) => {
    const { traceIdRaw: _t, spanIdRaw: _s, ...rest } = s;
    return rest;
  });
  rows.sort((a, b) => (a.traceId + a.spanId < b.traceId + b.spanId ? -1 : 1));
  return rows.map((r) => stringifyExact(sortKeys(r))).join('\n');
}

const richJson = readFileSync(new URL('rich.otlp.json', FIX), 'utf8');
const richDoc = parseExact<{ resourceSpans: unknown[] }>(richJson);
/** The rich trace as two requests, one per ResourceSpans (the checkout service, then inventory). */
const richFrames = richDoc.resourceSpans.map((rs) => encodeRequest(otlpJsonToProtoObject({ resourceSpans: [rs] })));
const richWhole = encodeRequest(otlpJsonToProtoObject(richDoc));

const T0 = 1700000000123456789n;
const at = (offset: bigint) => epochNs(T0 + offset);
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const ROOT = 'b7ad6b7169203331';
const checkoutResource = { attributes: { 'service.name': 'checkout', 'host.name': 'web-1' } };
const scope = { name: 'tracedeck.test', version: '0.1.0' };
function span(p: Partial<Span> & Pick<Span, 'spanId' | 'name' | 'kind' | 'startNs' | 'durationNs'>): Span {
  return {
    traceId: TRACE,
    parentSpanId: ROOT,
    parentRef: 'child_of',
    service: 'checkout',
    status: 'unset',
    statusMessage: '',
    attributes: {},
    resource: checkoutResource,
    scope,
    events: [],
    links: [],
    ...p,
  };
}

/** Written by hand from rich.otlp.json. */
const EXPECTED: Span[] = [
  span({
    spanId: ROOT,
    parentSpanId: null,
    name: 'GET /checkout',
    kind: 'server',
    startNs: at(0n),
    durationNs: durationNs(1000),
    status: 'error',
    statusMessage: 'boom',
    attributes: {
      str: 'héllo',
      bool: true,
      int: 42,
      'int.big': 9007199254740993n,
      'int.neg': -5,
      double: 3.25,
      array: [1, 'a', false],
      kvlist: { k: 'v', n: 7 },
      bytes: { bytes: '3q2+7w==' },
      empty: null,
    },
  }),
  span({
    spanId: '00f067aa0ba902b7',
    name: 'SELECT orders',
    kind: 'client',
    startNs: at(1n),
    durationNs: durationNs(1),
    status: 'ok',
    events: [{ timeNs: at(1n), name: 'exception', attributes: { 'exception.message': 'timeout' } }],
    links: [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '53995c3f42cd8ad8', attributes: { 'link.kind': 'retry' } }],
  }),
  span({ spanId: 'a1b2c3d4e5f60718', name: 'publish', kind: 'producer', startNs: at(2n), durationNs: durationNs(4) }),
  span({ spanId: '0102030405060708', parentSpanId: 'a1b2c3d4e5f60718', name: 'consume', kind: 'consumer', startNs: at(7n), durationNs: durationNs(4) }),
  span({ spanId: '1020304050607080', name: 'render', kind: 'internal', startNs: at(11n), durationNs: durationNs(100) }),
  span({ spanId: 'ffffffffffffffff', name: 'misc', kind: 'unspecified', startNs: at(111n), durationNs: durationNs(50) }),
  span({
    spanId: 'c0ffee00c0ffee00',
    parentSpanId: '00f067aa0ba902b7',
    name: 'reserve',
    kind: 'server',
    startNs: at(1n),
    durationNs: durationNs(1),
    service: 'inventory',
    resource: { attributes: { 'service.name': 'inventory' } },
    scope: { name: '', version: '' },
  }),
];

describe('OTLP/protobuf: decoding', () => {
  it('protobufjs reads 64-bit fields as Long here, so nothing is rounded through a double', () => {
    expect(protobuf.util.Long).toBeTruthy();
  });

  it('parses the definitions and reads a stream without eval (the app CSP has no unsafe-eval)', () => {
    const real = globalThis.Function;
    let evals = 0;
    const blocked = function () {
      evals++;
      throw new EvalError('blocked by the test, as by a CSP without unsafe-eval');
    };
    (globalThis as { Function: unknown }).Function = blocked;
    let r: Result;
    let fresh: Record<string, unknown>;
    try {
      fresh = decodePlain(parseOtlpProtoTypes().ExportTraceServiceRequest, richFrames[1]);
      r = read(OTLP_PROTO, frameBe32(richFrames));
    } finally {
      globalThis.Function = real;
    }
    expect(evals).toBe(0);
    expect(r.error).toBeNull();
    expect(r.spans).toEqual(EXPECTED);
    expect((fresh.resourceSpans as unknown[]).length).toBe(1);
  });

  it('rejects a field written with the wrong wire type instead of misreading it', () => {
    // ExportTraceServiceRequest field 1 as a varint (tag 0x08) where a message is declared.
    const r = read(OTLP_PROTO, frameBe32([richFrames[0], new Uint8Array([0x08, 0x01])]));
    expect(r.spans).toHaveLength(6);
    expect(r.error!.message).toMatch(/resourceSpans \(1\) has wire type 0, expected 2/);
  });

  it('decodes every AnyValue kind, events, links, status, kinds, 1 ns spans and 64-bit values exactly', () => {
    const r = read(OTLP_PROTO, frameBe32(richFrames));
    expect(r.error).toBeNull();
    expect(r.rejects).toEqual([]);
    expect(r.spans).toHaveLength(7);
    expect(r.spans).toEqual(EXPECTED);
    // Spans 1 ns apart and a 1 ns span survive as exact BigInt / number arithmetic.
    expect(r.spans[2].startNs - r.spans[1].startNs).toBe(1n);
    expect(r.spans[1].durationNs).toBe(1);
    expect(typeof r.spans[0].attributes['int.big']).toBe('bigint');
  });

  it('imports to the same canonical dump as the OTLP/JSON reader on the same trace', () => {
    const fromJson = read(OTLP_JSON, new TextEncoder().encode(richJson), [], 'rich.otlp.json');
    expect(fromJson.error).toBeNull();
    expect(fromJson.spans).toHaveLength(7);
    expect(dump(read(OTLP_PROTO, frameBe32(richFrames)).spans)).toBe(dump(fromJson.spans));
  });

  it('matches the OTLP/JSON reader on the opentelemetry-proto example trace (uppercase hex ids, scope attributes)', () => {
    const text = readFileSync(new URL('trace.json', CORPUS), 'utf8');
    const fromJson = read(OTLP_JSON, new TextEncoder().encode(text), [], 'trace.json');
    const proto = encodeRequest(otlpJsonToProtoObject(parseExact(text)));
    const fromProto = read(OTLP_PROTO, frameBe32([proto]));
    expect(fromProto.spans).toHaveLength(1);
    expect(fromProto.spans[0].traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(fromProto.spans[0].parentSpanId).toBe('eee19b7ec3c1b173');
    expect(fromProto.spans[0].durationNs).toBe(1_000_000_000);
    expect(dump(fromProto.spans)).toBe(dump(fromJson.spans));
  });

  it('reads the 4-byte big-endian, varint-delimited and bare framings to the same spans', () => {
    const be = read(OTLP_PROTO, frameBe32(richFrames));
    const varint = read(OTLP_PROTO, frameVarint(richFrames));
    const bare = read(OTLP_PROTO, richWhole);
    // Two bare requests back to back are one request by protobuf's merge rule.
    const bareTwo = read(OTLP_PROTO, new Uint8Array([...richFrames[0], ...richFrames[1]]));
    expect(sniffFraming(frameBe32(richFrames).subarray(0, 16))).toBe('be32');
    expect(sniffFraming(frameVarint(richFrames).subarray(0, 16))).toBe('varint');
    expect(sniffFraming(richWhole.subarray(0, 16))).toBe('bare');
    for (const r of [be, varint, bare, bareTwo]) {
      expect(r.error).toBeNull();
      expect(dump(r.spans)).toBe(dump(EXPECTED));
    }
  });

  it('the committed binary fixture is the current encoding of rich.otlp.json', () => {
    const committed = new Uint8Array(readFileSync(new URL('rich.otlp.binpb', FIX)));
    expect(committed).toEqual(frameBe32(richFrames));
    expect(read(OTLP_PROTO, committed).spans).toEqual(EXPECTED);
  });

  it('writes bytes values as standard padded base64', () => {
    expect(bytesToBase64(new Uint8Array([0xde, 0xad, 0xbe, 0xef]))).toBe('3q2+7w==');
    expect(bytesToBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
    expect(bytesToBase64(new Uint8Array([1, 2, 3]))).toBe('AQID');
    expect(bytesToBase64(new Uint8Array([]))).toBe('');
  });
});

describe('OTLP/protobuf: streaming', () => {
  const stream = frameBe32(richFrames);
  const whole = dump(read(OTLP_PROTO, stream).spans);

  it('gives the same spans whatever byte the stream is split at (every framing)', () => {
    for (const bytes of [stream, frameVarint(richFrames), richWhole]) {
      for (let i = 1; i < bytes.length; i++) {
        const r = read(OTLP_PROTO, bytes, [i]);
        expect(r.error, `split at ${i}`).toBeNull();
        expect(dump(r.spans), `split at ${i}`).toBe(whole);
      }
    }
  });

  it('gives the same spans fed one byte at a time', () => {
    const r = read(OTLP_PROTO, stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1));
    expect(dump(r.spans)).toBe(whole);
  });

  it('hands each frame to the sink as soon as it is complete', () => {
    const batches: number[] = [];
    const reader = OTLP_PROTO.create({ fileName: 'x', sink: { spans: (b) => batches.push(b.length), logs() {}, reject() {}, finding() {}, catalog() {}, tally() {} } });
    const cut = 4 + richFrames[0].length;
    reader.push(stream.slice(0, cut));
    expect(batches).toEqual([6]);
    reader.push(stream.slice(cut));
    expect(batches).toEqual([6, 1]);
    reader.end();
  });

  it('a truncated last frame keeps the first frame and reports the offset of the cut frame', () => {
    const second = 4 + richFrames[0].length;
    for (const cut of [second + 2, second + 4, stream.length - 1]) {
      const r = read(OTLP_PROTO, stream.subarray(0, cut), [], 'cut.binpb');
      expect(r.spans.map((s) => s.spanId)).toEqual(EXPECTED.slice(0, 6).map((s) => s.spanId));
      expect(r.error).toBeInstanceOf(InputError);
      expect(r.error!.where).toEqual({ file: 'cut.binpb', offset: second });
      expect(r.error!.message).toMatch(/truncated/);
    }
    const r = read(OTLP_PROTO, stream.subarray(0, stream.length - 1), [], 'cut.binpb');
    expect(r.error!.describe()).toBe(`cut.binpb, byte ${second}: truncated: ${stream.length - 1 - second} bytes at the end do not make a whole frame (it declares ${richFrames[1].length} bytes of data)`);
  });

  it('a corrupt frame stops the import with its offset, after the frames before it were stored', () => {
    const garbage = new Uint8Array(40).fill(0xff);
    const bytes = frameBe32([richFrames[0], garbage, richFrames[1]]);
    const r = read(OTLP_PROTO, bytes, [], 'bad.binpb');
    expect(r.spans).toHaveLength(6);
    expect(r.error!.where).toEqual({ file: 'bad.binpb', offset: 4 + richFrames[0].length });
    expect(r.error!.message).toMatch(/^corrupt frame of 40 bytes/);
  });

  it('a frame length beyond any real request is reported as corrupt, not buffered', () => {
    const bytes = new Uint8Array([...frameBe32([richFrames[0]]), 0x7f, 0xff, 0xff, 0xff, 0x0a]);
    const r = read(OTLP_PROTO, bytes);
    expect(r.spans).toHaveLength(6);
    expect(r.error!.message).toMatch(/declared length 2147483647/);
    expect(r.error!.where.offset).toBe(4 + richFrames[0].length);
  });

  it('a span without a valid trace id is rejected alone; the rest of its frame is kept', () => {
    const doc = parseExact<{ resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] }>(richJson);
    doc.resourceSpans[0].scopeSpans[0].spans[2].traceId = '';
    const frames = doc.resourceSpans.map((rs) => encodeRequest(otlpJsonToProtoObject({ resourceSpans: [rs] })));
    const r = read(OTLP_PROTO, frameBe32(frames));
    expect(r.error).toBeNull();
    expect(r.spans).toHaveLength(6);
    expect(r.spans.map((s) => s.spanId)).not.toContain('a1b2c3d4e5f60718');
    expect(r.rejects).toHaveLength(1);
    expect(r.rejects[0].where).toEqual({ offset: 0 });
    expect(r.rejects[0].message).toMatch(/publish.*traceId/);
  });

  it('an empty input imports nothing and raises nothing', () => {
    const r = read(OTLP_PROTO, new Uint8Array(0));
    expect(r.spans).toEqual([]);
    expect(r.error).toBeNull();
  });
});

describe('OTLP/protobuf: detection', () => {
  it('detects each framing, from a head cut anywhere past the first frame header', () => {
    for (const bytes of [frameBe32(richFrames), frameVarint(richFrames), richWhole]) {
      expect(detectOtlpProto(bytes)).toBe(0.95);
      expect(OTLP_PROTO.detect(bytes, '', 'no-extension')).toBeGreaterThanOrEqual(0.7);
    }
  });

  it('detects a stream whose first ResourceSpans is larger than the detection head', () => {
    const big = encodeRequest({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big' } }] },
          scopeSpans: Array.from({ length: 400 }, (_, i) => ({
            spans: [{ traceId: hexToBytes(TRACE), spanId: hexToBytes((i + 1).toString(16).padStart(16, '0')), name: 'x'.repeat(200), startTimeUnixNano: '1', endTimeUnixNano: '2' }],
          })),
        },
      ],
    });
    const head = frameBe32([big]).subarray(0, 64 * 1024);
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect(detectOtlpProto(head)).toBe(0.7);
  });

  it('does not claim a PNG, the OTLP/JSON text of the same trace, or random bytes', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0, 0x5c, 0x72, 0xa8, 0x66]);
    expect(detectOtlpProto(png)).toBe(0);
    expect(detectOtlpProto(new TextEncoder().encode(richJson))).toBe(0);
    expect(detectOtlpProto(new TextEncoder().encode('\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n'))).toBe(0);
    // A deterministic generator, so a failure can be reproduced.
    let seed = 0x2545f491;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    let claimed = 0;
    for (let n = 0; n < 3000; n++) {
      const b = new Uint8Array(256 + (n % 7) * 300);
      for (let i = 0; i < b.length; i++) b[i] = next();
      // Random bytes that happen to start the way each framing does are the hard case.
      if (n % 3 === 1) b.set([0, 0, 0, 200, 0x0a, 100]);
      if (n % 3 === 2) b.set([0x0a, 120]);
      if (detectOtlpProto(b) > 0) claimed++;
    }
    expect(claimed).toBe(0);
  });

  it('the OTLP/JSON detector does not claim the binary form', () => {
    const bytes = frameBe32(richFrames);
    expect(OTLP_JSON.detect(bytes, new TextDecoder().decode(bytes), 'x')).toBe(0);
  });

  it('the dispatcher picks otlp-proto for every framing, and nothing for a PNG', () => {
    for (const bytes of [frameBe32(richFrames), frameVarint(richFrames), richWhole]) {
      const det = detectFormat(bytes.subarray(0, 64 * 1024), 'export.bin');
      expect(det.ok && det.format.id).toBe('otlp-proto');
    }
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
    const det = detectFormat(png, 'image.png');
    expect(det.ok).toBe(false);
    if (!det.ok) expect(det.message).toContain('OTLP/protobuf traces');
  });

  it('a reader given bytes that are not OTLP/protobuf says so at byte 0', () => {
    const r = read(OTLP_PROTO, new TextEncoder().encode('hello, this is text'), [], 'notes.txt');
    expect(r.error!.describe()).toMatch(/^notes\.txt, byte 0: not OTLP\/protobuf/);
  });
});

describe('OTLP/protobuf logs and metrics beside spans', () => {
  const types = parseOtlpProtoTypes();
  const encodeLogs = (obj: unknown) => {
    const T = types.ExportLogsServiceRequest;
    return new Uint8Array(T.encode(T.fromObject(otlpJsonToProtoObject(obj) as Record<string, unknown>)).finish());
  };
  const logsDoc = JSON.parse(readFileSync(new URL('logs.json', CORPUS), 'utf8'));
  const readAll = (bytes: Uint8Array, cuts: number[] = []) => {
    const r = read(OTLP_PROTO, bytes, cuts, 'mixed.binpb');
    return { ...r, rejects: r.rejects.map((x) => x.message) };
  };

  it('an ExportLogsServiceRequest imports as the same records as its OTLP/JSON, in any framing and chunking', () => {
    const fromJson: unknown[] = [];
    const jr = OTLP_JSON.create({ fileName: 'logs.json', sink: { spans() {}, logs: (b) => fromJson.push(...b), reject() {}, finding() {}, catalog() {}, tally() {} } });
    jr.push(new TextEncoder().encode(JSON.stringify(logsDoc, null, 2)));
    jr.end();
    expect(fromJson).toHaveLength(1);
    const req = encodeLogs(logsDoc);
    expect(detectOtlpProto(frameVarint([req]))).toBeGreaterThan(0.9);
    for (const bytes of [req, frameVarint([req, req]), frameBe32([req])]) {
      const r = readAll(bytes, Array.from({ length: 7 }, (_, i) => Math.floor((bytes.length * (i + 1)) / 8)));
      expect([r.error, r.rejects, r.spans.length]).toEqual([null, [], 0]);
      // The same record, but for the ids as written (uppercase hex in the JSON, bytes on the wire)
      // and the line (protobuf has none).
      const unwritten = (l: unknown) => ({ ...(l as object), traceIdRaw: null, spanIdRaw: null, line: 0 });
      expect(stringifyExact(unwritten(r.logs[0]))).toBe(stringifyExact(unwritten(fromJson[0])));
    }
  });

  it('frames of spans, logs and metrics interleave in one file; metric data points are counted, not rejected', () => {
    const metrics = new Uint8Array(readFileSync(new URL('../fixtures/otel-sdk/sdk/06-metrics.binpb', import.meta.url)));
    const bytes = frameBe32([metrics, richFrames[0], encodeLogs(logsDoc), metrics]);
    const r = readAll(bytes);
    expect([r.error, r.rejects, r.spans.length, r.logs.length, r.skipped]).toEqual([null, [], 6, 1, 6]);
  });

  it('tells a log record written with only a body from a metric, and skips a resource without records', () => {
    const bodyOnly = encodeLogs({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'just text' } }] }] }] });
    const empty = encodeLogs({ resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [] }] });
    const r = readAll(frameVarint([empty, bodyOnly]));
    expect([r.error, r.rejects, r.logs.length]).toEqual([null, [], 1]);
    expect(r.logs[0]).toMatchObject({ message: 'just text', timeNs: null, service: null });
  });
});

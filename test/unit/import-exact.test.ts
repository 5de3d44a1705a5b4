// Exactness and bad input: nanoseconds and 64-bit values round-trip (through the real Store too),
// every AnyValue kind, hex ids in any case, truncated files keep what came before and name the
// byte offset, a broken JSON line rejects that line only, mixed traces/logs lines, Zipkin v1,
// Jaeger FOLLOWS_FROM and the stream split into tiny chunks.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { CORPUS, importBytes, importFile, dumpImport } from './import-harness.ts';
import { Store } from '../../src-renderer/store/store.ts';

const FIX = new URL('../fixtures/traces/', import.meta.url).pathname;
const enc = new TextEncoder();
const read = (p: string) => new Uint8Array(readFileSync(p));

describe('exact values', () => {
  const c = importFile(`${FIX}exact.otlp.json`);
  const [a, b] = c.spans;

  it('keeps nanoseconds: a 1 ns span, and the next span starting 1 ns later (bare-number timestamps too)', () => {
    expect(c.rejects).toEqual([]);
    expect(a.startNs).toBe(1700000000123456789n);
    expect(a.durationNs).toBe(1);
    expect(b.startNs).toBe(1700000000123456790n);
    expect(b.startNs - a.startNs).toBe(1n);
    expect(b.durationNs).toBe(1);
  });

  it('keeps 64-bit integers (as text or as bare numbers) and every AnyValue kind', () => {
    expect(a.attributes).toEqual({
      big: 9007199254740993n, bare: 9007199254740993n, neg: -9223372036854775808n, d: 0.1, b: false, bytes: { bytes: '3q2+7w==' },
      arr: ['x', 1], kv: { k: 'v' }, empty: null,
    });
  });

  it('lowercases hex ids and keeps the original; reads status, kind and links', () => {
    expect([a.traceId, a.spanId, a.traceIdRaw, a.spanIdRaw]).toEqual(['0af7651916cd43dd8448eb211c80319c', '00f067aa0ba902b7', '0AF7651916CD43DD8448EB211C80319C', '00F067AA0BA902B7']);
    expect(b.parentSpanId).toBe('00f067aa0ba902b7');
    expect([a.kind, b.status, b.statusMessage]).toEqual(['internal', 'error', 'boom']);
    expect(b.links).toEqual([{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: 'a1a1a1a1a1a1a1a1', attributes: { why: 'retry' } }]);
  });

  it('round-trips through the store exactly', async () => {
    const SQL = await loadSqlJs();
    const store = Store.create(SQL);
    store.beginFile('exact.otlp.json', null);
    store.addSpans(c.spans);
    const rep = store.finishFile({ format: 'otlp-json', kind: 'traces', rejected: 0, errors: [] });
    expect([rep.spans, rep.traces]).toEqual([2, 1]);
    const rows = store.db.exec('SELECT CAST(start_ns AS TEXT), duration_ns, attributes FROM spans ORDER BY start_ns')[0].values;
    expect(rows[0][0]).toBe('1700000000123456789');
    expect(rows[1][0]).toBe('1700000000123456790');
    expect(rows[0][1]).toBe(1);
    expect(String(rows[0][2])).toContain('"big":9007199254740993');
    expect(String(rows[0][2])).toContain('"neg":-9223372036854775808');
    store.close();
  });

  it('keeps them exact in JSON lines too, where a line is parsed fast and again exactly only when it must be', () => {
    // The same document as one line, then a line whose resource, event and log carry bare 64-bit
    // numbers, and a line with one unreadable span among readable ones (rejected once, not twice).
    const doc = JSON.stringify(JSON.parse(readFileSync(`${FIX}exact.otlp.json`, 'utf8').replace(/:\s*(-?\d{16,})/g, ':"$1"')));
    const bare = doc
      .replace('"startTimeUnixNano":"1700000000123456789"', '"startTimeUnixNano":1700000000123456789')
      .replace('"endTimeUnixNano":"1700000000123456790"', '"endTimeUnixNano":1700000000123456790');
    const withBadSpan =
      '{"resourceSpans":[{"resource":{"attributes":[{"key":"pid","value":{"intValue":9007199254740993}}]},"scopeSpans":[{"spans":[' +
      '{"traceId":"0af7651916cd43dd8448eb211c80319d","spanId":"00f067aa0ba902b8","name":"ok","startTimeUnixNano":1700000000123456789,"endTimeUnixNano":"1700000000123456799",' +
      '"events":[{"timeUnixNano":1700000000123456791,"name":"e"}]},' +
      '{"traceId":"0af7651916cd43dd8448eb211c80319d","name":"no span id","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}],' +
      '"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1700000000123456792,"body":{"stringValue":"hi"}}]}]}]}';
    const c2 = importBytes(enc.encode(`${doc}\n${bare}\n${withBadSpan}\n`), 'exact.jsonl');
    expect(c2.format).toBe('otlp-json');
    expect(c2.rejects.map((r) => [r.line, r.message.includes('spanId')])).toEqual([[3, true]]);
    expect(c2.spans.map((s) => s.startNs)).toEqual([1700000000123456789n, 1700000000123456790n, 1700000000123456789n, 1700000000123456790n, 1700000000123456789n]);
    const ok = c2.spans[4];
    expect(ok.durationNs).toBe(10);
    expect(ok.resource.attributes.pid).toBe(9007199254740993n);
    expect(ok.events[0].timeNs).toBe(1700000000123456791n);
    expect(c2.logs.map((l) => l.timeNs)).toEqual([1700000000123456792n]);
    expect(c2.spans[0].attributes).toEqual(a.attributes);
  });

  it('keeps a value it cannot read exactly as the text written, with a finding, and loses nothing else', () => {
    const kv = (key: string, value: string) => `{"key":"${key}","value":${value}}`;
    const attrs = [
      kv('huge', '{"intValue":1.7976931348623157e+308}'), kv('frac', '{"intValue":12.5}'), kv('word', '{"intValue":"twelve"}'),
      kv('past.int64', '{"intValue":"99999999999999999999"}'), kv('nan', '{"doubleValue":"NaN"}'), kv('inf', '{"doubleValue":"-Infinity"}'),
      kv('big.ok', '{"intValue":9007199254740993}'), kv('str.ok', '{"intValue":"-42"}'), kv('dbl.ok', '{"doubleValue":"2.5"}'),
    ].join(',');
    const span = (id: string, start: string) =>
      `{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"${id}","startTimeUnixNano":${start},"endTimeUnixNano":"1700000000000000900","attributes":[${attrs}]}`;
    const line = `{"resourceSpans":[{"resource":{"attributes":[${kv('service.name', '{"stringValue":"svc"}')},${kv('res.huge', '{"intValue":1e300}')}]},"scopeSpans":[{"spans":[${span('00f067aa0ba902b7', '"1700000000000000001"')},${span('00f067aa0ba902b8', '1.7000000000000002e18')}]}]}]}`;
    const want = {
      huge: '1.7976931348623157e+308', frac: '12.5', word: 'twelve', 'past.int64': '99999999999999999999', nan: 'NaN', inf: '-Infinity',
      'big.ok': 9007199254740993n, 'str.ok': -42, 'dbl.ok': 2.5,
    };
    // JSON lines, and the same request pretty-printed (read record by record).
    for (const text of [line, line.replaceAll('},{', '},\n{')]) {
      const c = importBytes(enc.encode(text), 'odd.json', 50);
      expect(c.rejects).toEqual([]);
      expect(c.spans.map((s) => s.spanId)).toEqual(['00f067aa0ba902b7', '00f067aa0ba902b8']);
      for (const s of c.spans) {
        expect(s.attributes).toEqual(want);
        expect(s.resource.attributes['res.huge']).toBe('1e+300');
      }
      // A start written as a double is read rounded, and said so.
      expect(c.spans[1].startNs).toBe(1700000000000000256n);
      const messages = c.findings.map((f) => `${f.kind} ${f.spanId ?? '-'} ${f.message.replace(/^odd\.json, (line|byte) \d+: /, '')}`);
      expect(messages).toContain('inexact_value - resource.res.huge: intValue 1e+300 is not a 64-bit integer; kept as the text written');
      expect(messages).toContain('inexact_value 00f067aa0ba902b7 frac: intValue 12.5 is not a 64-bit integer; kept as the text written');
      expect(messages).toContain('inexact_value 00f067aa0ba902b8 nan: doubleValue NaN is not a number; kept as the text written');
      expect(messages).toContain('inexact_value 00f067aa0ba902b8 startTimeUnixNano 1700000000000000300 is not an integer of nanoseconds; read as 1700000000000000256');
      expect(messages).toHaveLength(1 + 2 * 6 + 1);
    }
  });

  it('parses doubles with long fractions exactly where a record holds a big integer too', () => {
    // 17 fraction digits are no integer of their own (they once made the record invalid JSON).
    const line = '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b7","startTimeUnixNano":1700000000000000001,"endTimeUnixNano":1700000000000000002,"attributes":[{"key":"r","value":{"doubleValue":0.12345678901234567}},{"key":"e","value":{"doubleValue":1.2345678901234567e-20}}]}]}]}]}';
    for (const text of [line, line.replace('{"resourceSpans"', ' {"resourceSpans"').replace(/,"attributes"/, ',\n"attributes"')]) {
      const c = importBytes(enc.encode(text), 'f.json');
      expect(c.rejects).toEqual([]);
      expect(c.spans[0].startNs).toBe(1700000000000000001n);
      expect(c.spans[0].attributes).toEqual({ r: 0.12345678901234567, e: 1.2345678901234567e-20 });
    }
  });

  it('reads Jaeger microseconds ×1000 exactly and an int64 tag beyond 2^53', () => {
    const j = importFile(`${CORPUS}/jaeger/internal/uimodel/converter/v1/json/fixtures/ui_01.json`);
    const s = j.spans.find((x) => x.name === 'some-operation' && x.attributes['javascript_limit'] !== undefined)!;
    expect(s.attributes['javascript_limit']).toBe(9223372036854775222n);
    expect(s.startNs).toBe(1485467191639875000n);
    expect(s.durationNs).toBe(5000);
  });
});

describe('streaming and bad input', () => {
  it('gives the same result whatever the chunk size', () => {
    for (const f of ['same-trace.otlp.json', 'same-trace.jaeger.json', 'same-trace.zipkin.json', 'zipkin-v1.json']) {
      const whole = dumpImport(importFile(`${FIX}${f}`, f, 1 << 20));
      for (const chunk of [1, 7, 64]) expect(dumpImport(importFile(`${FIX}${f}`, f, chunk))).toBe(whole);
    }
  });

  it('a truncated OTLP document keeps the spans before the cut and names the byte offset', () => {
    const bytes = read(`${FIX}same-trace.otlp.json`);
    const cut = new TextDecoder().decode(bytes).indexOf('"spanId": "c3c3c3c3c3c3c3c3"');
    const c = importBytes(bytes.subarray(0, cut), 'cut.json', 100);
    expect(c.spans.map((s) => s.spanId)).toEqual(['a1a1a1a1a1a1a1a1', 'b2b2b2b2b2b2b2b2']);
    expect(c.error?.describe()).toBe(`cut.json, byte ${cut}: unexpected end of input inside a record (the file is truncated)`);
  });

  it('a truncated Jaeger trace keeps its spans even though "processes" never came', () => {
    const bytes = read(`${FIX}same-trace.jaeger.json`);
    const cut = new TextDecoder().decode(bytes).indexOf('"processes"');
    const c = importBytes(bytes.subarray(0, cut), 'cut.json', 100);
    expect(c.spans.length).toBe(5);
    expect(new Set(c.spans.map((s) => s.service))).toEqual(new Set(['unknown_service']));
    expect(c.error?.describe()).toMatch(/^cut\.json, byte \d+: unexpected end of input/);
  });

  // Metrics lines are counted as skipped, no longer rejected: a request is read for what it holds.
  it('JSON lines: a broken line is rejected alone; logs lines become logs; metrics lines are counted as skipped', () => {
    const lines = readFileSync(`${CORPUS}/jaeger-ui/packages/jaeger-ui/src/utils/fixtures/otlp2jaeger-multi-in.json.txt`, 'utf8').trim().split('\n');
    const logs = JSON.stringify(JSON.parse(readFileSync(`${CORPUS}/opentelemetry-proto/examples/logs.json`, 'utf8')));
    const metrics = JSON.stringify(JSON.parse(readFileSync(`${CORPUS}/opentelemetry-proto/examples/metrics.json`, 'utf8')));
    const text = [lines[0], lines[1], lines[2].slice(0, 100), logs, '', metrics, lines[3], lines[2]].join('\r\n') + '\n';
    const c = importBytes(enc.encode(text), 'mixed.jsonl', 333);
    expect(c.format).toBe('otlp-json');
    expect(c.error).toBeNull();
    expect(c.spans.length).toBe(4);
    expect(c.logs.length).toBe(1);
    expect(c.logs[0]).toMatchObject({ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', line: 4, service: 'my.service' });
    expect(c.rejects.map((r) => [r.line, r.message.split(':')[0]])).toEqual([[3, 'invalid JSON']]);
    expect(c.tallied).toEqual({ lines: 8, continuations: 0, blank: 1, skipped: 4 });
  });

  it('a span without ids is rejected alone, with its offset; the others stay', () => {
    const doc = '{"resourceSpans":[\n{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b7","startTimeUnixNano":"1","endTimeUnixNano":"2"},{"name":"no ids","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}';
    const c = importBytes(enc.encode(doc), 'x.json');
    expect(c.spans.length).toBe(1);
    expect(c.spans[0].service).toBe('unknown_service');
    expect(c.rejects).toEqual([{ offset: doc.indexOf('{"name":"no ids"'), message: 'span "no ids" has no valid traceId (null)' }]);
    // The same document on one line is JSON lines: the reject names the line.
    expect(importBytes(enc.encode(doc.replace('\n', '')), 'x.json').rejects).toEqual([{ line: 1, message: 'span "no ids" has no valid traceId (null)' }]);
  });
});

describe('Jaeger and Zipkin specifics', () => {
  it('Zipkin v1: a span with cs/sr/ss/cr becomes a client and a server span with one id; lc makes a local span', () => {
    const c = importFile(`${FIX}zipkin-v1.json`);
    expect(c.format).toBe('zipkin-json');
    const byKind = Object.fromEntries(c.spans.map((s) => [s.kind, s]));
    expect(c.spans.length).toBe(3);
    expect(byKind.client).toMatchObject({
      spanId: '6b221d5bc9e6496c', service: 'frontend', startNs: 1472470996199000000n, durationNs: 207000000, parentSpanId: null,
      attributes: { 'http.path': '/api', 'peer.service': 'backend', 'net.peer.ip': '192.168.99.101', 'net.peer.port': 9000 },
    });
    expect(byKind.server).toMatchObject({ spanId: '6b221d5bc9e6496c', service: 'backend', startNs: 1472470996238000000n, durationNs: 165000000, status: 'error', statusMessage: '500 from db' });
    expect(byKind.server.events).toEqual([{ timeNs: 1472470996350000000n, name: 'cache miss', attributes: {} }]);
    expect(byKind.unspecified).toMatchObject({ spanId: '352bff9a74ca9ad2', parentSpanId: '6b221d5bc9e6496c', service: 'backend', attributes: { lc: 'jdbc' } });
    expect(c.spans[0].traceId).toBe('00000000000000005af7183fb1d4cf5f');
  });

  it('Jaeger FOLLOWS_FROM becomes the parent with parentRef follows_from', () => {
    const c = importFile(`${CORPUS}/jaeger-ui/critical-path-extracted/test5.jaeger.json`);
    const b = c.spans.find((s) => s.spanIdRaw === 'span-B')!;
    const a = c.spans.find((s) => s.spanIdRaw === 'span-A')!;
    expect([b.parentSpanId, b.parentRef, b.kind, a.kind]).toEqual([a.spanId, 'follows_from', 'consumer', 'producer']);
    expect(a.spanId).toMatch(/^[0-9a-f]{16}$/); // a non-hex id is hashed to a stable hex id, the text kept as raw
  });

  it('Jaeger warnings become findings; a trace-level one too', () => {
    const c = importFile(`${CORPUS}/jaeger/internal/uimodel/converter/v1/json/fixtures/ui_01.json`);
    expect(c.findings.map((f) => [f.kind, f.spanId, f.message.replace(/ \(byte \d+\)/, '')])).toEqual([
      ['warning', '0000000000000004', 'Jaeger warning: some span warning'],
      ['warning', '0000000000000005', 'Jaeger warning: some span warning'],
      ['warning', null, 'Jaeger trace warning: some trace warning'],
    ]);
  });
});

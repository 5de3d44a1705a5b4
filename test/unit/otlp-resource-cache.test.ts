// Resources repeated across OTLP requests are converted once and shared (OtlpResourceCache), and
// never confused: any difference in a key, a value or a value's type gives a resource of its own.
import { describe, expect, it } from 'vitest';
import {
  OtlpResourceCache, forEachOtlpSpan, convertOtlpSpan, convertOtlpTraces, type OtlpKeyValue, type OtlpTraceRequest,
} from '../../src-renderer/core/import/otlp-convert.ts';
import { parseExact } from '../../src-renderer/core/base/json.ts';
import { convertOtlpLogRecord, forEachOtlpLogRecord, type OtlpResourceLogs } from '../../src-renderer/core/import/otlp-logs-convert.ts';
import type { OtlpResourceCache as Cache } from '../../src-renderer/core/import/otlp-convert.ts';

/** The log records of one ResourceLogs, its resource read through `cache` when given. */
function convertOtlpResourceLogs(rl: OtlpResourceLogs, line: number, cache?: Cache) {
  const out: ReturnType<typeof convertOtlpLogRecord>[] = [];
  forEachOtlpLogRecord(rl, (r, res, scope) => out.push(convertOtlpLogRecord(r, res, scope, line, null)), cache);
  return out;
}
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { importBytes } from './import-harness.ts';

const kv = (key: string, value: OtlpKeyValue['value']): OtlpKeyValue => ({ key, value });
const res = (...kvs: OtlpKeyValue[]) => ({ attributes: kvs });
const svc = (name: string) => kv('service.name', { stringValue: name });

describe('OtlpResourceCache', () => {
  it('gives a repeat of the same attributes (new objects, as a new request parses them) the same resource', () => {
    const c = new OtlpResourceCache();
    const a = c.get(res(svc('cart'), kv('pid', { intValue: '42' })));
    const b = c.get(res(svc('cart'), kv('pid', { intValue: '42' })));
    expect(b).toBe(a);
    expect(a.service).toBe('cart');
    expect(a.resource.attributes).toEqual({ 'service.name': 'cart', pid: 42 });
  });

  it('tells apart a changed value, a changed type, a changed key, an extra attribute and another service', () => {
    const c = new OtlpResourceCache();
    const base = c.get(res(svc('cart'), kv('pid', { intValue: '42' })));
    const variants = [
      res(svc('cart'), kv('pid', { intValue: '43' })),
      res(svc('cart'), kv('pid', { stringValue: '42' })),
      res(svc('cart'), kv('ppid', { intValue: '42' })),
      res(svc('cart'), kv('pid', { intValue: '42' }), kv('host', { stringValue: 'h' })),
      res(svc('shop'), kv('pid', { intValue: '42' })),
    ];
    for (const v of variants) {
      const got = c.get(v);
      expect(got).not.toBe(base);
      expect(got.resource.attributes).toEqual(Object.fromEntries(v.attributes.map((x) => [x.key, x.value?.stringValue ?? Number(x.value?.intValue)])));
    }
  });

  it('converts resources with nested values every time (compared by scalars only)', () => {
    const c = new OtlpResourceCache();
    const nested = () => res(svc('cart'), kv('tags', { arrayValue: { values: [{ stringValue: 'a' }] } }));
    const a = c.get(nested());
    const b = c.get(res(svc('cart'), kv('tags', { arrayValue: { values: [{ stringValue: 'b' }] } })));
    expect(a.resource.attributes.tags).toEqual(['a']);
    expect(b.resource.attributes.tags).toEqual(['b']);
  });
});

describe('OTLP JSON lines with repeated resources', () => {
  it('share one resource object per distinct resource across lines', () => {
    const line = (svcName: string, ver: string, spanId: string) =>
      JSON.stringify({
        resourceSpans: [{
          resource: { attributes: [svc(svcName), kv('service.version', { stringValue: ver })] },
          scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId, name: 'x', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }],
        }],
      });
    const text = [line('a', '1', '00f067aa0ba902b1'), line('a', '1', '00f067aa0ba902b2'), line('a', '2', '00f067aa0ba902b3'), line('b', '1', '00f067aa0ba902b4')].join('\n');
    const c = importBytes(new TextEncoder().encode(text), 'r.jsonl');
    const [s1, s2, s3, s4] = c.spans;
    expect(s2.resource).toBe(s1.resource);
    expect(s3.resource).not.toBe(s1.resource);
    expect(s3.resource.attributes['service.version']).toBe('2');
    expect([s4.service, s4.resource.attributes['service.version']]).toEqual(['b', '1']);
  });
});

describe('OtlpResourceCache.cut: a resource text seen before is not parsed again', () => {
  const TRACE = '0af7651916cd43dd8448eb211c80319c';
  const longResource = (name: string) => ({
    attributes: [svc(name), kv('service.version', { stringValue: '2.14.1' }), kv('deployment.environment.name', { stringValue: 'production' }), kv('pid', { intValue: '4242' })],
  });
  const span = (spanId: string, extra: Record<string, unknown> = {}) => ({ traceId: TRACE, spanId, name: 'op', startTimeUnixNano: '1000', endTimeUnixNano: '2000', ...extra });
  const line = (resources: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ resourceSpans: resources.map((resource, i) => ({ resource, scopeSpans: [{ spans: [span(`00f067aa0ba902b${i}`, extra)] }] })) });

  /** Read a line as the JSON lines reader does: cut, parse, convert through the cache. */
  const read = (c: OtlpResourceCache, text: string) => {
    const out: Span[] = [];
    forEachOtlpSpan(JSON.parse(c.cut(text)) as OtlpTraceRequest, (s, r, sc) => out.push(convertOtlpSpan(s, r, sc)), c);
    return out;
  };
  const reference = (text: string) => convertOtlpTraces(parseExact(text));

  it('cuts each known resource out of a later line, and reads the same spans as without', () => {
    const c = new OtlpResourceCache();
    const first = line([longResource('cart'), longResource('shop')]);
    expect(c.cut(first)).toBe(first); // nothing known yet
    expect(read(c, first)).toEqual(reference(first));
    const later = line([longResource('shop'), longResource('cart'), longResource('cart')], { attributes: [kv('http.route', { stringValue: '/x' })] });
    const cut = c.cut(later);
    expect(later.length - cut.length).toBeGreaterThan(2 * JSON.stringify(longResource('cart')).length);
    expect(cut).not.toContain('deployment.environment.name');
    const spans = read(c, later);
    expect(spans).toEqual(reference(later));
    expect(spans[1].resource).toBe(spans[2].resource); // one converted resource, shared
  });

  it('never cuts a resource written in any other way, and still reads it right', () => {
    const c = new OtlpResourceCache();
    read(c, line([longResource('cart')]));
    const compact = JSON.stringify(longResource('cart'));
    const variants = [
      line([longResource('cart')]).replace('"resource":{', '"resource": {'), // a space
      line([longResource('cart')]).replace('"cart"', '"c\\u0061rt"'), // an escape: the same value, other text
      line([{ attributes: [...longResource('cart').attributes].reverse() }]), // another order
      line([longResource('cart')]).replace('{"intValue":"4242"}', '{"intValue":12345678901234567890}'), // exact only with BigInt
      line([longResource('cart')]).replace(compact, compact.slice(0, -1) + ',"droppedAttributesCount":0}'), // a field more
    ];
    for (const v of variants) {
      const cut = c.cut(v);
      expect(cut).toBe(v);
      const spans = v.includes('12345678901234567890') ? reference(v) : read(c, v);
      expect(spans).toEqual(reference(v));
    }
    expect(reference(variants[1])[0].service).toBe('cart');
  });

  it('leaves alone resource text inside a string and a token not its own; cuts logs\' resources too', () => {
    const c = new OtlpResourceCache();
    const res1 = longResource('cart');
    read(c, line([res1]));
    // In a string the quotes are escaped, so the text never reads as a resource there.
    const inString = line([res1], { attributes: [kv('note', { stringValue: `{"resource":${JSON.stringify(res1)}}` })] });
    const spans = read(c, inString);
    expect(spans).toEqual(reference(inString));
    expect(spans[0].attributes.note).toBe(`{"resource":${JSON.stringify(res1)}}`);
    // A file that writes a token-like string as its resource gets what it wrote: no resource.
    const forged = line(['\u0000resource:abc:0']);
    expect(read(c, forged)[0].service).toBe('unknown_service');
    // resourceLogs name their resource the same way, and read it back through the cache.
    const logs = [{ resource: res1, scopeLogs: [{ logRecords: [{ timeUnixNano: '5', body: { stringValue: 'hi' } }] }] }];
    const withLogs = JSON.stringify({ ...JSON.parse(line([res1])), resourceLogs: logs });
    const cut = c.cut(withLogs);
    expect(cut).not.toContain('deployment.environment.name');
    const doc = JSON.parse(cut) as OtlpTraceRequest & { resourceLogs: OtlpResourceLogs[] };
    expect(convertOtlpResourceLogs(doc.resourceLogs[0], 1, c)).toEqual(convertOtlpResourceLogs(logs[0], 1));
    expect(convertOtlpResourceLogs(doc.resourceLogs[0], 1, c)[0].service).toBe('cart');
  });

  it('reads logs whose resource was cut from a later line of the file', () => {
    const res1 = longResource('cart');
    const logs = (body: string) => ({ resource: res1, scopeLogs: [{ logRecords: [{ timeUnixNano: '5', body: { stringValue: body } }] }] });
    const text = [line([res1]), JSON.stringify({ resourceLogs: [logs('one')] }), JSON.stringify({ ...JSON.parse(line([res1])), resourceLogs: [logs('two')] })].join('\n');
    const c = importBytes(new TextEncoder().encode(text), 'mixed.jsonl');
    expect(c.rejects).toEqual([]);
    expect(c.spans.map((s) => s.service)).toEqual(['cart', 'cart']);
    expect(c.logs.map((l) => [l.message, l.service, l.line])).toEqual([['one', 'cart', 2], ['two', 'cart', 3]]);
  });

  it('reports a broken line with what JSON.parse says of the line as written', () => {
    const res1 = longResource('cart');
    const good = line([res1]);
    const broken = line([res1]).replace('"name":"op"', '"name":op');
    const c = importBytes(new TextEncoder().encode(`${good}\n${broken}\n${good}`), 'broken.jsonl');
    expect(c.spans).toHaveLength(2);
    let message = '';
    try {
      JSON.parse(broken);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(c.rejects).toHaveLength(1);
    expect(c.rejects[0]).toMatchObject({ line: 2 });
    expect(c.rejects[0].message).toContain(message);
  });
});

// Resources repeated across OTLP requests are converted once and shared (OtlpResourceCache), and
// never confused: any difference in a key, a value or a value's type gives a resource of its own.
import { describe, expect, it } from 'vitest';
import { OtlpResourceCache, type OtlpKeyValue } from '../../src-renderer/core/import/otlp-convert.ts';
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

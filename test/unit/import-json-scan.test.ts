// The streaming record scanner: the same records whatever the chunking (split at every byte,
// including inside escapes and multi-byte UTF-8), exact 64-bit integers, scopes and contexts,
// and faults reported with their byte offset after everything before them was handed on.
import { describe, expect, it } from 'vitest';
import { JsonRecordScanner, type ScanPatterns } from '../../src-renderer/core/import/json-scan.ts';
import { InputError } from '../../src-renderer/core/base/result.ts';

const enc = new TextEncoder();

function scan(bytes: Uint8Array, spec: ScanPatterns, splits: number[] = []): { events: string[]; error: string | null } {
  const events: string[] = [];
  const sc = new JsonRecordScanner(spec, {
    record: (w, v, o) => events.push(`record ${w} @${o} ${typeof v === 'object' ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)) : String(v)}`),
    context: (w, k, v, o) => events.push(`context ${w} ${k} @${o} ${JSON.stringify(v)}`),
    open: (w, o) => events.push(`open ${w} @${o}`),
    close: (w, o) => events.push(`close ${w} @${o}`),
    invalid: (o, m) => events.push(`invalid @${o} ${m.split(':')[0]}`),
  }, 'doc.json');
  let error: string | null = null;
  try {
    let last = 0;
    for (const s of [...splits, bytes.length]) {
      sc.push(bytes.subarray(last, s));
      last = s;
    }
    sc.end();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    error = e.describe();
  }
  return { events, error };
}

const OTLP_SPEC: ScanPatterns = {
  records: ['resourceSpans.[].scopeSpans|instrumentationLibrarySpans.[].spans.[]'],
  contexts: ['resourceSpans.[].resource'],
  scopes: ['resourceSpans.[]'],
};

const DOC = `\ufeff{"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "caf\u00e9 \u{1F600}"}}]},
 "schemaUrl": "x", "scopeSpans": [{"scope": {"name": "s"}, "spans": [
  {"name": "a \\"quoted\\" \\\\ back\\\\", "n": 9007199254740993, "f": 1.5e3, "t": [true, false, null], "u": "\\u00e9\u00fc\u4e2d"},
  {"name": "}]{[", "spans": [{"not": "a record"}], "n": -12345678901234567890}
 ]}], "instrumentationLibrarySpans": [{"spans": [{"name": "old"}]}]}], "other": {"spans": [1]}}`;

describe('JsonRecordScanner', () => {
  const bytes = enc.encode(DOC);
  const whole = scan(bytes, OTLP_SPEC);

  it('finds the records, the context and the scopes of a document', () => {
    expect(whole.error).toBeNull();
    const rec = whole.events.filter((e) => e.startsWith('record'));
    expect(rec.length).toBe(3);
    expect(rec[0]).toContain('"n":"9007199254740993n"'); // exact, as BigInt
    expect(rec[0]).toContain('"u":"éü中"');
    expect(rec[0]).toContain('"name":"a \\"quoted\\" \\\\ back\\\\"');
    expect(rec[1]).toContain('"n":"-12345678901234567890n"');
    expect(rec[2]).toContain('"name":"old"');
    expect(whole.events[0]).toBe('open 0 @22');
    expect(whole.events[1]).toMatch(/^context 0 resource @35 .*café 😀/);
    expect(whole.events.at(-1)).toMatch(/^close 0 @/);
    // Record offsets are byte offsets (the BOM and the multi-byte characters count as bytes).
    const first = rec[0].match(/@(\d+)/)![1];
    expect(new TextDecoder().decode(bytes.subarray(Number(first), Number(first) + 9))).toBe('{"name": ');
  });

  it('gives the same events when the input is split at every byte position', () => {
    for (let cut = 0; cut <= bytes.length; cut++) expect(scan(bytes, OTLP_SPEC, [cut]).events).toEqual(whole.events);
  });

  it('gives the same events when fed one byte at a time', () => {
    expect(scan(bytes, OTLP_SPEC, Array.from({ length: bytes.length }, (_, i) => i)).events).toEqual(whole.events);
  });

  it('reads a list of spans and a list of lists with the same patterns, and several root values', () => {
    const spec = { records: ['[]', '[].[]'], scopes: [''] };
    const r = scan(enc.encode('[{"id":1},{"id":2}]\n[[{"id":3}],[{"id":4},{"id":5}]] [] '), spec);
    expect(r.error).toBeNull();
    expect(r.events.filter((e) => e.startsWith('record')).map((e) => e.split(' ').at(-1))).toEqual(['{"id":1}', '{"id":2}', '{"id":3}', '{"id":4}', '{"id":5}']);
    expect(r.events.filter((e) => e.startsWith('open')).length).toBe(3);
  });

  it('reports root members with the "*" context, and values that are not containers', () => {
    const r = scan(enc.encode('{"traceID":"ab","spans":[{"x":1}],"n":12,"ok":true}'), { records: ['spans.[]'], contexts: ['*'] });
    expect(r.events).toEqual(['context 0 traceID @11 "ab"', 'record 0 @25 {"x":1}', 'context 0 n @38 12', 'context 0 ok @46 true']);
  });

  it('a truncated document: the records before the cut are handed on, then the byte offset of the end', () => {
    const cut = DOC.indexOf('{"name": "}]{[');
    const part = enc.encode(DOC.slice(0, cut + 20));
    const r = scan(part, OTLP_SPEC, [50, 100]);
    expect(r.events.filter((e) => e.startsWith('record')).length).toBe(1);
    expect(r.error).toBe(`doc.json, byte ${part.length}: unexpected end of input inside a record (the file is truncated)`);
  });

  it('a structural fault names its byte offset, after the records before it', () => {
    const r = scan(enc.encode('[{"a":1},{"b":2} {"c":3}]'), { records: ['[]'] });
    expect(r.events.length).toBe(2);
    expect(r.error).toBe("doc.json, byte 17: expected ',' or ']' in an array, found '{'");
    expect(scan(enc.encode('{"a" 1}'), { records: [], scopes: [''] }).error).toBe("doc.json, byte 5: expected ':' after key \"a\", found '1'");
    expect(scan(enc.encode('{"a":1,}'), { records: [], scopes: [''] }).error).toBe("doc.json, byte 7: expected an object key, found '}'");
    expect(scan(enc.encode('  '), { records: [] }).error).toBeNull();
  });

  it('16-digit integers: up to 2^53-1 stay numbers, above become exact BigInt, whatever the split', () => {
    const b = enc.encode('[{"a":9007199254740991,"b":1544712660000000},{"a":9007199254740992},{"a":-9007199254740993}]');
    for (let cut = 0; cut <= b.length; cut++)
      expect(scan(b, { records: ['[]'] }, [cut]).events.map((e) => e.replace(/ @\d+/, ''))).toEqual([
        'record 0 {"a":9007199254740991,"b":1544712660000000}', 'record 0 {"a":"9007199254740992n"}', 'record 0 {"a":"-9007199254740993n"}',
      ]);
  });

  it('a record JSON.parse refuses is reported and the scan goes on', () => {
    const r = scan(enc.encode('[{"a":1},{"b":tru},{"c":3}]'), { records: ['[]'] });
    expect(r.events).toEqual(['record 0 @1 {"a":1}', 'invalid @9 invalid JSON record', 'record 0 @19 {"c":3}']);
    expect(r.error).toBeNull();
  });
});

describe('stopping at the end of each root value', () => {
  it('reads up to just after a root value, then goes on from there when pushed the rest', () => {
    const text = enc.encode('{"a":[1,2]}  \n{"a":[3]}\n');
    const records: unknown[] = [];
    const sc = new JsonRecordScanner({ records: ['a.[]'] }, { record: (_w, v) => records.push(v), invalid: () => {} }, 'x.jsonl');
    sc.stopAtRootEnd = true;
    const used = sc.push(text);
    expect(used).toBe('{"a":[1,2]}'.length);
    expect([records, sc.roots, sc.inValue]).toEqual([[1, 2], 1, false]);
    // Pushed the rest, it stops after the next root; the caller decides what the rest is.
    const more = sc.push(text.subarray(used));
    expect(more).toBe('  \n{"a":[3]}'.length);
    expect(records).toEqual([1, 2, 3]);
    sc.stopAtRootEnd = false;
    expect(sc.push(text.subarray(used + more))).toBe(1);
    sc.end();
    expect(sc.bytesRead).toBe(text.length);
  });

  it('a root value split across chunks stops in the chunk where it ends', () => {
    const sc = new JsonRecordScanner({ records: ['[]'] }, { record: () => {}, invalid: () => {} }, 'x.json');
    sc.stopAtRootEnd = true;
    expect(sc.push(enc.encode('[1,'))).toBe(3);
    expect(sc.push(enc.encode('2] [3]'))).toBe(2);
    expect(sc.roots).toBe(1);
  });
});

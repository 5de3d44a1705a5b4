// One test per bug the importer and parser properties found (test/fuzz), each on the smallest
// input that showed it.
import { describe, it, expect } from 'vitest';
import { formatIsoNs, parseEpochNs, parseRfc3339Ns, usToEpochNs, epochNs, MAX_EPOCH_NS } from '../../src-renderer/core/base/time.ts';
import { findTimestamp, epochToNs, parseTimeValue } from '../../src-renderer/core/import/logs/timestamp.ts';
import { UTC_ZONE } from '../../src-renderer/core/import/logs/zone.ts';
import { importBytes } from './import-harness.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const T = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('bugs found by the properties', () => {
  it('a time past 64-bit nanoseconds is unreadable everywhere, not a number SQLite would round', () => {
    expect(parseEpochNs('253402300799999999999')).toBeNull();
    expect(parseEpochNs(2n ** 63n)).toBeNull();
    expect(parseEpochNs((2n ** 63n - 1n).toString())).toBe(MAX_EPOCH_NS);
    expect(findTimestamp('9999-12-31T23:59:59.999999999Z boom', 0, UTC_ZONE)).toBeNull();
    expect(parseTimeValue('9999-12-31T23:59:59Z', UTC_ZONE)).toBeNull();
    expect(epochToNs('9999999999999999999')).toBeNull();
    expect(parseRfc3339Ns('9999-12-31T23:59:59Z')).toBeNull();
    expect(usToEpochNs(253402300799999999)).toBeNull();
    // Still read: the edges of the range, and 0.
    expect(findTimestamp('2262-04-11T23:47:16Z x', 0, UTC_ZONE)?.ns).toBe(9223372036000000000n);
    expect(parseTimeValue('1970-01-01T00:00:00Z', UTC_ZONE)).toBe(0n);
  });

  it('a time before 1970 prints with its own fraction', () => {
    expect(formatIsoNs(epochNs(-1n))).toBe('1969-12-31T23:59:59.999999999Z');
    expect(formatIsoNs(epochNs(-1_500_000_000n))).toBe('1969-12-31T23:59:58.500000000Z');
    expect(formatIsoNs(epochNs(0n))).toBe('1970-01-01T00:00:00.000000000Z');
    expect(formatIsoNs(MAX_EPOCH_NS)).toBe('2262-04-11T23:47:16.854775807Z');
  });

  it('an OTLP span that ends before it starts is kept, 0 long, with the duration as written', () => {
    const doc = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: T, spanId: '00f067aa0ba902b7', name: 'back', startTimeUnixNano: '1000', endTimeUnixNano: '868' }] }] }] };
    const out = importBytes(enc(JSON.stringify(doc)), 'neg.json');
    expect(out.spans).toHaveLength(1);
    expect(out.spans[0].durationNs).toBe(0);
    expect(out.spans[0].attributes['tracedeck.duration_as_written_ns']).toBe(-132);
  });

  it('a Jaeger span whose duration runs past 2262 ends there', () => {
    const doc = { data: [{ traceID: T, spans: [{ traceID: T, spanID: '00f067aa0ba902b7', operationName: 'x', startTime: 1700000000000000, duration: 9e15, processID: 'p' }], processes: { p: { serviceName: 's' } } }] };
    const out = importBytes(enc(JSON.stringify(doc)), 'long.json');
    const s = out.spans[0];
    expect(s.startNs + BigInt(s.durationNs)).toBeLessThanOrEqual(MAX_EPOCH_NS);
    expect(s.attributes['tracedeck.duration_as_written_ns']).toBe(9e18);
  });

  it('log records inside an OTLP JSON document carry the line they start on', () => {
    const text = [
      '{',
      '  "resourceSpans": [],',
      '  "resourceLogs": [',
      '    {"scopeLogs": [{"logRecords": [{"timeUnixNano": "1709287200000000001", "body": {"stringValue": "a"}}]}]},',
      '    {"scopeLogs": [{"logRecords": [{"timeUnixNano": "1709287200000000002", "body": {"stringValue": "b"}}]}]}',
      '  ]',
      '}',
    ].join('\n');
    for (const chunk of [1 << 16, 7, 1]) {
      const out = importBytes(enc(text), 'mixed.json', chunk, 'otlp-json');
      expect(out.logs.map((l) => [l.message, l.line])).toEqual([['a', 4], ['b', 5]]);
    }
  });
});

describe('bugs found by the properties: log text', () => {
  it('the encoding of a log file does not depend on how it was cut into chunks', () => {
    // UTF-16LE without a BOM, misaligned by a stray byte: the first four bytes alone look like UTF-16BE.
    const le = (s: string) => [...s].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]);
    const bytes = Uint8Array.from([0, 50, 0, 123, ...le('024-03-01 10:00:00 INFO héllo wörld\r\n2024-03-01 10:00:01 ERROR failure\r\n')]);
    const whole = importBytes(bytes, 'cut-utf16.log', 1 << 16, 'logs-generic');
    for (const chunk of [1, 3, 5]) {
      const cut = importBytes(bytes, 'cut-utf16.log', chunk, 'logs-generic');
      expect(cut.logs.map((l) => l.message)).toEqual(whole.logs.map((l) => l.message));
    }
  });
});

describe('bugs found by the properties: names that are Object.prototype keys', () => {
  it('a level or span kind written "constructor" or "__proto__" is unknown, not a function', async () => {
    const { severityFromText, isLevelWord } = await import('../../src-renderer/core/import/logs/severity.ts');
    const { kindFromText } = await import('../../src-renderer/core/import/trace-common.ts');
    for (const w of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(severityFromText(w)).toBeNull();
      expect(isLevelWord(w)).toBe(false);
      expect(kindFromText(w)).toBeNull();
    }
    const logfmt = importBytes(enc('ts=2025-11-24T16:00:00Z level=constructor msg=x\nts=2025-11-24T16:00:01Z level=__proto__ msg=y\n'), 'proto.log', 1 << 16, 'logs-logfmt');
    expect(logfmt.logs.map((l) => l.severity)).toEqual([null, null]);
    const doc = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: T, spanId: '00f067aa0ba902b7', name: 'k', kind: 'constructor', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }] };
    expect(importBytes(enc(JSON.stringify(doc)), 'kind.json').spans[0].kind).toBe('unspecified');
  });
});

describe('bugs found by the properties: ids', () => {
  it('a base64 id that begins with "0x" is read as base64, not stripped of a hex prefix', async () => {
    const { normalizeId } = await import('../../src-renderer/core/base/ids.ts');
    expect(normalizeId('0xAAAAAAAAAAAAAAAAAAAA==', 'trace')?.hex).toBe('d3100000000000000000000000000000');
    expect(normalizeId('0X0000000000000000000000000000abcd', 'trace')?.hex).toBe('0000000000000000000000000000abcd');
    expect(normalizeId('0xabcd', 'span')?.hex).toBe('000000000000abcd');
  });
});

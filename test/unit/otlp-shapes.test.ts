// OTLP/JSON requests whose parts have the wrong shape: an entry of resourceSpans that is a
// number, scopeSpans that is a string (for-of would walk its characters), spans that is an object.
// Each such part is one rejected record naming its place; the spans beside it are kept.
import { describe, it, expect } from 'vitest';
import { importBytes } from './import-harness.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const span = (id: string) => ({ traceId: T, spanId: id, name: 'ok', startTimeUnixNano: '1000', endTimeUnixNano: '2000' });
const good = { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }, scopeSpans: [{ spans: [span('00f067aa0ba902b7')] }] };

describe('OTLP/JSON parts of the wrong shape', () => {
  const request = {
    resourceSpans: [
      42,
      { scopeSpans: 'x'.repeat(100_000) },
      { scopeSpans: [7, { spans: { not: 'a list' } }, { spans: ['a string', span('00f067aa0ba902b8')] }] },
      good,
    ],
  };

  it('reports each with its place and keeps every span beside them (JSON lines)', () => {
    const out = importBytes(enc(`${JSON.stringify(request)}\n${JSON.stringify({ resourceSpans: [good] })}\n`), 'shapes.jsonl');
    expect(out.spans.map((s) => s.spanId)).toEqual(['00f067aa0ba902b8', '00f067aa0ba902b7', '00f067aa0ba902b7']);
    expect(out.rejects).toEqual([
      { line: 1, message: 'resourceSpans[0] is a number, not an object: skipped' },
      { line: 1, message: 'resourceSpans[1].scopeSpans is a string, not a list: skipped' },
      { line: 1, message: 'resourceSpans[2].scopeSpans[0] is a number, not an object: skipped' },
      { line: 1, message: 'resourceSpans[2].scopeSpans[1].spans is an object, not a list: skipped' },
      { line: 1, message: 'not a span object' },
    ]);
  });

  it('the same in a single document', () => {
    const out = importBytes(enc(JSON.stringify(request)), 'shapes.json');
    expect(out.spans.map((s) => s.spanId)).toEqual(['00f067aa0ba902b8', '00f067aa0ba902b7']);
    expect(out.rejects.length).toBeGreaterThanOrEqual(1);
  });

  it('log requests too', () => {
    const logs = { resourceLogs: [{ scopeLogs: 'abc' }, { scopeLogs: [{ logRecords: [{ timeUnixNano: '1000', body: { stringValue: 'kept' } }] }, null] }] };
    const out = importBytes(enc(`${JSON.stringify(logs)}\n`), 'logs.jsonl');
    expect(out.logs.map((l) => l.message)).toEqual(['kept']);
    expect(out.rejects).toEqual([
      { line: 1, message: 'resourceLogs[0].scopeLogs is a string, not a list: skipped' },
      { line: 1, message: 'resourceLogs[1].scopeLogs[1] is null, not an object: skipped' },
    ]);
  });
});

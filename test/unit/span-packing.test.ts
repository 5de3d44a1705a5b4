import { describe, it, expect } from 'vitest';
import { packSpans, unpackSpans } from '../../src-renderer/engine/wire/trace-view.ts';
import type { TraceSpans, SpanNodes } from '../../src-renderer/core/model/span-columns.ts';

function spans(ids: string[], parents: (string | null)[]): TraceSpans & SpanNodes {
  const n = ids.length;
  return {
    traceId: 'a'.repeat(32), startNs: '1700000000000000001', spanRow: ids.map((_, i) => i + 10), spanId: ids, parentSpanId: parents,
    parentRef: ids.map((_, i) => (i === 2 ? 'follows_from' : 'child_of')), name: ids.map((_, i) => `op ${i % 2}`), service: ids.map((_, i) => (i ? 'b' : 'a')),
    kind: ['server', 'client', 'consumer'].slice(0, n) as TraceSpans['kind'], status: ['unset', 'error', 'ok'].slice(0, n) as TraceSpans['status'],
    isError: ids.map((_, i) => i === 1), start: ids.map((_, i) => i * 1.5), duration: ids.map((_, i) => 2 ** 52 + i),
    operation: ids.map((_, i) => `op ${i % 2}`), node: ids.map((_, i) => (i === 2 ? 'postgresql' : i ? 'b' : 'a')),
  };
}

describe('span packing for the worker → UI trip', () => {
  it('round-trips every column, with names and services sent once', () => {
    const s = spans(['0000000000000001', '0000000000000002', '00000000000000ff'], [null, '0000000000000001', '0000000000000001']);
    const p = packSpans(s);
    expect(typeof p.spanIds).toBe('string');
    expect(p.strings).toEqual(['op 0', 'a', 'op 1', 'b', 'postgresql']);
    expect(unpackSpans(structuredClone(p))).toEqual(s);
  });

  it('falls back to plain lists when an id is not 16 characters', () => {
    const s = spans(['abc', '0000000000000002', '0000000000000003'], [null, 'abc', '0000000000000002']);
    const p = packSpans(s);
    expect(Array.isArray(p.spanIds)).toBe(true);
    expect(unpackSpans(p)).toEqual(s);
  });
});

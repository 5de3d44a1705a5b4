// Error-path scenarios, drawn as timelines (E = in error), answers worked out by hand.

import { describe, it, expect } from 'vitest';
import {
  computeErrorPath,
  errorMessage,
  isErrSpanInError,
  type ErrSpan,
} from '../../src-renderer/core/analysis/error-path.ts';
import type { Attributes, StatusCode } from '../../src-renderer/core/model/trace.ts';

function sp(
  spanId: string,
  parentSpanId: string | null,
  start: number,
  end: number,
  more: Partial<Pick<ErrSpan, 'service' | 'name' | 'statusMessage' | 'exceptions' | 'isError'>> & { status?: StatusCode; attributes?: Attributes } = {},
): ErrSpan {
  return { spanId, parentSpanId, start, duration: end - start, service: 'svc', name: `op ${spanId}`, status: 'unset', attributes: {}, ...more };
}
const E = { status: 'error' as const };
const ms = 1e6;

describe('computeErrorPath', () => {
  it('follows nested errors down to the root cause and summarises it', () => {
    // frontend GET /checkout   ├──────────────────┤ E   0..3000 ms
    // checkout POST /order       ├───────────────┤  E   100..2900
    // payment  POST /charge        ├────────────┤   E   200..2800
    // payment  db.query              ├──────────┤   E   300..2300 "timeout", no child in error
    // payment  cache.get           ├┤                   200..250 ok
    const spans = [
      sp('a', null, 0, 3000 * ms, { ...E, service: 'frontend', name: 'GET /checkout' }),
      sp('b', 'a', 100 * ms, 2900 * ms, { ...E, service: 'checkout', name: 'POST /order' }),
      sp('c', 'b', 200 * ms, 2800 * ms, { ...E, service: 'payment', name: 'POST /charge' }),
      sp('d', 'c', 300 * ms, 2300 * ms, { ...E, service: 'payment', name: 'db.query', statusMessage: 'timeout' }),
      sp('e', 'c', 200 * ms, 250 * ms, { service: 'payment', name: 'cache.get' }),
    ];
    const r = computeErrorPath(spans);
    expect(r.path).toEqual([0, 1, 2, 3]);
    expect(r.rootCause).toBe(3);
    expect(r.summary).toBe('payment › POST /charge › db.query: timeout after 2.00 s');
  });

  it('takes the error child that ended last', () => {
    // R  ├────────────┤ E  0..100
    // A   ├───┤         E  10..40   ended first: not followed
    // B        ├────┤   E  50..90   ended last: followed
    // C    ├──────┤        20..95   ended last of all, but not in error
    // A1   ├─┤          E  15..30   child of A: never reached
    const spans = [
      sp('R', null, 0, 100, E), sp('A', 'R', 10, 40, E), sp('B', 'R', 50, 90, { ...E, statusMessage: 'bad gateway' }),
      sp('C', 'R', 20, 95), sp('A1', 'A', 15, 30, E),
    ];
    const r = computeErrorPath(spans);
    expect(r.path).toEqual([0, 2]);
    expect(r.rootCause).toBe(2);
    expect(r.summary).toBe('svc › op R › op B: bad gateway after 40 ns');
  });

  it('gives the path of just the root and no root cause when nothing failed', () => {
    const spans = [sp('R', null, 0, 100, { service: 'gw', name: 'GET /' }), sp('A', 'R', 10, 40), sp('B', 'A', 20, 30)];
    const r = computeErrorPath(spans);
    expect(r.path).toEqual([0]);
    expect(r.rootCause).toBeNull();
    expect(r.summary).toBe('no error at or below gw › GET /');
  });

  it('walks through a root that is fine to the children that failed', () => {
    // The root answered (a fallback), its call failed: the walk still starts at the root.
    const spans = [sp('R', null, 0, 100, { service: 'web' }), sp('A', 'R', 10, 60, { ...E, service: 'api', name: 'GET /x' })];
    const r = computeErrorPath(spans);
    expect(r.path).toEqual([0, 1]);
    expect(r.rootCause).toBe(1);
    expect(r.summary).toBe('api › GET /x: error after 50 ns');
  });

  it('counts error=true and HTTP 5xx as errors, like the store', () => {
    const spans = [
      sp('R', null, 0, 100, { attributes: { error: true } }),
      sp('A', 'R', 10, 60, { attributes: { 'http.response.status_code': 503 } }),
      sp('B', 'A', 20, 50, { attributes: { 'http.status_code': '500' } }),
      sp('C', 'B', 25, 45, { attributes: { 'http.status_code': 404 } }),
    ];
    expect(spans.map(isErrSpanInError)).toEqual([true, true, true, false]);
    const r = computeErrorPath(spans);
    expect(r.path).toEqual([0, 1, 2]);
    expect(r.summary).toBe('svc › op R › op A › op B: HTTP 500 after 30 ns');
  });

  it('trusts a precomputed isError over status and attributes', () => {
    const spans = [sp('R', null, 0, 100), sp('A', 'R', 10, 60, { isError: true }), sp('B', 'R', 10, 90, { ...E, isError: false })];
    expect(computeErrorPath(spans).path).toEqual([0, 1]);
  });

  it('starts from a chosen span', () => {
    const spans = [sp('R', null, 0, 100, E), sp('A', 'R', 10, 60, E), sp('B', 'A', 20, 50, E), sp('C', 'R', 70, 90)];
    expect(computeErrorPath(spans, 3)).toMatchObject({ path: [3], rootCause: null });
    expect(computeErrorPath(spans, 1)).toMatchObject({ path: [1, 2], rootCause: 2 });
    expect(() => computeErrorPath(spans, 4)).toThrow(RangeError);
  });

  it('with several roots, starts at the first root where an error shows', () => {
    // R1 is fine with fine children; R2 (later) has a failing child.
    const spans = [sp('R1', null, 0, 50), sp('x', 'R1', 5, 10), sp('R2', null, 60, 100), sp('y', 'R2', 70, 90, E)];
    expect(computeErrorPath(spans)).toMatchObject({ path: [2, 3], rootCause: 3 });
    // Nothing failed anywhere: the earliest root.
    expect(computeErrorPath(spans.slice(0, 3))).toMatchObject({ path: [0], rootCause: null });
  });

  it('uses exception events when there is no status message', () => {
    const s = sp('R', null, 0, 2 * ms, { ...E, exceptions: [{ type: 'java.net.SocketTimeoutException', message: 'Read timed out', stacktrace: 'at x' }] });
    expect(errorMessage(s)).toBe('java.net.SocketTimeoutException: Read timed out');
    expect(computeErrorPath([s]).summary).toBe('svc › op R: java.net.SocketTimeoutException: Read timed out after 2.00 ms');
    expect(errorMessage(sp('R', null, 0, 1, { exceptions: [{ type: 'OOM' }] }))).toBe('OOM');
    expect(errorMessage(sp('R', null, 0, 1, { attributes: { 'error.message': 'boom' } }))).toBe('boom');
  });

  it('does not repeat a duration the message already gives', () => {
    const spans = [sp('R', null, 0, 2 * ms, { ...E, service: 'postgres', name: 'INSERT', statusMessage: 'timeout after 2.0 s' })];
    expect(computeErrorPath(spans).summary).toBe('postgres › INSERT: timeout after 2.0 s');
  });

  it('elides the middle of a long run of spans in one service', () => {
    const spans = [sp('a', null, 0, 100, { ...E, name: 'a' })];
    for (const [i, n] of ['b', 'c', 'd', 'e'].entries()) spans.push(sp(n, spans[i].spanId, i + 1, 99 - i, { ...E, name: n }));
    const r = computeErrorPath(spans);
    expect(r.path).toEqual([0, 1, 2, 3, 4]);
    expect(r.summary).toBe('svc › a › … › d › e: error after 92 ns');
  });

  it('walks a 100,000-deep error chain', () => {
    const N = 100_000;
    const spans: ErrSpan[] = [];
    for (let i = 0; i < N; i++) spans.push({ spanId: `s${i}`, parentSpanId: i ? `s${i - 1}` : null, start: i, duration: 2 * (N - i), isError: true });
    const r = computeErrorPath(spans);
    expect(r.path.length).toBe(N);
    expect(r.rootCause).toBe(N - 1);
  });

  it('does not mutate its input and handles an empty trace', () => {
    const spans = [sp('R', null, 0, 100, E), sp('A', 'R', 10, 60, E)];
    const before = JSON.stringify(spans);
    for (const s of spans) Object.freeze(s);
    computeErrorPath(Object.freeze(spans));
    expect(JSON.stringify(spans)).toBe(before);
    expect(computeErrorPath([])).toEqual({ path: [], rootCause: null, summary: 'no spans' });
  });
});

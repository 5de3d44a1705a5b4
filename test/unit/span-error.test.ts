// The one decoder of "is this span in error, and why", on every signal as producers write it.
import { describe, it, expect } from 'vitest';
import { spanErrorReason, isErrorSpan, grpcStatusCode, errorMessage } from '../../src-renderer/core/model/span-error.ts';
import type { Attributes, SpanKind, StatusCode } from '../../src-renderer/core/model/trace.ts';

const f = (attributes: Attributes, kind: SpanKind = 'server', status: StatusCode = 'unset', events: { name: string; attributes: Attributes }[] = []) => ({
  status, kind, attributes, events,
});

describe('spanErrorReason', () => {
  it.each([
    [f({}, 'server', 'error'), 'status', 'status ERROR'],
    [{ ...f({}, 'server', 'error'), statusMessage: 'canceling statement due to statement timeout' }, 'status', 'canceling statement due to statement timeout'],
    [f({ error: true }), 'error-tag', 'error=true'],
    [f({ error: 'true' }), 'error-tag', 'error=true'],
    [f({ 'http.response.status_code': 503 }), 'http', 'HTTP 503'],
    [f({ 'http.status_code': '500' }), 'http', 'HTTP 500'],
    [f({ 'http.response.status_code': 404 }, 'client'), 'http', 'HTTP 404'],
    [f({ 'rpc.grpc.status_code': 14 }), 'grpc', 'gRPC UNAVAILABLE'],
    [f({ 'grpc.status_code': '4' }), 'grpc', 'gRPC DEADLINE_EXCEEDED'],
    [f({ 'grpc.status': 'UNAVAILABLE' }), 'grpc', 'gRPC UNAVAILABLE'],
    [f({ 'grpc.status': 'StatusCode.INTERNAL' }), 'grpc', 'gRPC INTERNAL'],
    [f({ 'grpc.code': 'Unavailable' }), 'grpc', 'gRPC UNAVAILABLE'],
    [f({ 'grpc.code': 'DeadlineExceeded' }), 'grpc', 'gRPC DEADLINE_EXCEEDED'],
    [f({ 'rpc.yarpc.status_code': 'deadline-exceeded' }), 'grpc', 'gRPC DEADLINE_EXCEEDED'],
    [f({ 'rpc.yarpc.status_code': 'cancelled' }), 'grpc', 'gRPC CANCELLED'],
    [f({ 'rpc.grpc.status_code': 99 }), 'grpc', 'gRPC 99'],
    [f({}, 'server', 'unset', [{ name: 'exception', attributes: { 'exception.type': 'QueryTimeoutError', 'exception.message': 'timeout' } }]), 'exception', 'QueryTimeoutError: timeout'],
    [f({}, 'server', 'unset', [{ name: 'log', attributes: { event: 'error', message: 'boom' } }]), 'exception', 'boom'],
  ])('%j → %s', (facts, signal, text) => {
    expect(spanErrorReason(facts)).toEqual({ signal, text });
  });

  it.each([
    f({ 'http.response.status_code': 404 }, 'server'),
    f({ 'http.response.status_code': 200 }, 'client'),
    f({ 'rpc.grpc.status_code': 0 }),
    f({ 'grpc.status': 'OK' }),
    f({ 'rpc.yarpc.status_code': 'ok' }),
    f({ error: false }),
    f({ 'http.response.status_code': 500 }, 'server', 'ok'),
    f({}, 'server', 'unset', [{ name: 'log', attributes: { message: 'hello' } }]),
  ])('%j is not an error', (facts) => {
    expect(spanErrorReason(facts)).toBeNull();
    expect(isErrorSpan(facts)).toBe(false);
  });

  it('reads gRPC codes in every encoding', () => {
    expect([14, '14', 'UNAVAILABLE', 'unavailable', 'Unavailable', 'StatusCode.UNAVAILABLE', 14n].map((v) => grpcStatusCode(v))).toEqual([14, 14, 14, 14, 14, 14, 14]);
    expect(grpcStatusCode('not a code')).toBeNull();
  });

  it('says what went wrong in the span’s own words first', () => {
    expect(errorMessage({ statusMessage: 'boom', attributes: { 'http.response.status_code': 500 } })).toBe('boom');
    expect(errorMessage({ exceptions: [{ type: 'QueryTimeoutError', message: 'Query read timeout' }] })).toBe('QueryTimeoutError: Query read timeout');
    expect(errorMessage({ attributes: { 'http.response.status_code': 502 } })).toBe('HTTP 502');
    expect(errorMessage({ attributes: { 'grpc.status': 'UNAVAILABLE' } })).toBe('gRPC UNAVAILABLE');
  });
});

// The trace search language (core/analysis/trace-query.ts): each term kind read from text, the
// characters that break naive parsers (quotes, backslashes, %, _, NUL, very long values), errors
// that say where, and the round trip formatTerm → parseTraceQuery for any term.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseTraceQuery, formatTerm, replaceTerms, resolveTime, type TermBody, type Term } from '../../src-renderer/core/analysis/trace-query.ts';
import { traceIdQuery } from '../../src-renderer/core/base/ids.ts';

const body = (t: Term): TermBody & { negate: boolean } => {
  const { start: _s, end: _e, ...rest } = t;
  return rest;
};
const terms = (q: string) => parseTraceQuery(q).terms.map(body);

describe('parseTraceQuery', () => {
  it('reads span fields, durations, errors and attributes', () => {
    expect(terms('service=checkout operation="POST /checkout" name=charge duration>=2s error=true')).toEqual([
      { kind: 'field', field: 'service', op: '=', value: 'checkout', negate: false },
      { kind: 'field', field: 'operation', op: '=', value: 'POST /checkout', negate: false },
      { kind: 'field', field: 'name', op: '=', value: 'charge', negate: false },
      { kind: 'duration', of: 'span', op: '>=', ns: 2e9, negate: false },
      { kind: 'error', value: true, negate: false },
    ]);
    expect(terms('region=eu-west-1 http.status_code>=500 retries<3 tenant!=acme peer.service exists')).toEqual([
      { kind: 'attr', key: 'region', op: '=', value: 'eu-west-1', negate: false },
      { kind: 'attr', key: 'http.status_code', op: '>=', value: '500', negate: false },
      { kind: 'attr', key: 'retries', op: '<', value: '3', negate: false },
      { kind: 'attr', key: 'tenant', op: '!=', value: 'acme', negate: false },
      { kind: 'attr', key: 'peer.service', op: 'exists', value: '', negate: false },
    ]);
  });

  it('reads trace terms: trace.duration, trace.id, from and to', () => {
    const q = parseTraceQuery('trace.duration>1.5s traceid=4BF92F3577B34DA6A3CE929D0E0E4736 from=2026-11-20T10:10:00Z to=10:20');
    expect(q.errors).toEqual([]);
    expect(q.terms.map(body)).toEqual([
      { kind: 'duration', of: 'trace', op: '>', ns: 1.5e9, negate: false },
      { kind: 'trace-id', text: '4BF92F3577B34DA6A3CE929D0E0E4736', id: { full: '4bf92f3577b34da6a3ce929d0e0e4736', prefix: null, low64: [] }, negate: false },
      { kind: 'time', bound: 'from', text: '2026-11-20T10:10:00Z', at: { ns: '1795169400000000000' }, negate: false },
      { kind: 'time', bound: 'to', text: '10:20', at: { clockNs: 37_200e9 }, negate: false },
    ]);
    // A time of day lands on the UTC day the data begins.
    expect(resolveTime({ clockNs: 37_200e9 }, '1795169400000000000')).toBe('1795170000000000000');
  });

  it('reads a bare 32-hex word or a UUID as a trace id, anything else as text', () => {
    expect(terms('4bf92f3577b34da6a3ce929d0e0e4736')[0].kind).toBe('trace-id');
    expect(terms('4bf92f35-77b3-4da6-a3ce-929d0e0e4736')[0]).toMatchObject({ kind: 'trace-id', id: { full: '4bf92f3577b34da6a3ce929d0e0e4736' } });
    expect(terms('4bf92f3577b34da6')[0].kind).toBe('text');
    expect(terms('"4bf92f3577b34da6a3ce929d0e0e4736"')[0].kind).toBe('text');
  });

  it('negates with a leading "-"', () => {
    expect(terms('-service=redis -error=true -timeout -"statement timeout"')).toEqual([
      { kind: 'field', field: 'service', op: '=', value: 'redis', negate: true },
      { kind: 'error', value: true, negate: true },
      { kind: 'text', text: 'timeout', negate: true },
      { kind: 'text', text: 'statement timeout', negate: true },
    ]);
    // A lone "-" is text, not a negation of nothing.
    expect(terms('a - b').map((t) => t.kind === 'text' && t.text)).toEqual(['a', '-', 'b']);
  });

  it('keeps quotes, backslashes, % and _ as written', () => {
    expect(terms(String.raw`msg="say \"hi\"" path="C:\temp\new" pct=100% like=a_b%c back=\\x`)).toEqual([
      { kind: 'attr', key: 'msg', op: '=', value: 'say "hi"', negate: false },
      { kind: 'attr', key: 'path', op: '=', value: String.raw`C:\temp\new`, negate: false },
      { kind: 'attr', key: 'pct', op: '=', value: '100%', negate: false },
      { kind: 'attr', key: 'like', op: '=', value: 'a_b%c', negate: false },
      { kind: 'attr', key: 'back', op: '=', value: String.raw`\\x`, negate: false },
    ]);
    expect(terms(String.raw`"ends with \\"`)).toEqual([{ kind: 'text', text: '\\', negate: false }].map((t) => ({ ...t, text: 'ends with \\' })));
    expect(terms('name="a\u0000b"')[0]).toMatchObject({ value: 'a\u0000b' });
  });

  it('takes a quoted key or attr.KEY as an attribute even when it names a field', () => {
    expect(terms('"service"=x attr.error=1 "two words"="v v" attr.kind exists')).toEqual([
      { kind: 'attr', key: 'service', op: '=', value: 'x', negate: false },
      { kind: 'attr', key: 'error', op: '=', value: '1', negate: false },
      { kind: 'attr', key: 'two words', op: '=', value: 'v v', negate: false },
      { kind: 'attr', key: 'kind', op: 'exists', value: '', negate: false },
    ]);
  });

  it('runs an unclosed quote to the end of the text', () => {
    expect(terms('"statement timeout')).toEqual([{ kind: 'text', text: 'statement timeout', negate: false }]);
    expect(terms('name="a b')).toEqual([{ kind: 'field', field: 'name', op: '=', value: 'a b', negate: false }]);
  });

  it('says where and why a term cannot be read, and searches without it', () => {
    const q = parseTraceQuery('service=checkout duration>soon kind=sideways =x error=maybe trace.id=xyz -from=10:00 status>ok http.status_code>five');
    expect(q.terms.map(body)).toEqual([{ kind: 'field', field: 'service', op: '=', value: 'checkout', negate: false }]);
    expect(q.errors.map((e) => e.message)).toEqual([
      'a duration after "duration>" (250ms, 2s, 1.5m)',
      'kind is one of unspecified, internal, server, client, producer, consumer',
      'a key before "="',
      'error is true or false',
      '"xyz" is not a trace id (hex, decimal, base64 or a UUID)',
      '"from" cannot be negated: write the other bound',
      'status takes = or !=',
      'a number after "http.status_code>"',
    ]);
    const text = 'service=checkout duration>soon';
    const e = parseTraceQuery(text).errors[0];
    expect(text.slice(e.start, e.end)).toBe('duration>soon');
    expect(parseTraceQuery('service=').errors[0].message).toBe('a value after "service="');
  });

  it('reads a 1 MB value and a 1 MB word in linear time', () => {
    const big = 'x%_\\"'.repeat(200_000);
    const t0 = performance.now();
    const q = parseTraceQuery(`name=${JSON.stringify(big)} ${'w'.repeat(1 << 20)}`);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(q.terms.map((t) => t.kind)).toEqual(['field', 'text']);
    expect((q.terms[0] as { value: string }).value).toBe(big);
  });
});

describe('trace ids typed into a search', () => {
  const full = '4bf92f3577b34da6a3ce929d0e0e4736';
  it('reads every spelling of a whole id', () => {
    for (const s of [full, full.toUpperCase(), '4bf92f35-77b3-4da6-a3ce-929d0e0e4736', `0x${full}`, 'S/kvNXezTaajzpKdDg5HNg==', 'S_kvNXezTaajzpKdDg5HNg']) {
      expect(traceIdQuery(s)?.full, s).toBe(full);
    }
  });
  it('reads a prefix, a low half in hex, and a Datadog decimal low half', () => {
    expect(traceIdQuery('4bf92f')).toEqual({ full: null, prefix: '4bf92f', low64: ['00000000004bf92f'] });
    expect(traceIdQuery('a3ce929d0e0e4736')).toEqual({ full: null, prefix: 'a3ce929d0e0e4736', low64: ['a3ce929d0e0e4736'] });
    // Datadog writes the low half in decimal: 11803532876627986230 = 0xa3ce929d0e0e4736 (its digits
    // are hex digits too, so the text is also a 20-digit prefix; no stored id is likely to begin so).
    expect(traceIdQuery('11803532876627986230')?.low64).toContain('a3ce929d0e0e4736');
    expect(traceIdQuery('1234')).toEqual({ full: null, prefix: '1234', low64: ['0000000000001234', '00000000000004d2'] });
    expect(traceIdQuery('4bf92f3577b34da6a3ce929d0e0e47')).toEqual({ full: '00' + '4bf92f3577b34da6a3ce929d0e0e47', prefix: '4bf92f3577b34da6a3ce929d0e0e47', low64: [] });
  });
  it('refuses what can be no id', () => {
    for (const s of ['', 'xyz', '0'.repeat(32), full + 'ab', '4bf9-2f35', 'g1234']) expect(traceIdQuery(s), s).toBeNull();
  });
});

describe('writing terms back', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '\\', '=', '!', '<', '>', '-', '%', '_', '\u0000', 'é', 'x', '\t') });
  const termBody: fc.Arbitrary<TermBody & { negate: boolean }> = fc.oneof(
    fc.record({ kind: fc.constant('field' as const), field: fc.constantFrom('service' as const, 'operation' as const, 'name' as const), op: fc.constantFrom('=' as const, '!=' as const), value: text, negate: fc.boolean() }),
    fc.record({ kind: fc.constant('duration' as const), of: fc.constantFrom('span' as const, 'trace' as const), op: fc.constantFrom('>' as const, '>=' as const, '<' as const, '<=' as const, '=' as const), ns: fc.integer({ min: 0, max: 1e15 }), negate: fc.boolean() }),
    fc.record({ kind: fc.constant('error' as const), value: fc.boolean(), negate: fc.boolean() }),
    fc.record({ kind: fc.constant('attr' as const), key: text.filter((k) => k !== ''), op: fc.constantFrom('=' as const, '!=' as const, 'exists' as const), value: text, negate: fc.boolean() }).map((t) => (t.op === 'exists' ? { ...t, value: '' } : t)),
    fc.record({ kind: fc.constant('attr' as const), key: text.filter((k) => k !== ''), op: fc.constantFrom('>' as const, '<=' as const), value: fc.integer().map(String), negate: fc.boolean() }),
    fc.record({ kind: fc.constant('text' as const), text: text.filter((t) => t.trim() !== '' && t === t.trim() && !/^[0-9a-fA-F]{32}$/.test(t)), negate: fc.boolean() }),
  );

  it('parses back to the same term, for any term', () => {
    fc.assert(
      fc.property(termBody, (t) => {
        const written = formatTerm(t);
        const back = parseTraceQuery(written);
        expect(back.errors, written).toEqual([]);
        expect(back.terms.map(body), written).toEqual([t]);
      }),
      { numRuns: 2000 },
    );
  });

  it('parses a query of many terms written back to the same terms', () => {
    fc.assert(
      fc.property(fc.array(termBody, { maxLength: 6 }), (ts) => {
        const back = parseTraceQuery(ts.map(formatTerm).join(' '));
        expect(back.terms.map(body)).toEqual(ts);
      }),
      { numRuns: 500 },
    );
  });

  it('writes times and durations short and exact', () => {
    expect(formatTerm({ kind: 'duration', of: 'trace', op: '>=', ns: 1_500_000_000 })).toBe('trace.duration>=1500ms');
    expect(formatTerm({ kind: 'duration', of: 'span', op: '<', ns: 120e9 })).toBe('duration<2m');
    expect(formatTerm({ kind: 'time', bound: 'from', text: '', at: { ns: '1795169400500000000' } })).toBe('from=2026-11-20T10:10:00.5Z');
    expect(formatTerm({ kind: 'time', bound: 'to', text: '', at: { ns: '1795169400000000001' } })).toBe('to=2026-11-20T10:10:00.000000001Z');
  });
});

describe('replaceTerms (the structured filters edit the query through it)', () => {
  it('replaces the terms of one field where they stood and keeps the rest as written', () => {
    const q = 'service=checkout  "statement timeout" trace.duration>2s region="eu  west"';
    expect(replaceTerms(q, (t) => t.kind === 'field' && t.field === 'service', [{ kind: 'field', field: 'service', op: '=', value: 'payment' }])).toBe(
      'service=payment "statement timeout" trace.duration>2s region="eu  west"',
    );
    expect(replaceTerms(q, (t) => t.kind === 'duration', [])).toBe('service=checkout  "statement timeout" region="eu  west"');
    expect(replaceTerms(q, (t) => t.kind === 'error', [{ kind: 'error', value: true }])).toBe(`${q} error=true`);
    expect(replaceTerms('', () => true, [{ kind: 'error', value: true, negate: true }])).toBe('-error=true');
  });
  it('keeps text it could not read', () => {
    expect(replaceTerms('duration>soon service=a', (t) => t.kind === 'field', [])).toBe('duration>soon');
  });
});

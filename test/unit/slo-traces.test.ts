// From an SLO and a window to the search for its bad events: the terms, and the query text the
// trace list shows reads back as the same terms (names with spaces and quotes quoted).
import { describe, it, expect } from 'vitest';
import { sloBadTraceTerms } from '../../src-renderer/core/analysis/slo-traces.ts';
import { formatTerm, parseTraceQuery } from '../../src-renderer/core/analysis/trace-query.ts';
import type { SloDefinition } from '../../src-renderer/core/analysis/slo.ts';

const base: SloDefinition = {
  name: 'checkout', service: 'frontend', operation: 'POST /checkout', indicator: { kind: 'latency', thresholdNs: 1e9 }, objective: 0.99, windowNs: 300e9, periodNs: 30 * 86_400e9,
};
const FROM = '1763633400000000000';
const TO = '1763634000000000000';
const text = (d: SloDefinition) => sloBadTraceTerms(d, FROM, TO).map((t) => formatTerm(t)).join(' ');

describe('sloBadTraceTerms', () => {
  it('a latency SLO: its spans slower than the threshold, starting in the window', () => {
    expect(text(base)).toBe('service=frontend operation="POST /checkout" duration>1s from=2025-11-20T10:10:00Z to=2025-11-20T10:20:00Z');
  });

  it('availability: its spans in error; no operation: every span of the service; odd names quoted', () => {
    const d: SloDefinition = { ...base, service: 'pay "v2"', operation: null, indicator: { kind: 'availability', errorRule: 'status' as never } };
    expect(text(d)).toBe('service="pay \\"v2\\"" error=true from=2025-11-20T10:10:00Z to=2025-11-20T10:20:00Z');
  });

  it('reads back as the same search (times as the instants written)', () => {
    const strip = (t: object) => {
      const { start: _s, end: _e, negate: _n, text: _t, ...rest } = t as Record<string, unknown>;
      return rest;
    };
    for (const d of [base, { ...base, indicator: { kind: 'latency-percentile', percentile: 0.99, thresholdNs: 250e6 } } as SloDefinition]) {
      const q = parseTraceQuery(text(d));
      expect(q.errors).toEqual([]);
      expect(q.terms.map(strip)).toEqual(sloBadTraceTerms(d, FROM, TO).map(strip));
    }
  });
});

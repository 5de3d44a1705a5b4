// The log search language: parsing (precedence, negation, fields, ids, errors with positions) and
// its run on real log files: the OpenTelemetry incident's pino and PostgreSQL logs, an nginx
// access log, and JSON lines that write one trace id in every encoding producers use. Each
// expected set is computed from the lines themselves in JavaScript, not copied in.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import type { Store } from '../../src-renderer/store/store.ts';
import { ftsStep } from '../../src-renderer/store/log-view-fts.ts';
import { parseLogQuery, type LogExpr } from '../../src-renderer/core/analysis/log-query.ts';
import { idEncodings } from '../../src-renderer/core/base/ids.ts';
import { SEVERITY_CODES } from '../../src-renderer/store/schema.ts';

const F = new URL('../fixtures/', import.meta.url).pathname;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('parseLogQuery', () => {
  const expr = (q: string): LogExpr => parseLogQuery(q).expr;
  const word = (text: string) => ({ kind: 'text', text, phrase: false, prefix: false });

  it('reads OR below AND, NOT and - above both, groups, phrases and prefixes', () => {
    expect(expr('charge OR slow')).toEqual({ kind: 'or', items: [word('charge'), word('slow')] });
    expect(expr('a b OR c')).toEqual({ kind: 'or', items: [{ kind: 'and', items: [word('a'), word('b')] }, word('c')] });
    expect(expr('a AND (b OR c)')).toEqual({ kind: 'and', items: [word('a'), { kind: 'or', items: [word('b'), word('c')] }] });
    expect(expr('-info')).toEqual({ kind: 'not', item: word('info') });
    expect(expr('NOT NOT x')).toEqual(word('x'));
    expect(expr('-(a OR b)')).toEqual({ kind: 'not', item: { kind: 'or', items: [word('a'), word('b')] } });
    expect(expr('"statement timeout"')).toEqual({ kind: 'text', text: 'statement timeout', phrase: true, prefix: false });
    expect(expr('time*')).toEqual({ kind: 'text', text: 'time', phrase: false, prefix: true });
    expect(expr('a or b')).toEqual({ kind: 'and', items: [word('a'), word('or'), word('b')] }); // operators in capitals only
    expect(expr('')).toEqual({ kind: 'all' });
    expect(expr(' - ')).toEqual(word('-'));
  });

  it('reads fields, attributes and comparisons', () => {
    expect(expr('level>=warn')).toEqual({ kind: 'level', levels: ['warn', 'error', 'fatal'], unknown: false });
    expect(expr('severity=WARNING')).toEqual({ kind: 'level', levels: ['warn'], unknown: false });
    expect(expr('level!=info')).toEqual({ kind: 'level', levels: ['trace', 'debug', 'warn', 'error', 'fatal'], unknown: true });
    expect(expr('service=payment')).toEqual({ kind: 'service', op: '=', value: 'payment' });
    expect(expr('status=502')).toEqual({ kind: 'attr', key: 'status', op: '=', value: '502' });
    expect(expr('reason="statement timeout"')).toEqual({ kind: 'attr', key: 'reason', op: '=', value: 'statement timeout' });
    expect(expr('"odd key"!=x')).toEqual({ kind: 'attr', key: 'odd key', op: '!=', value: 'x' });
    expect(expr('total>20.5')).toEqual({ kind: 'attr', key: 'total', op: '>', value: '20.5' });
    expect(expr('(reason exists)')).toEqual({ kind: 'attr', key: 'reason', op: 'exists', value: '' });
    expect(expr('span=00F067AA0BA902B7')).toEqual({ kind: 'span-id', hex: '00f067aa0ba902b7' });
  });

  it('reads a trace id in any encoding, bare or as trace=', () => {
    const full = (q: string) => {
      const e = expr(q);
      return e.kind === 'trace-id' ? e.id.full : null;
    };
    for (const form of idEncodings(TRACE).slice(0, 3)) expect(full(form), form).toBe(TRACE); // hex, UUID, base64
    expect(full(TRACE.toUpperCase())).toBe(TRACE);
    expect(full(`trace=projects/p/traces/${TRACE}`)).toBe(TRACE);
    const dd = expr('11803532876627986230'); // Datadog decimal: the low half
    expect(dd.kind === 'trace-id' && dd.id.low64).toEqual(['a3ce929d0e0e4736']);
    expect(expr('12345').kind).toBe('text'); // a short number is a number
  });

  it('says where it could not read, and still searches the rest', () => {
    const q = parseLogQuery('(a OR  level=loud status> b) )');
    expect(q.errors.map((e) => [e.start, e.end, e.message])).toEqual([
      [7, 17, '"loud" is not a level (trace, debug, info, warn, error, fatal, unknown)'],
      [18, 25, 'a value after "status>"'],
      [29, 30, 'a ")" without its "("'],
    ]);
    expect(q.expr).toEqual({ kind: 'or', items: [word('a'), word('b')] });
    expect(parseLogQuery('(a').errors[0].message).toBe('a "(" without its ")"');
    expect(parseLogQuery('a OR').errors[0].message).toBe('OR needs a term on both sides');
    expect(parseLogQuery('('.repeat(100) + 'x').errors.some((e) => e.message.startsWith('groups nest'))).toBe(true);
  });
});

describe('log search on real log files', () => {
  let store: Store;
  let core: EngineCore;
  interface Line { row: number; severity: string | null; severityText: string; service: string; message: string; attrs: string; traceId: string; partial: boolean }
  let lines: Line[];

  beforeAll(async () => {
    store = (
      await loadInputs([
        `${F}logs/jsonl.log`,
        `${F}logs/servers/nginx-access-traced.log`,
        `${F}otel-incident/frontend.log.jsonl.gz`,
        `${F}otel-incident/checkout.log.jsonl.gz`,
        `${F}otel-incident/payment.log.jsonl.gz`,
        `${F}otel-incident/postgres.log.gz`,
      ])
    ).store;
    core = new EngineCore(store);
    lines = (store.db.exec('SELECT log_row, severity, coalesce(severity_text, \'\'), coalesce(service, \'\'), message, coalesce(attributes, \'\'), coalesce(trace_id, \'\'), trace_id_partial FROM logs ORDER BY log_row')[0]?.values ?? []).map((r) => ({
      row: r[0] as number, severity: r[1] === null ? null : SEVERITY_CODES[r[1] as number], severityText: r[2] as string, service: r[3] as string, message: r[4] as string, attrs: r[5] as string,
      traceId: r[6] as string, partial: r[7] === 1,
    }));
  }, 60_000);

  /** The message lines of the hits (the view's order is time, so compare as sets of rows). */
  const hitRows = (q: string): number[] => {
    const order = Array.from(store.db.exec('SELECT log_row FROM logs ORDER BY time_ns, log_row')[0].values, (r) => r[0] as number);
    return Array.from(core.logSearch({}, q).positions, (p) => order[p]).sort((a, b) => a - b);
  };
  const where = (keep: (l: Line) => boolean) => lines.filter(keep).map((l) => l.row);
  const values = (l: Line): string[] => {
    const out: string[] = [];
    const walk = (v: unknown) => {
      if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
      else if (v !== null) out.push(String(v).toLowerCase());
    };
    if (l.attrs) walk(JSON.parse(l.attrs));
    return out;
  };
  /** The word (or, with `prefix`, a word starting so) in the message or an attribute value: what the index holds. */
  const hasWord = (l: Line, w: string, prefix = false) => {
    const re = new RegExp(`(^|[^\\p{L}\\p{N}])${w}${prefix ? '' : '($|[^\\p{L}\\p{N}])'}`, 'iu');
    return re.test(l.message) || values(l).some((v) => re.test(v));
  };

  function checkAll(indexed: string) {
    it(`"statement timeout", charge OR slow, -info, status=502 (${indexed})`, () => {
      const timeout = where((l) => /statement timeout/i.test(l.message) || values(l).some((v) => v.includes('statement timeout')));
      expect(timeout.length).toBeGreaterThan(20); // PostgreSQL's ERROR lines and the services' failures
      expect(hitRows('"statement timeout"')).toEqual(timeout);
      expect(hitRows('"STATEMENT  timeout"')).toEqual(timeout);

      const either = where((l) => hasWord(l, 'charge') || hasWord(l, 'slow'));
      expect(either.length).toBeGreaterThan(0);
      expect(hitRows('charge OR slow')).toEqual(either);

      const info = where((l) => l.severity === 'info' || hasWord(l, 'info'));
      expect(info.length).toBeGreaterThan(100);
      expect(hitRows('-info')).toEqual(lines.map((l) => l.row).filter((r) => !info.includes(r)));
      expect(hitRows('NOT info')).toEqual(hitRows('-info'));

      const s502 = where((l) => {
        const a = l.attrs ? JSON.parse(l.attrs) : {};
        return a.status === 502 || a['http.response.status_code'] === 502 || /status=502/.test(l.message);
      });
      expect(s502.length).toBeGreaterThan(10); // the frontend's failed checkouts and nginx's 502s
      expect(hitRows('status=502')).toEqual(s502);
      expect(hitRows('status>=500')).toEqual(s502); // no other 5xx in these files
    });

    it(`a trace id in every encoding finds the same lines, 64-bit ones as partial (${indexed})`, () => {
      const ofTrace = where((l) => l.traceId === TRACE || (l.partial && l.traceId.endsWith(TRACE.slice(16))));
      expect(ofTrace.length).toBeGreaterThanOrEqual(10); // ECS, pino (upper case), zap (Datadog decimal), GCP, traceparent, B3 64-bit, nginx
      for (const q of [TRACE, TRACE.toUpperCase(), ...idEncodings(TRACE).slice(1, 3), `trace=${TRACE}`, `trace.id=0x${TRACE}`, `trace=projects/p/traces/${TRACE}`]) {
        expect(hitRows(q), q).toEqual(ofTrace);
      }
      // The Datadog decimal stands for the low half only: it finds every line of that half.
      expect(hitRows('trace=11803532876627986230')).toEqual(ofTrace);
      expect(hitRows(`trace=${TRACE.slice(0, 8)}`)).toEqual(where((l) => l.traceId.startsWith(TRACE.slice(0, 8))));
    });

    it(`fields, attributes and boolean structure (${indexed})`, () => {
      const failedPayment = where((l) => l.service === 'payment' && (l.severity === 'error' || l.severity === 'fatal'));
      expect(failedPayment.length).toBeGreaterThan(0);
      expect(hitRows('service=PAYMENT level>=error')).toEqual(failedPayment);
      expect(hitRows('service=payment AND NOT level<error')).toEqual(failedPayment);
      const fc = where((l) => l.service === 'frontend' || l.service === 'checkout');
      expect(hitRows('(service=frontend OR service=checkout)')).toEqual(fc);
      expect(hitRows('-(service=frontend OR service=checkout)')).toEqual(lines.map((l) => l.row).filter((r) => !fc.includes(r)));
      const nested = where((l) => !!l.attrs && JSON.parse(l.attrs).err?.status === 502);
      expect(nested.length).toBeGreaterThan(0);
      expect(hitRows('err.status=502')).toEqual(nested);
      expect(hitRows('reason exists')).toEqual(where((l) => !!l.attrs && 'reason' in JSON.parse(l.attrs)));
      expect(hitRows('total>22.98')).toEqual(where((l) => !!l.attrs && JSON.parse(l.attrs).total > 22.98));
      expect(hitRows('span=00F067AA0BA902B7').length).toBeGreaterThanOrEqual(5);
      expect(hitRows('capture*')).toEqual(where((l) => hasWord(l, 'capture', true)));
    });
  }

  describe('before the full-text index is built', () => checkAll('read as text'));
  describe('after the full-text index is built', () => {
    beforeAll(() => {
      while (!ftsStep(store, 200).done);
    });
    checkAll('through FTS4');

    it('filters: the view keeps the matching lines, its count and histogram agree with the hits', () => {
      const q = '"statement timeout" OR status=502';
      const hits = core.logSearch({}, q).positions.length;
      expect(hits).toBeGreaterThan(30);
      expect(core.logCount({ query: q })).toBe(hits);
      expect(core.logSearch({ query: q }, q).positions).toEqual(Int32Array.from({ length: hits }, (_, i) => i));
      const h = core.logHistogram({ query: q });
      expect(h.series.reduce((n, s) => n + s.counts.reduce((a, b) => a + b, 0), 0)).toBe(where((l) => hitRows(q).includes(l.row)).length);
      const page = core.logPage({ query: q }, 0, 1000);
      expect(page.every((l) => /statement timeout|502/i.test(l.message) || l.service === 'frontend' || l.service === 'checkout' || l.service === 'payment')).toBe(true);
      expect(core.logCount({ query: q, severities: ['error'] })).toBe(core.logSearch({ severities: ['error'] }, q).positions.length);
    });
  });
});

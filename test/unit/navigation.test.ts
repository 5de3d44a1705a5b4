// Routes as text, and the navigation's use of the history: entries pushed and replaced, screens'
// parameters kept while away, Back to the base entry, reloads. The history here is a list of
// entries with a cursor, as the HTML spec's session history is (pushState drops the entries after
// the cursor); the browser's own is driven by test/e2e/navigation.spec.ts.
import { describe, it, expect } from 'vitest';
import { parseRoute, formatRoute, withChanges, readNs, readSpan, readInt } from '../../src-renderer/state/route.ts';
import { Navigation, type HistoryPort } from '../../src-renderer/state/navigation.svelte.ts';

class ListHistory implements HistoryPort {
  entries: Array<{ hash: string; state: unknown }>;
  at = 0;
  private listener: ((hash: string, state: unknown) => void) | null = null;
  constructor(hash = '', state: unknown = null) {
    this.entries = [{ hash, state }];
  }
  current() {
    return this.entries[this.at];
  }
  push(hash: string, state: unknown) {
    this.entries = [...this.entries.slice(0, this.at + 1), { hash, state: structuredClone(state) }];
    this.at++;
  }
  replace(hash: string, state: unknown) {
    this.entries[this.at] = { hash, state: structuredClone(state) };
  }
  forward() {
    this.go(1);
  }
  onPop(cb: (hash: string, state: unknown) => void) {
    this.listener = cb;
    return () => (this.listener = null);
  }
  go(delta: number) {
    const to = this.at + delta;
    if (to < 0 || to >= this.entries.length) return;
    this.at = to;
    this.listener?.(this.entries[to].hash, this.entries[to].state);
  }
  get hashes() {
    return this.entries.map((e) => e.hash);
  }
}

describe('routes', () => {
  it('reads and writes each screen with its parameters, keys in order', () => {
    expect(parseRoute('#/logs?svc=api&sev=error,warn')).toEqual({ screen: 'logs', params: { sev: 'error,warn', svc: 'api' } });
    expect(formatRoute({ screen: 'logs', params: { svc: 'a b&c', sev: 'error' } })).toBe('#/logs?sev=error&svc=a+b%26c');
    expect(parseRoute(formatRoute({ screen: 'logs', params: { svc: 'a b&c=d/é' } }))).toEqual({ screen: 'logs', params: { svc: 'a b&c=d/é' } });
    const trace = { screen: 'trace' as const, params: { trace: 'ab'.repeat(16), span: 'cd'.repeat(8), w: '10-200', panel: 'critical' } };
    expect(formatRoute(trace)).toBe(`#/trace/${'ab'.repeat(16)}/${'cd'.repeat(8)}?panel=critical&w=10-200`);
    expect(parseRoute(formatRoute(trace))).toEqual({ screen: 'trace', params: { panel: 'critical', span: 'cd'.repeat(8), trace: 'ab'.repeat(16), w: '10-200' } });
  });

  it('keeps the links made before parameters, and lands anything unreadable on the trace list', () => {
    expect(parseRoute(`#/trace/${'AB'.repeat(16)}/${'cd'.repeat(8)}`).params).toEqual({ trace: 'ab'.repeat(16), span: 'cd'.repeat(8) });
    expect(parseRoute('#/slos')).toEqual({ screen: 'slos', params: {} });
    for (const bad of ['', '#', '#/nowhere', '#/trace/', '#/trace/<script>', '#/trace/zz', `#/logs?${'x'.repeat(9000)}`, '#/__proto__', '#/constructor']) {
      expect(parseRoute(bad), bad).toEqual({ screen: 'traces', params: {} });
    }
    // A span id that is not hex is dropped, the trace stays.
    expect(parseRoute(`#/trace/${'ab'.repeat(16)}/<b>`).params).toEqual({ trace: 'ab'.repeat(16) });
    // Parameters cannot smuggle a different trace in.
    expect(parseRoute(`#/trace/${'ab'.repeat(16)}?trace=ff&span=00`).params).toEqual({ trace: 'ab'.repeat(16) });
    expect(parseRoute('#/logs?q=%E0%A4%A&sev=').params).toEqual({ q: '\ufffd%A' });
  });

  it('applies changes (null and empty remove a key) and reads values strictly', () => {
    expect(withChanges({ a: '1', b: '2' }, { a: null, b: '', c: '3' })).toEqual({ c: '3' });
    expect(readNs('1763630000000000001')).toBe('1763630000000000001');
    expect(readNs('0001')).toBe('1');
    expect(readNs('1e9')).toBeNull();
    expect(readNs('123456789012345678901')).toBeNull();
    expect(readSpan('10-20')).toEqual([10, 20]);
    expect(readSpan('10-')).toBeNull();
    expect(readInt('12')).toBe(12);
    expect(readInt('1.5')).toBeNull();
  });
});

describe('navigation', () => {
  it('puts a base entry under the first route, then one entry per screen and choice', () => {
    const h = new ListHistory('#/logs?sev=error');
    const nav = new Navigation(h);
    expect(h.hashes).toEqual(['#/start', '#/logs?sev=error']);
    expect(nav.screen).toBe('logs');
    nav.go('traces');
    nav.set('traces', { sort: 'errors' });
    nav.openTrace('ab'.repeat(16), 'cd'.repeat(8));
    nav.set('trace', { w: '5-10' }, 'replace');
    expect(h.hashes).toEqual(['#/start', '#/logs?sev=error', '#/traces', '#/traces?sort=errors', `#/trace/${'ab'.repeat(16)}/${'cd'.repeat(8)}?w=5-10`]);
    // Setting what is already there makes no entry.
    nav.set('trace', { w: '5-10' });
    nav.go('trace', { span: 'cd'.repeat(8), trace: 'ab'.repeat(16), w: '5-10' });
    expect(h.entries).toHaveLength(5);
  });

  it('keeps each screen\'s parameters while it is away, and a tab returns to them', () => {
    const h = new ListHistory('#/logs');
    const nav = new Navigation(h);
    nav.set('logs', { sev: 'error', svc: 'api' });
    nav.go('traces');
    expect(nav.params('logs')).toEqual({ sev: 'error', svc: 'api' });
    // Writing a hidden screen's parameters changes only what it keeps.
    nav.set('logs', { svc: null });
    expect(h.current().hash).toBe('#/traces');
    nav.go('logs');
    expect(h.current().hash).toBe('#/logs?sev=error');
  });

  it('walks Back and Forward, and a reload in the middle keeps what every screen kept', () => {
    const h = new ListHistory('');
    const nav = new Navigation(h);
    nav.set('traces', { sort: 'errors' });
    nav.go('logs');
    nav.set('logs', { sev: 'warn' });
    h.go(-1);
    expect(nav.route).toEqual({ screen: 'logs', params: {} });
    h.go(-1);
    expect(nav.route).toEqual({ screen: 'traces', params: { sort: 'errors' } });
    h.go(2);
    expect(nav.route).toEqual({ screen: 'logs', params: { sev: 'warn' } });
    h.go(-2);
    // Back went to before the filter: the logs keep what they had then.
    expect(nav.params('logs')).toEqual({});
    nav.dispose();
    // A reload: a new Navigation over the same history adds no entries and keeps the same.
    const again = new Navigation(h);
    expect(h.entries).toHaveLength(5);
    expect(again.route).toEqual({ screen: 'traces', params: { sort: 'errors' } });
    expect(again.params('logs')).toEqual({});
    h.go(2);
    expect(again.route).toEqual({ screen: 'logs', params: { sev: 'warn' } });
  });

  it('Back onto the base entry steps forward again while data is loaded, and shows the start screen when not', () => {
    const h = new ListHistory('#/traces');
    const nav = new Navigation(h);
    nav.go('logs');
    h.go(-2);
    expect(nav.screen).toBe('start'); // nothing loaded: Back may leave from here
    h.go(1);
    nav.holdsData = () => true;
    h.go(-1);
    expect(h.at).toBe(1); // stepped forward again
    expect(nav.route).toEqual({ screen: 'traces', params: {} });
    h.go(1);
    expect(nav.screen).toBe('logs'); // Forward still has the entries after it
  });

  it('gives an edited hash an entry state, and restores a saved view with its screens\' parameters', () => {
    const h = new ListHistory('#/traces');
    const nav = new Navigation(h);
    h.entries.push({ hash: '#/files', state: null });
    h.go(1);
    expect(nav.screen).toBe('files');
    expect(h.current().state).toMatchObject({ tracedeck: 'route' });
    nav.restore({ route: '#/slos?slo=2', kept: { logs: { sev: 'error' }, nowhere: { x: '1' }, traces: { sort: 7 } } });
    expect(nav.route).toEqual({ screen: 'slos', params: { slo: '2' } });
    expect(nav.params('logs')).toEqual({ sev: 'error' });
    expect(nav.params('traces')).toEqual({});
    expect(nav.snapshot()).toMatchObject({ route: '#/slos?slo=2', kept: { logs: { sev: 'error' } } });
    nav.restore('not a view');
    expect(nav.screen).toBe('slos');
  });
});

// The service map's summary on traces drawn by hand (counts, errors and nearest-rank p50/p99 of
// each edge and operation worked out below), and its exports with names built to break each
// syntax: a quote, a backslash before the closing quote, a newline, markup, Mermaid's # entities.

import { describe, it, expect } from 'vitest';
import { ServiceMapBuilder, serviceMapOf, operationStatsOf, withOwners } from '../../src-renderer/core/analysis/service-map.ts';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { localClient } from '../../src-renderer/engine/local.ts';
import { serviceMapMermaid, serviceMapDot, serviceMapJson, mermaidText, dotText } from '../../src-renderer/core/analysis/service-map-export.ts';

type Row = [trace: number, id: string, parent: string | null, service: string, name: string, ms: number, error?: boolean];

function build(rows: Row[]) {
  const b = new ServiceMapBuilder();
  for (const [trace, id, parent, service, name, ms, error] of rows) b.add(trace, id, parent, service, name, ms * 1e6, !!error);
  return b.finish();
}

//   trace 1:  web GET /  (a) ─┬─ api list (b) ── db SELECT (c)
//                             └─ api list (d) ─┬─ db SELECT (e) [error]
//                                              └─ api cache (f)       (same node: no edge)
//   trace 2:  web GET / (a) ── api list (b) ── db SELECT (c)  ... plus an orphan db span (parent missing)
//   trace 3:  api list (x), a root of its own
const ROWS: Row[] = [
  [1, 'a', null, 'web', 'GET /', 100],
  [1, 'b', 'a', 'api', 'list', 40],
  [1, 'c', 'b', 'db', 'SELECT', 10],
  [1, 'd', 'a', 'api', 'list', 50, true],
  [1, 'e', 'd', 'db', 'SELECT', 30, true],
  [1, 'f', 'd', 'api', 'cache', 1],
  [2, 'a', null, 'web', 'GET /', 200],
  [2, 'b', 'a', 'api', 'list', 20],
  [2, 'c', 'b', 'db', 'SELECT', 20],
  [2, 'z', 'missing', 'db', 'SELECT', 5],
  [3, 'x', null, 'api', 'list', 70],
];

describe('service map', () => {
  it('counts calls between nodes with errors and nearest-rank p50/p99 of the child spans', () => {
    const map = serviceMapOf(build(ROWS));
    expect(map.services).toEqual([
      { name: 'api', spans: 5, errors: 1, owner: null, ownerSource: null },
      { name: 'db', spans: 4, errors: 1, owner: null, ownerSource: null },
      { name: 'web', spans: 2, errors: 0, owner: null, ownerSource: null },
    ]);
    expect(map.edges).toEqual([
      // api → db: 10, 30, 20 ms → sorted 10, 20, 30: p50 = rank ceil(1.5) = 2 → 20; p99 = rank 3 → 30
      { from: 'api', to: 'db', calls: 3, errors: 1, p50Ns: 20e6, p99Ns: 30e6 },
      // web → api: 40, 50, 20 → 20, 40, 50
      { from: 'web', to: 'api', calls: 3, errors: 1, p50Ns: 40e6, p99Ns: 50e6 },
    ]);
  });

  it('keeps p50/p99 per service and operation', () => {
    const s = build(ROWS);
    expect(operationStatsOf(s, 'api')).toEqual([
      { service: 'api', operation: 'cache', spans: 1, errors: 0, p50Ns: 1e6, p99Ns: 1e6 },
      // 40, 50, 20, 70 → 20, 40, 50, 70: p50 rank 2 → 40, p99 rank ceil(3.96) = 4 → 70
      { service: 'api', operation: 'list', spans: 4, errors: 1, p50Ns: 40e6, p99Ns: 70e6 },
    ]);
    expect(operationStatsOf(s).map((o) => `${o.service} ${o.operation}`)).toEqual(['api cache', 'api list', 'db SELECT', 'web GET /']);
  });

  it('makes no edge within a trace that has none, and none across traces', () => {
    // trace 1's span "a" is not the parent of trace 2's "b": ids are looked up within a trace.
    const map = serviceMapOf(build([[1, 'a', null, 'web', 'x', 1], [2, 'b', 'a', 'api', 'y', 1]]));
    expect(map.edges).toEqual([]);
  });
});

describe('service map exports', () => {
  const hostile = ['a"b', 'back\\', 'line\nbreak', '<img src=x onerror=alert(1)>', 'x#quot;y', '--> n0', 'plain'];
  const map = serviceMapOf(build(hostile.map((name, i): Row => [1, String(i), i === 0 ? null : '0', name, 'op', i + 1])));

  it('escapes names for Mermaid: no quote, markup, entity or line break gets through', () => {
    const m = serviceMapMermaid(map);
    expect(m.split('\n')[0]).toBe('flowchart LR');
    for (const line of m.trimEnd().split('\n').slice(1)) expect(line).toMatch(/^ {2}n\d+(\["[^"\n<>`|]*"\]| -->\|"[^"\n<>`|]*"\| n\d+)$/);
    expect(m).toContain('["a#34;b"]');
    expect(m).toContain('["x#35;quot;y"]');
    expect(mermaidText('line\nbreak')).toBe('line break');
    expect(m).toMatch(/n\d+ -->\|"1 call, p50 2\.00 ms, p99 2\.00 ms"\| n\d+/);
  });

  it('escapes names for DOT: quotes and backslashes escaped, line breaks as \\n', () => {
    const d = serviceMapDot(map);
    expect(dotText('back\\')).toBe('back\\\\');
    expect(d).toContain('[label="back\\\\"];');
    expect(d).toContain('[label="a\\"b"];');
    expect(d).toContain('[label="line\\nbreak"];');
    // Every label is one well-formed quoted string: an even run of backslashes before its closing quote.
    for (const line of d.split('\n').filter((l) => l.includes('label='))) expect(line).toMatch(/label="(?:[^"\\\n]|\\.)*"\];$/);
  });

  it('writes each node\'s owner: a second label line in Mermaid and DOT, escaped like names; owner and its source in JSON', () => {
    const owned = withOwners(map, [
      { service: 'plain', owner: 'group:default/team-data', source: 'catalog' },
      { service: 'a"b', owner: '<b>"ops"</b>\nteam', source: 'resource-attribute' },
      { service: 'back\\', owner: null, source: null },
      { service: 'not on the map', owner: 'team-x', source: 'alias' },
    ]);
    expect(owned.services.map((n) => [n.name, n.owner, n.ownerSource])).toEqual(map.services.map((n) => [
      n.name, n.name === 'plain' ? 'group:default/team-data' : n.name === 'a"b' ? '<b>"ops"</b>\nteam' : null,
      n.name === 'plain' ? 'catalog' : n.name === 'a"b' ? 'resource-attribute' : null,
    ]));
    const m = serviceMapMermaid(owned);
    expect(m).toMatch(/ {2}n\d+\["plain<br\/>team-data"\]\n/);
    expect(m).toContain('["a#34;b<br/>#60;b#62;#34;ops#34;#60;/b#62; team"]');
    // Outside the one <br/> of an owned node, no markup, quote or line break.
    for (const line of m.trimEnd().split('\n').slice(1)) expect(line.replace('<br/>', '')).toMatch(/^ {2}n\d+(\["[^"\n<>`|]*"\]| -->\|"[^"\n<>`|]*"\| n\d+)$/);
    const d = serviceMapDot(owned);
    expect(d).toContain('[label="plain\\nteam-data"];');
    expect(d).toContain('[label="a\\"b\\n<b>\\"ops\\"</b>\\nteam"];');
    for (const line of d.split('\n').filter((l) => l.includes('label='))) expect(line).toMatch(/label="(?:[^"\\\n]|\\.)*"\];$/);
    const j = JSON.parse(serviceMapJson(owned)) as { services: { name: string; owner: string | null; ownerSource: string | null }[] };
    expect(j.services.find((s) => s.name === 'plain')).toMatchObject({ owner: 'group:default/team-data', ownerSource: 'catalog' });
    expect(j.services.find((s) => s.name === 'line\nbreak')).toMatchObject({ owner: null, ownerSource: null });
    // Without owners the exports are as before: one line per label.
    expect(serviceMapMermaid(map)).not.toContain('<br/>');
  });

  it('writes JSON that reads back to the same names', () => {
    const j = JSON.parse(serviceMapJson(map)) as { services: { name: string }[]; edges: { from: string; to: string }[] };
    expect(j.services.map((s) => s.name).sort()).toEqual([...hostile].sort());
    expect(j.edges.every((e) => e.from === 'a"b')).toBe(true);
    expect(Object.keys(j.edges[0])).toEqual(['from', 'to', 'calls', 'errors', 'p50Ns', 'p99Ns']);
  });
});

describe('service map: calls out to what wrote no spans are nodes of their own', () => {
  //  web GET /            (a)
  //    web POST → api     (b)  peer "api:8080", but it called api's own span: stays web's
  //      api list         (c)
  //        api pg SELECT  (d)  peer postgresql, nothing below: node postgresql  → api → postgresql
  //          api pg.connect (e) same peer below it: one call, no edge
  //    web GET bank       (f)  peer bank.example.com [error]                     → web → bank.example.com
  it('makes the peer of a client span the node when it called no service with spans', () => {
    const b = new ServiceMapBuilder();
    const rows: [string, string | null, string, string, number, boolean, string][] = [
      ['a', null, 'web', 'GET /', 100, false, ''],
      ['b', 'a', 'web', 'POST /list', 60, false, 'api:8080'],
      ['c', 'b', 'api', 'list', 50, false, ''],
      ['d', 'c', 'api', 'SELECT ?', 20, false, 'postgresql'],
      ['e', 'd', 'api', 'pg.connect', 2, false, 'postgresql'],
      ['f', 'a', 'web', 'GET /rates', 30, true, 'bank.example.com'],
    ];
    for (const [id, parent, service, op, ms, err, peer] of rows) b.add(1, id, parent, service, op, ms * 1e6, err, peer);
    const map = serviceMapOf(b.finish());
    expect(map.edges.map((e) => [e.from, e.to, e.calls, e.errors])).toEqual([
      ['api', 'postgresql', 1, 0],
      ['web', 'api', 1, 0],
      ['web', 'bank.example.com', 1, 1],
    ]);
    expect(map.services.map((s) => [s.name, s.spans])).toEqual([['api', 1], ['bank.example.com', 1], ['postgresql', 2], ['web', 2]]);
  });

  it('on the real incident: PostgreSQL and Redis called by the services whose client spans reach them', async () => {
    const dir = new URL('../fixtures/otel-incident/', import.meta.url).pathname;
    const { store } = await loadInputs([`${dir}traces.otlp.jsonl.gz`]);
    const map = await localClient(store).call('serviceMap');
    const calls = new Map(map.edges.map((e) => [`${e.from} → ${e.to}`, e.calls]));
    const rows = (sql: string) => store.db.exec(sql)[0]?.values ?? [];
    // Every database call is an edge from its service to its database system, one call per span
    // (a pool's connect span above the driver's connect span is one call).
    const system = (t: string) => `coalesce(${t}.attributes ->> '$."db.system.name"', ${t}.attributes ->> '$."db.system"')`;
    const dbCalls = rows(
      `SELECT c.service, ${system('c')}, count(*) FROM spans c JOIN spans p ON p.trace_no = c.trace_no AND p.span_id = c.parent_span_id
       WHERE ${system('c')} IS NOT NULL AND ${system('p')} IS NOT ${system('c')} GROUP BY 1, 2`,
    );
    expect(new Set(dbCalls.map((r) => r[1]))).toEqual(new Set(['postgresql', 'redis']));
    for (const [service, db, n] of dbCalls) expect(calls.get(`${service} → ${db}`), `${service} → ${db}`).toBe(n);
    // Calls between the services: each server span under another service's span.
    const between = rows(
      `SELECT p.service, c.service, count(*) FROM spans c JOIN spans p ON p.trace_no = c.trace_no AND p.span_id = c.parent_span_id
       WHERE c.kind = 2 AND p.service <> c.service GROUP BY 1, 2`,
    );
    expect(between.length).toBeGreaterThan(1);
    for (const [caller, callee, n] of between) expect(calls.get(`${caller} → ${callee}`), `${caller} → ${callee}`).toBe(n);
  }, 120_000);
});

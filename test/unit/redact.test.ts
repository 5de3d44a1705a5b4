// Redaction before sharing: the demo incident plus a service that leaks personal data into spans
// and logs (e-mails, IPv4 and IPv6 addresses, bearer tokens and API keys, user ids). After
// redaction: every join and every critical path is identical, no value a rule matched is left
// anywhere in the workspace, the same value has the same pseudonym everywhere, ids keep their
// shape; catastrophic patterns are refused and a run past its budget stops.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { Redactor, RedactionTimeout, patternProblem, DEFAULT_RULES, type RedactionRules } from '../../src-renderer/core/analysis/redact.ts';

const DEMO = fileURLToPath(new URL('../../assets/demo-incident.zip', import.meta.url));
const T0 = 1_795_000_000_000_000_000n;
const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

/** An OTLP/JSON request and JSON-lines logs of an "accounts" service that leaks what it should not. */
function leakyInputs(dir: string): string[] {
  const spans: unknown[] = [];
  const logs: string[] = [];
  for (let t = 0; t < 20; t++) {
    const traceId = hex(0xabc000 + t, 32);
    const user = `u_${48210 + (t % 5)}`;
    const email = `jane.doe+${t % 3}@example.com`;
    const ip = `192.168.${t % 4}.${10 + t}`;
    const start = T0 + BigInt(t) * 1_000_000_000n;
    const span = (id: number, parent: number | null, name: string, off: number, dur: number, attrs: Record<string, string | number>) => spans.push({
      traceId, spanId: hex(id, 16), ...(parent !== null ? { parentSpanId: hex(parent, 16) } : {}), name, kind: parent === null ? 2 : 3,
      startTimeUnixNano: String(start + BigInt(off)), endTimeUnixNano: String(start + BigInt(off + dur)),
      attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } })),
      ...(t % 4 === 0 && parent !== null ? { status: { code: 2, message: `token rejected for ${email}` } } : {}),
    });
    span(t * 10 + 1, null, `GET /users/${user}`, 0, 900_000_000, { 'enduser.id': user, 'client.address': ip, 'http.request.header.authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlc2ln' });
    span(t * 10 + 2, t * 10 + 1, 'SELECT accounts', 100_000_000, 300_000_000, { 'db.statement': `SELECT * FROM accounts WHERE email = '${email}'`, 'server.address': '2001:db8:85a3::8a2e:370:7334' });
    span(t * 10 + 3, t * 10 + 1, 'POST stripe', 450_000_000, 400_000_000, { 'payment.key': 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'user_id': 48210 + (t % 5) });
    logs.push(JSON.stringify({ time: new Date(Number((start + 200_000_000n) / 1_000_000n)).toISOString(), level: t % 4 === 0 ? 'error' : 'info', service: 'accounts', trace_id: traceId, span_id: hex(t * 10 + 2, 16), msg: `login for ${email} from ${ip} (user ${user}) api_key=AKIAIOSFODNN7EXAMPLE` }));
  }
  const traces = join(dir, 'accounts.otlp.json');
  writeFileSync(traces, JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'accounts' } }, { key: 'host.ip', value: { stringValue: '10.0.7.21' } }] }, scopeSpans: [{ spans }] }] }));
  const log = join(dir, 'accounts.log');
  writeFileSync(log, logs.join('\n') + '\n');
  const catalog = join(dir, 'services.yaml');
  writeFileSync(catalog, [
    'services:',
    '  - service: accounts',
    '    team: accounts-team',
    '    oncall: pager.lead@example.com',
    '    chat: "#accounts from 172.16.5.4"',
    '    runbook: https://runbooks.example.com/accounts?token=Bearer%20abc',
  ].join('\n') + '\n');
  return [traces, log, catalog];
}

/** The user's work that leaks too: an SLO, a note, the view (a search in the route), the report being written. */
function leakyWork(c: EngineCore): void {
  c.sloAdd([{ definition: { name: 'login for ops.sre@example.com', service: 'accounts', operation: 'GET /users/{id}', indicator: { kind: 'availability', errorRule: { statusError: true, errorTag: true, httpStatusMin: 500 } }, objective: 0.99, windowNs: 300e9, periodNs: 2592e12 }, warnings: ['seen from 192.168.77.1'] }]);
  c.noteSet({ target: 'range', fromNs: String(T0), toNs: String(T0 + 1_000_000_000n), label: 'outage seen by noted.user@example.com' }, { starred: true, body: 'called from 203.0.113.9 with api_key=AKIAIOSFODNN7NOTEKEY' });
  c.exportWorkspace({ route: '#/logs?q=viewed.person%40example.com+level%3Derror', kept: { logs: { q: 'viewed.person@example.com level=error' } } });
  c.saveReportDraft({ from: String(T0), to: String(T0 + 20_000_000_000n), title: 'Logins failing for report.author@example.com', summary: 'from 198.51.100.23', actions: ['rotate sk_live_4eC39HqLyjWDarjtT1zdACTN'] });
}

const rules: RedactionRules = { ...DEFAULT_RULES, patterns: ['ord-[0-9]{6}'], keys: ['messaging.system'] };

let core: EngineCore;
let after: EngineCore;
let redactor: Redactor;

const rows = (c: EngineCore, sql: string) => c.store.db.exec(sql)[0]?.values ?? [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-redact-'));
  const { store } = await loadInputs([DEMO, ...leakyInputs(dir)]);
  core = new EngineCore(store);
  leakyWork(core);
  // The same as exportRedactedWorkspace, with the redactor kept to see what it replaced.
  const { redactStore } = await import('../../src-renderer/store/redact.ts');
  redactor = new Redactor(rules);
  const copy = Store.create(store.sql, store.export());
  redactStore(copy, redactor);
  after = new EngineCore(Store.create(store.sql, copy.export()));
}, 90_000);

describe('redaction keeps structure', () => {
  it('every span, parent, time and duration, every log join and link is identical', () => {
    for (const sql of [
      'SELECT trace_id, span_id, parent_span_id, parent_ref, kind, CAST(start_ns AS TEXT), duration_ns, status, is_error FROM spans ORDER BY span_row',
      'SELECT trace_id, span_id, CAST(time_ns AS TEXT), severity FROM logs ORDER BY log_row',
      'SELECT * FROM log_inferred ORDER BY log_row',
      'SELECT span_row, trace_id, span_id FROM span_links ORDER BY rowid',
      'SELECT trace_id, CAST(start_ns AS TEXT), duration_ns, span_count, error_count, service_count FROM traces ORDER BY trace_id',
    ]) expect(rows(after, sql)).toEqual(rows(core, sql));
  });
  it('every critical path and error path is identical', () => {
    const ids = rows(core, 'SELECT trace_id FROM traces ORDER BY error_count DESC, trace_id LIMIT 120').map((r) => String(r[0]));
    ids.push(...rows(core, "SELECT DISTINCT trace_id FROM spans WHERE service = 'accounts'").map((r) => String(r[0])));
    for (const id of ids) {
      const a = core.traceAnalyses(id)!;
      const b = after.traceAnalyses(id)!;
      // The same sections of the same spans; only names that held personal data read differently.
      expect([b.critical.span, b.critical.start, b.critical.end]).toEqual([a.critical.span, a.critical.start, a.critical.end]);
      expect(b.critical.byService.map((r) => r.selfNs)).toEqual(a.critical.byService.map((r) => r.selfNs));
      expect(b.critical.byOperation.map((r) => r.selfNs)).toEqual(a.critical.byOperation.map((r) => r.selfNs));
      expect(b.errorPath.path).toEqual(a.errorPath.path);
      expect(b.errorPath.rootCause).toEqual(a.errorPath.rootCause);
    }
  });
});

describe('redaction leaves nothing a rule matched', () => {
  // Every text cell of every table (what main's schema has and what any later version adds), so a
  // table the redaction does not know fails here. The full-text index is checked by a query below.
  const everything = (c: EngineCore) => {
    const tables = rows(c, `SELECT schema, name FROM pragma_table_list WHERE type = 'table' AND schema <> 'temp' AND name NOT LIKE 'logs_fts%' AND name NOT LIKE 'sqlite_%'`);
    const out: string[] = [];
    for (const [db, t] of tables) for (const r of rows(c, `SELECT * FROM "${db}"."${t}"`)) for (const v of r) if (typeof v === 'string') out.push(v);
    return out.join('\n');
  };
  it('finds e-mails, IPv4 and IPv6 addresses, tokens, API keys and user ids', () => {
    expect(Object.keys(Object.fromEntries(redactor.counts)).sort()).toEqual(['email', 'ipv4', 'ipv6', 'key', 'secret', 'user-id']);
    const befores = [...redactor.changes.values()].map((c) => c.before);
    for (const v of ['jane.doe+0@example.com', '192.168.1.11', '2001:db8:85a3::8a2e:370:7334', 'AKIAIOSFODNN7EXAMPLE', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'u_48211', '10.0.7.21']) {
      expect(befores).toContain(v);
    }
  });
  it('no original value is left anywhere in the workspace, the full-text index included', () => {
    const text = everything(after);
    for (const c of redactor.changes.values()) {
      if (c.rule === 'user-id' && /^\d+$/.test(c.before)) continue; // a bare number may occur as any other number
      expect(text.includes(c.before), `${c.rule} ${c.before}: ${text.split('\n').find((l) => l.includes(c.before))?.slice(0, 300)}`).toBe(false);
    }
    expect(everything(core)).toContain('jane.doe+1@example.com');
    const fts = rows(after, `SELECT count(*) FROM logs_fts WHERE logs_fts MATCH 'jane'`)[0][0];
    expect(fts).toBe(0);
    // The index is whole again, messages and attribute values: the pseudonyms are found.
    expect(rows(after, 'SELECT last_row FROM logs_fts_state')[0][0]).toBe(rows(after, 'SELECT max(log_row) FROM logs')[0][0]);
    expect(rows(after, `SELECT count(*) FROM logs_fts WHERE logs_fts MATCH 'redacted'`)[0][0]).toBe(rows(after, `SELECT count(*) FROM logs WHERE message LIKE '%@redacted.invalid%'`)[0][0]);
  });
  it("the user's work is redacted too: SLOs, notes, the view (its route's search included), the catalog and the report", () => {
    const text = everything(after);
    for (const v of ['ops.sre@example.com', '192.168.77.1', 'noted.user@example.com', '203.0.113.9', 'AKIAIOSFODNN7NOTEKEY', 'viewed.person@example.com',
      'report.author@example.com', '198.51.100.23', 'sk_live_4eC39HqLyjWDarjtT1zdACTN', 'pager.lead@example.com', '172.16.5.4']) {
      expect(everything(core)).toContain(v);
      expect(text, v).not.toContain(v);
    }
    const view = after.viewState() as { route: string; kept: { logs: { q: string } } };
    expect(decodeURIComponent(view.route)).not.toContain('viewed.person');
    // The search in the route and the one the screen kept got the same pseudonym.
    expect(new URLSearchParams(view.route.split('?')[1]).get('q')).toBe(view.kept.logs.q);
    expect(view.kept.logs.q).toMatch(/^user-[0-9a-f]{8}@redacted\.invalid level=error$/);
    expect(after.sloList()[0].definition.name).toMatch(/^login for user-[0-9a-f]{8}@redacted\.invalid$/);
    expect(after.ownership().services.find((s) => s.service === 'accounts')?.owner).toBe('accounts-team');
  });
  it('the same value has one pseudonym everywhere, ids keep their shape, addresses stay addresses', () => {
    const spanUser = rows(after, `SELECT DISTINCT attributes ->> '$."enduser.id"' FROM spans WHERE attributes ->> '$."enduser.id"' IS NOT NULL`).map((r) => String(r[0]));
    expect(spanUser.length).toBe(5);
    for (const u of spanUser) expect(u).toMatch(/^u_\d{5}$/);
    // The user id in the span's name and in the log message got the same pseudonym as the attribute.
    const names = rows(after, `SELECT DISTINCT name FROM spans WHERE name LIKE 'GET /users/%'`).map((r) => String(r[0]).slice('GET /users/'.length));
    expect(new Set(names)).toEqual(new Set(spanUser));
    const ips = rows(after, `SELECT DISTINCT attributes ->> '$."client.address"' FROM spans WHERE service = 'accounts' AND attributes ->> '$."client.address"' IS NOT NULL`).map((r) => String(r[0]));
    for (const ip of ips) expect(ip).toMatch(/^10\.\d+\.\d+\.\d+$/);
    const stripe = rows(after, `SELECT DISTINCT attributes ->> '$."payment.key"' FROM spans WHERE attributes ->> '$."payment.key"' IS NOT NULL`).map((r) => String(r[0]));
    expect(stripe).toHaveLength(1);
    expect(stripe[0]).toMatch(/^sk_live_[A-Za-z0-9]{24}$/);
    expect(rows(after, `SELECT DISTINCT typeof(attributes ->> '$.user_id') FROM spans WHERE attributes ->> '$.user_id' IS NOT NULL`)).toEqual([['integer']]);
  });
  it('the preview says what will change; the export is a workspace that opens', () => {
    const p = core.redactPreview(rules);
    expect(p.counts.email).toBe(8); // three in the data, five in the user's work and the catalog
    expect(p.cells).toBeGreaterThan(100);
    expect(p.samples.length).toBeGreaterThan(10);
    const bytes = core.exportRedactedWorkspace(rules);
    const opened = new EngineCore(Store.create(core.store.sql, bytes));
    expect(opened.totals()).toEqual(core.totals());
    // The loaded workspace itself is untouched.
    expect(everything(core)).toContain('AKIAIOSFODNN7EXAMPLE');
  });
  it('the traces as OTLP/JSON: read back, every span, parent, time, duration, link and critical path is the same; no original value is in it', async () => {
    // One key for both exports, so that their pseudonyms are the same.
    const key = new Uint8Array(32).fill(7);
    const { redactedOtlp, redactedWorkspace } = await import('../../src-renderer/engine/redact.ts');
    const text = redactedOtlp(core.store, rules, key);
    const sameKey = new EngineCore(Store.create(core.store.sql, redactedWorkspace(core.store, rules, key)));
    const file = join(mkdtempSync(join(tmpdir(), 'tracedeck-redact-otlp-')), 'traces.redacted.otlp.jsonl');
    writeFileSync(file, text);
    const back = new EngineCore((await loadInputs([file])).store);
    const shape = `SELECT trace_id, span_id, coalesce(parent_span_id, ''), CAST(start_ns AS TEXT), duration_ns, kind, status, is_error, event_count, link_count FROM spans ORDER BY trace_id, span_id`;
    expect(rows(back, shape)).toEqual(rows(core, shape));
    expect(rows(back, 'SELECT trace_id, span_id FROM span_links ORDER BY 1, 2')).toEqual(rows(core, 'SELECT trace_id, span_id FROM span_links ORDER BY 1, 2'));
    // Names and attributes as the redacted workspace has them.
    const named = `SELECT trace_id, span_id, name, service, attributes FROM spans ORDER BY trace_id, span_id`;
    const read = (c: EngineCore) => rows(c, named).map((r) => [r[0], r[1], r[2], r[3], JSON.parse(String(r[4] ?? '{}'))]);
    expect(read(back)).toEqual(read(sameKey));
    expect(core.exportRedactedOtlp(rules)).not.toBe(text); // a fresh key each export
    for (const [id] of rows(core, 'SELECT trace_id FROM traces ORDER BY start_ns LIMIT 40')) {
      const a = core.traceAnalyses(id as string)!;
      const b = back.traceAnalyses(id as string)!;
      expect(b.critical.byService.map((r) => r.selfNs)).toEqual(a.critical.byService.map((r) => r.selfNs));
      expect(b.errorPath.rootCause).toEqual(a.errorPath.rootCause);
    }
    for (const c of [...redactor.changes.values()].filter((x) => !/^\d+$/.test(x.before))) expect(text.includes(c.before), `${c.rule} ${c.before}`).toBe(false);
  }, 120_000);
});

describe('custom patterns and the time budget', () => {
  it('refuses patterns that can backtrack catastrophically, back-references and empty matches', () => {
    for (const p of ['(a+)+', '(\\w*\\s?)*$', '(x|xx)+y{2,}(?:a*)*', '(a)\\1', 'a*', '([']) expect(patternProblem(p), p).not.toBeNull();
    for (const p of ['ord-[0-9]{6}', 'ACME-[A-Z]{3}-\\d+', '(?:foo|bar)-\\d{4}']) expect(patternProblem(p), p).toBeNull();
    expect(() => new Redactor({ ...DEFAULT_RULES, patterns: ['(a+)+b'] })).toThrow(/exponential/);
  });
  it('a custom pattern replaces what it matches, the same way each time', () => {
    const r = new Redactor({ ...DEFAULT_RULES, patterns: ['ord-[0-9]{6}'] });
    const a = r.text('order ord-123456 failed; retry ord-123456');
    expect(a).toMatch(/^order ord-\d{6} failed; retry ord-\d{6}$/);
    const [x, y] = a.match(/ord-\d{6}/g)!;
    expect(x).toBe(y);
    expect(x).not.toBe('ord-123456');
  });
  it('stops past its time budget instead of exporting half-redacted data', () => {
    const r = new Redactor(DEFAULT_RULES, { budgetMs: -1 });
    expect(() => r.text('jane@example.com')).toThrow(RedactionTimeout);
  });
});

describe('tracedeck redact', () => {
  it('writes the redacted workspace of the engine request; its rules file is checked', async () => {
    const { main } = await import('../../src-renderer/cli/main.ts');
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-redact-cli-'));
    const inputs = leakyInputs(dir);
    writeFileSync(join(dir, 'rules.yaml'), 'patterns: ["ord-[0-9]{6}"]\nkeys: [messaging.system]\n');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    expect(await main(['redact', ...inputs, '--rules', join(dir, 'rules.yaml'), '--out', join(dir, 'shared.sqlite'), '--json'], io)).toBe(0);
    const j = JSON.parse(out[0]);
    const { store } = await loadInputs(inputs);
    const engine = new EngineCore(store);
    expect(j.counts).toEqual(engine.redactPreview({ ...DEFAULT_RULES, patterns: ['ord-[0-9]{6}'], keys: ['messaging.system'] }).counts);
    const { store: shared } = await loadInputs([join(dir, 'shared.sqlite')]);
    const text = shared.db.exec('SELECT group_concat(message) FROM logs')[0].values[0][0] as string;
    expect(text).not.toContain('@example.com');
    expect(text).toContain('@redacted.invalid');
    writeFileSync(join(dir, 'bad.yaml'), 'patterns: ["(a+)+"]\nemail: true\n');
    expect(await main(['redact', ...inputs, '--rules', join(dir, 'bad.yaml'), '--out', join(dir, 'x.sqlite')], io)).toBe(2);
    expect(err.at(-1)).toMatch(/unknown rule "email"/);
  });
});

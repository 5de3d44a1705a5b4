// A workspace saved by an older version (schema version 2: no line counts, notes or duplicates on
// files; no scope or observed time on logs) opens: its tables gain the columns, what it never
// counted reads as unknown, and new imports fill them in.
import { describe, it, expect, beforeAll } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { SCHEMA_VERSION } from '../../src-renderer/store/schema.ts';
import { listFiles } from '../../src-renderer/store/queries.ts';
import { catalogAliases, catalogEntries, setCatalogAlias } from '../../src-renderer/store/catalog.ts';
import { logRecord } from '../../src-renderer/store/log-view-record.ts';
import type { LogRecord } from '../../src-renderer/core/model/log.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';
import type { SpanEvent, SpanLink } from '../../src-renderer/core/model/trace.ts';
import { ftsStep, ftsProgress } from '../../src-renderer/store/log-view-fts.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

function log(line: number, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    timeNs: epochNs(1_763_630_000_000_000_001n + BigInt(line)), severity: 'info', severityText: 'INFO', service: 'svc', message: `line ${line}`, traceId: null,
    spanId: null, traceIdPartial: false, traceIdRaw: null, spanIdRaw: null, line, attributes: {}, ...extra,
  };
}

function importLogs(store: Store, name: string, logs: LogRecord[], tally?: { lines: number; continuations: number; blank: number; skipped: number }) {
  store.beginJob();
  store.beginFile(name, null);
  store.addLogs(logs);
  const report = store.finishFile({ format: 'test', kind: 'logs', rejected: 0, errors: [], tally, notes: tally ? ['a note'] : undefined });
  store.commitJob();
  return report;
}

describe('upgrading a saved workspace', () => {
  it('builds again a full-text index saved with messages alone, so words of attribute values are found', () => {
    const old = Store.create(SQL);
    importLogs(old, 'old.log', [log(1, { attributes: { reason: 'statement timeout' } }), log(2)]);
    // As an index of messages alone was saved: built over the message column, its state without the marker.
    old.db.exec(`
      INSERT INTO ws.logs_fts (docid, message) SELECT log_row, message FROM ws.logs;
      DROP TABLE ws.logs_fts_state; CREATE TABLE ws.logs_fts_state (id INTEGER PRIMARY KEY CHECK (id = 1), last_row INTEGER NOT NULL);
      INSERT INTO ws.logs_fts_state VALUES (1, 2);
    `);
    const bytes = old.export();
    old.close();

    const store = Store.create(SQL, bytes);
    expect(ftsProgress(store)).toEqual({ indexed: 0, total: 2, done: false });
    expect(new EngineCore(store).logSearch({}, '"statement timeout"').positions).toEqual(Int32Array.from([0])); // read as text meanwhile
    expect(ftsStep(store, 100).done).toBe(true);
    expect(new EngineCore(store).logSearch({}, '"statement timeout"').positions).toEqual(Int32Array.from([0]));
    expect(store.db.exec(`SELECT count(*) FROM logs_fts WHERE logs_fts MATCH '"statement timeout"'`)[0].values[0][0]).toBe(1);
  });

  it('adds the count, note and log scope columns to a version-2 workspace', () => {
    const old = Store.create(SQL);
    importLogs(old, 'old.log', [log(1), log(2)]);
    old.db.exec(`
      ALTER TABLE ws.files DROP COLUMN lines; ALTER TABLE ws.files DROP COLUMN continuations; ALTER TABLE ws.files DROP COLUMN blank;
      ALTER TABLE ws.files DROP COLUMN skipped; ALTER TABLE ws.files DROP COLUMN duplicates; ALTER TABLE ws.files DROP COLUMN notes;
      ALTER TABLE ws.logs DROP COLUMN scope_id; ALTER TABLE ws.logs DROP COLUMN observed_ns;
      PRAGMA ws.user_version = 2;
    `);
    const bytes = old.export();
    old.close();

    const store = Store.create(SQL, bytes);
    expect(listFiles(store)).toMatchObject([{ name: 'old.log', logs: 2, lines: null, continuations: null, blank: null, skipped: 0, duplicates: 0, notes: [] }]);
    expect(logRecord(store, 1)).toMatchObject({ message: 'line 1', scope: null, observedNs: null });

    const report = importLogs(store, 'new.log', [log(1, { scope: { name: 'app', version: '1.2' }, observedNs: epochNs(1_763_630_000_000_000_999n) })], {
      lines: 3, continuations: 1, blank: 1, skipped: 0,
    });
    expect(report).toMatchObject({ logs: 1, tally: { lines: 3, continuations: 1, blank: 1, skipped: 0 }, notes: ['a note'], duplicates: 0 });
    expect(listFiles(store)[1]).toMatchObject({ name: 'new.log', lines: 3, continuations: 1, blank: 1, notes: ['a note'] });
    expect(logRecord(store, 3)).toMatchObject({ scope: { name: 'app', version: '1.2' }, observedNs: '1763630000000000999' });
    expect(store.db.exec('PRAGMA user_version')[0].values[0][0]).toBe(SCHEMA_VERSION);
  });

  it('gives the spans of a workspace saved before operations their grouped operation and peer', () => {
    const old = Store.create(SQL);
    old.beginJob();
    old.beginFile('old.json', null);
    const base = { traceId: 'a'.repeat(32), parentRef: 'child_of', kind: 'client', startNs: epochNs(1_763_630_000_000_000_000n), durationNs: durationNs(5), status: 'unset',
      statusMessage: '', resource: { attributes: { 'service.name': 'cart' } }, scope: { name: '', version: '' }, events: [] as SpanEvent[], links: [] as SpanLink[], service: 'cart' } as const;
    old.addSpans([
      { ...base, spanId: '0000000000000001', parentSpanId: null, name: 'get', attributes: { 'db.system': 'redis', 'db.statement': 'get cart:6678' } },
      { ...base, spanId: '0000000000000002', parentSpanId: '0000000000000001', name: 'get', attributes: { 'db.system': 'redis', 'db.statement': 'get cart:12' } },
    ]);
    old.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    old.commitJob();
    old.db.exec('DROP INDEX ws.spans_by_op; ALTER TABLE ws.spans DROP COLUMN op_id; DROP TABLE ws.operations; DROP TABLE ws.operation_settings; PRAGMA ws.user_version = 3;');
    const bytes = old.export();
    old.close();

    const store = Store.create(SQL, bytes);
    const rows = store.db.exec('SELECT o.service, o.operation, o.peer FROM spans s JOIN operations o USING (op_id) ORDER BY s.span_row')[0].values;
    expect(rows).toEqual([['cart', 'get cart:{id}', 'redis'], ['cart', 'get cart:{id}', 'redis']]);
  });

  it("turns a version-5 workspace's catalog (a row per service) into entries of the one catalog, keeping tier and attributes", () => {
    const old = Store.create(SQL);
    importLogs(old, 'a.log', [log(1)]);
    // Version 5's catalog table, and neither aliases nor the report draft.
    old.db.exec(`DROP TABLE ws.service_catalog; DROP TABLE ws.catalog_aliases; DROP TABLE ws.report_drafts;
      CREATE TABLE ws.service_catalog (service TEXT PRIMARY KEY, owner TEXT, tier TEXT, description TEXT, attributes TEXT) WITHOUT ROWID;
      INSERT INTO ws.service_catalog VALUES ('svc', 'team-a', 'tier-1', 'takes payments', '{"slack":"#svc"}'), ('bare', NULL, NULL, NULL, 'not json');
      PRAGMA ws.user_version = 5;`);
    const bytes = old.export();
    old.close();

    const store = Store.create(SQL, bytes);
    expect(store.db.exec('PRAGMA user_version')[0].values[0][0]).toBe(SCHEMA_VERSION);
    const entries = catalogEntries(store);
    expect(entries.map((e) => [e.kind, e.name, e.owner, e.description, e.file, e.line])).toEqual([
      ['Component', 'bare', null, null, '', 0],
      ['Component', 'svc', 'team-a', 'takes payments', '', 0],
    ]);
    expect(entries[1].source).toEqual({
      apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'svc', description: 'takes payments' },
      spec: { slack: '#svc', type: 'service', owner: 'team-a', tier: 'tier-1' },
    });
    // The catalog written back carries what the old table held.
    const yaml = new EngineCore(store).catalogYaml();
    expect(yaml).toContain('tier: tier-1');
    expect(yaml).toContain('slack: "#svc"');
    setCatalogAlias(store, 'svc-v2', 'svc');
    const again = Store.create(SQL, store.export());
    expect([...catalogAliases(again)]).toEqual([['svc-v2', 'svc']]);
    expect(catalogEntries(again)).toEqual(entries);
  });

});

// The SQL a person types runs read-only: one statement, reads only, parameters bound. Each refusal
// below was run for real against the workspace's connection before this check existed, and
// DETACH ws, BEGIN and PRAGMA query_only=0 went through.
import { describe, it, expect, beforeAll } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { runReadOnlySql, readOnlyRefusal, ReadOnlySqlError } from '../../src-renderer/store/read-only-sql.ts';
import { totals } from '../../src-renderer/store/queries.ts';
import type { Span } from '../../src-renderer/core/model/trace.ts';
import { epochNs, durationNs } from '../../src-renderer/core/base/time.ts';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

function workspace(): Store {
  const store = Store.create(SQL);
  store.beginFile('one.json', 10);
  const span: Span = {
    traceId: 'a'.repeat(32), spanId: '0000000000000001', parentSpanId: null, parentRef: 'child_of', name: "it's 100% _done_ \\ \u0000 ok", service: 'svc',
    kind: 'server', startNs: epochNs(1_763_630_000_000_000_001n), durationNs: durationNs(3), status: 'unset', statusMessage: '', attributes: {},
    resource: { attributes: { 'service.name': 'svc' } }, scope: { name: '', version: '' }, events: [], links: [],
  };
  store.addSpans([span]);
  store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
  return store;
}

describe('read-only SQL', () => {
  it('runs one read with bound parameters, whatever characters they hold', () => {
    const store = workspace();
    const name = "it's 100% _done_ \\ \u0000 ok";
    expect(runReadOnlySql(store, 'SELECT name FROM spans WHERE name = ?', [name]).rows).toEqual([[name]]);
    // LIKE wildcards in a bound value are data unless the query says otherwise.
    expect(runReadOnlySql(store, "SELECT count(*) FROM spans WHERE name LIKE ? ESCAPE '\\'", ['%100\\%%']).rows).toEqual([[1]]);
    expect(runReadOnlySql(store, 'SELECT count(*) FROM spans WHERE name = ?', ["' OR 1=1 --"]).rows).toEqual([[0]]);
    const huge = 'x'.repeat(1 << 20);
    expect(runReadOnlySql(store, 'SELECT length(?)', [huge]).rows).toEqual([[1 << 20]]);
    expect(runReadOnlySql(store, '  -- a comment\n /* another */ WITH t AS (SELECT 1 AS x) SELECT x FROM t;  -- trailing\n').rows).toEqual([[1]]);
    expect(runReadOnlySql(store, 'PRAGMA table_info(spans)').rows.length).toBeGreaterThan(10);
    expect(runReadOnlySql(store, "SELECT count(*) FROM pragma_table_info('traces')").rows[0][0]).toBeGreaterThan(5);
  });

  it('refuses writes, ATTACH, DETACH, transactions, PRAGMA writes and a second statement', () => {
    const store = workspace();
    const refused = [
      'DELETE FROM spans',
      "INSERT INTO files (name) VALUES ('x')",
      'UPDATE spans SET name = 1',
      'DROP TABLE spans',
      'CREATE TABLE t (x)',
      'CREATE TEMP TABLE t (x)',
      "ATTACH ':memory:' AS evil",
      "attach database ':memory:' as evil",
      'DETACH ws',
      'BEGIN',
      'COMMIT',
      'SAVEPOINT x',
      'RELEASE job',
      'ROLLBACK',
      'PRAGMA query_only = 0',
      'PRAGMA query_only=0',
      'PRAGMA writable_schema = 1',
      'PRAGMA ws.cache_size = 10',
      'PRAGMA optimize',
      'PRAGMA table_info(spans) = 1',
      "VACUUM ws INTO '/tmp/copy.db'",
      'REINDEX',
      'ANALYZE',
      'SELECT 1; DELETE FROM spans',
      'SELECT 1; DETACH ws',
      'WITH x AS (SELECT 1) DELETE FROM spans',
      '/* SELECT */ DELETE FROM spans',
      '-- SELECT\nDETACH ws',
      '',
      '   ',
    ];
    for (const sql of refused) {
      expect(() => runReadOnlySql(store, sql), sql).toThrow();
    }
    // Nothing changed: the workspace is still attached and whole, and writes are possible again.
    expect(totals(store)).toEqual({ traces: 1, spans: 1, logs: 0, files: 1 });
    expect(runReadOnlySql(store, 'PRAGMA database_list').rows.map((r) => r[1])).toEqual(['main', 'temp', 'ws']);
    store.beginFile('two.json', 1);
    store.finishFile({ format: 'test', kind: 'traces', rejected: 0, errors: [] });
    expect(totals(store).files).toBe(2);
  });

  it('says what is allowed', () => {
    expect(readOnlyRefusal('select 1')).toBeNull();
    expect(readOnlyRefusal('DETACH ws')).toMatch(/DETACH is not allowed/);
    expect(readOnlyRefusal('PRAGMA query_only = 0')).toMatch(/never with "="/);
    expect(() => runReadOnlySql(workspace(), 'SELECT 1; SELECT 2')).toThrow(/one statement at a time/);
    expect(() => runReadOnlySql(workspace(), 'DELETE FROM spans')).toThrow(ReadOnlySqlError);
  });

  it('stops a query between rows when asked to', () => {
    const store = workspace();
    let rows = 0;
    const run = () => runReadOnlySql(store, 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', [], { shouldStop: () => ++rows > 1000 });
    expect(run).toThrow(/stopped/);
    expect(() => runReadOnlySql(store, 'SELECT value FROM json_each(?)', [JSON.stringify([...Array(50).keys()])], { maxRows: 10 })).toThrow(/more than 10 rows/);
    // The connection is usable afterwards, and writable again for imports.
    expect(runReadOnlySql(store, 'SELECT count(*) FROM spans').rows).toEqual([[1]]);
  });
});

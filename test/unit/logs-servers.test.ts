// Logs that real servers wrote (test/fixtures/logs/servers, made by make-server-logs.sh beside
// them: nginx, Apache httpd, HAProxy through rsyslog, PostgreSQL's three destinations, Redis,
// rsyslog's file templates, systemd-journald read back with journalctl): every line is accounted
// for, and the time, level, service and fields each server writes are read.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { folderReader, readFile } from './logs-harness.ts';
import { expectEveryLineAccounted, physicalLines } from './logs-accounting.ts';
import { formatIsoNs, type EpochNs } from '../../src-renderer/core/base/time.ts';

const DIR = new URL('../fixtures/logs/servers/', import.meta.url).pathname;
const NOW = Date.UTC(2026, 11, 7);
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const iso = (ns: EpochNs | null) => (ns === null ? null : formatIsoNs(ns));

// file, format, records, records with a level (the rest write none: syslog and journalctl's text formats)
const SERVERS: Array<[string, string, number, number]> = [
  ['nginx-access.log', 'logs-access', 7, 7],
  ['nginx-access-traced.log', 'logs-access', 7, 7],
  ['nginx-error.log', 'logs-nginx-error', 24, 24],
  ['apache-access.log', 'logs-access', 6, 6],
  ['apache-error.log', 'logs-apache-error', 10, 10],
  ['haproxy.log', 'logs-syslog-3164', 6, 4], // the four HTTP lines have a status
  ['postgresql.log', 'logs-postgres', 48, 48],
  ['postgresql.csv', 'logs-postgres-csv', 48, 48],
  ['postgresql.json', 'logs-jsonl', 48, 48],
  ['redis.log', 'logs-redis', 30, 30],
  ['rsyslog-messages.log', 'logs-syslog-3164', 5, 0],
  ['rsyslog-precise.log', 'logs-syslog-3164', 5, 0],
  ['rsyslog-protocol23.log', 'logs-syslog-5424', 5, 5],
  ['journal.json', 'logs-jsonl', 9, 9],
  ['journal-short-iso.log', 'logs-syslog-3164', 9, 0],
  ['journal-short-precise.log', 'logs-syslog-3164', 9, 0],
  ['journal-short-iso-precise.log', 'logs-syslog-3164', 9, 0],
];

const read = folderReader(DIR, { now: NOW });

describe('server logs import every line with its time', () => {
  for (const [file, format, records, leveled] of SERVERS) {
    it(`${file}: ${format}, ${records} records, ${leveled} with a level`, () => {
      const r = read(file);
      expect(r.format).toBe(format);
      expect(r.logs).toHaveLength(records);
      expectEveryLineAccounted(r, physicalLines(new Uint8Array(readFileSync(DIR + file))));
      expect(r.logs.every((l) => l.timeNs !== null)).toBe(true);
      expect(r.logs.filter((l) => l.severity !== null)).toHaveLength(leveled);
    });
  }
});

describe('PostgreSQL', () => {
  const events = (file: string) => read(file).logs.map((l) => [iso(l.timeNs), l.severityText]);

  it('its three destinations tell the same story, event for event', () => {
    const stderr = events('postgresql.log');
    expect(events('postgresql.csv')).toEqual(stderr);
    expect(events('postgresql.json')).toEqual(stderr);
    expect(stderr.filter((e) => e[1] === 'ERROR')).toHaveLength(5);
    expect(stderr.filter((e) => e[1] === 'WARNING')).toHaveLength(1);
  });

  it("Debian's prefix: an ERROR keeps its DETAIL, HINT, CONTEXT, LOCATION and STATEMENT lines, and its user and database", () => {
    const errors = read('postgresql.log').logs.filter((l) => l.severity === 'error');
    expect(errors[0].message).toBe(
      'duplicate key value violates unique constraint "orders_pkey"\nDETAIL:  Key (id)=(1) already exists.\nSTATEMENT:  INSERT INTO orders VALUES (1, \'linus\', 3.00)',
    );
    expect(errors[0].attributes).toMatchObject({ 'db.user': 'postgres', 'db.name': 'shop' });
    expect(errors[2].message).toContain('\nHINT:  No function matches the given name and argument types.');
    expect(errors[3].message.split('\n')).toEqual([
      'negative total -5', 'HINT:  totals are never negative', 'CONTEXT:  PL/pgSQL function check_total(numeric) line 4 at RAISE',
      'STATEMENT:  SELECT check_total(-5);',
    ]);
    // log_error_verbosity = verbose: the SQLSTATE, the LOCATION line, and a statement over five tab-indented lines.
    expect(errors[4].attributes['db.response.status_code']).toBe('42703');
    expect(errors[4].message.split('\n')).toEqual([
      'column "no_such_column" does not exist at character 73', 'LOCATION:  errorMissingColumn, parse_relation.c:3665',
      'STATEMENT:  SELECT id,', '\t       customer', '\t  FROM orders', "\t WHERE customer = 'ada'", '\t   AND no_such_column = 1;',
    ]);
  });

  it('csvlog: one record per CSV record, a multi-line quoted statement included, with the fields under their jsonlog names', () => {
    const r = read('postgresql.csv');
    const err = r.logs.filter((l) => l.severity === 'error')[4];
    expect(err.message).toBe('column "no_such_column" does not exist');
    expect(err.attributes.statement).toBe("SELECT id,\n       customer\n  FROM orders\n WHERE customer = 'ada'\n   AND no_such_column = 1;");
    expect(err.attributes).toMatchObject({ user: 'postgres', dbname: 'shop', state_code: '42703', cursor_position: 73, application_name: 'psql' });
    expect(typeof err.attributes.pid).toBe('number');
    const json = read('postgresql.json').logs.filter((l) => l.severity === 'error')[4];
    expect(json.attributes.statement).toBe(err.attributes.statement);
    expect(json.attributes.state_code).toBe('42703');
  });
});

describe('web servers and proxies', () => {
  it('access logs: the status gives the level (5xx error, 4xx warn); a traceparent in an extra field joins the trace', () => {
    expect(read('nginx-access.log').logs.map((l) => l.severity)).toEqual(['info', 'warn', 'error', 'warn', 'warn', 'error', 'info']);
    expect(read('apache-access.log').logs.map((l) => l.severity)).toEqual(['info', 'warn', 'warn', 'error', 'error', 'warn']);
    const traced = read('nginx-access-traced.log').logs;
    expect(traced.map((l) => l.traceId)).toEqual([null, null, null, null, null, T, T]);
    expect(traced[5].spanId).toBe('00f067aa0ba902b7');
    expect(traced[0].attributes['client.address']).toBe('203.0.113.7');
  });

  it("Apache's error log: [module:level], pid and tid, client, the OS error", () => {
    const logs = read('apache-error.log').logs;
    expect(logs.map((l) => l.severityText)).toEqual(['notice', 'notice', 'info', 'error', 'error', 'error', 'warn', 'info', 'info', 'notice']);
    expect(logs[4].attributes).toMatchObject({ 'apache.module': 'proxy', 'error.code': '(111)Connection refused', 'apache.message_id': 'AH00957' });
    expect(logs[3].attributes['client.address']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(iso(logs[0].timeNs)).toMatch(/^2026-12-06T21:28:07\.\d{6}000Z$/);
  });

  it("nginx's error log: level, pid#tid, connection, and the request context as fields", () => {
    const logs = read('nginx-error.log').logs;
    const crit = logs.filter((l) => l.severity === 'fatal'); // [crit]
    expect(crit).toHaveLength(2);
    expect(crit[0].message).toMatch(/^connect\(\) to unix:.*nothing\.sock failed \(2: No such file or directory\) while connecting to upstream$/);
    expect(crit[0].attributes).toMatchObject({ 'client.address': '203.0.113.7', 'http.request.method': 'GET', 'url.path': '/api/orders', 'server.address': 'localhost' });
    expect(logs.filter((l) => l.severity === 'error').map((l) => l.attributes['url.path'])).toEqual(['/missing.png', '/search?q=shoes&page=2']);
  });

  it('HAProxy through rsyslog: the HTTP lines read for status and timers', () => {
    const logs = read('haproxy.log').logs;
    expect(logs.map((l) => l.service)).toEqual(Array(6).fill('haproxy'));
    expect(logs.slice(2).map((l) => [l.severity, l.attributes['http.response.status_code']])).toEqual([['info', 200], ['warn', 404], ['error', 503], ['warn', 405]]);
    expect(logs[4].attributes).toMatchObject({ 'haproxy.backend': 'api', 'haproxy.server': '<NOSRV>', 'haproxy.termination_state': 'SC--' });
  });
});

describe('Redis, rsyslog and journald', () => {
  it('Redis: the marker is the level, the role is kept', () => {
    const logs = read('redis.log').logs;
    const by = (marker: string) => logs.filter((l) => l.severityText === marker).length;
    // The markers in the file (its sixth column): 7 "#", 9 "*", 12 "-", 2 ".".
    expect([by('warning'), by('notice'), by('verbose'), by('debug')]).toEqual([7, 9, 12, 2]);
    expect(logs.find((l) => l.message.startsWith('WARNING Memory overcommit'))?.severity).toBe('warn');
    expect(logs[0].attributes['redis.role']).toBe('child');
  });

  it('rsyslog: a message received as RFC 5424 and written without a colon after its tag is a record of its own', () => {
    for (const file of ['rsyslog-messages.log', 'rsyslog-precise.log']) {
      const logs = read(file).logs;
      expect(logs.map((l) => [l.service, l.message])).toEqual([
        ['shop-api', 'order 1 placed'], ['shop-api', 'payment declined for order 2'], ['billing', 'invoice 7 is late'], ['billing', 'invoice 8 failed'],
        ['shop-api', 'order 3 placed'],
      ]);
      expect(new Set(logs.map((l) => l.line)).size).toBe(5);
    }
    expect(read('rsyslog-precise.log').logs.map((l) => iso(l.timeNs))).toEqual([
      '2026-12-06T21:28:11.047923000Z', '2026-12-06T21:28:11.059535000Z', '2026-12-06T21:28:11.078384000Z', '2026-12-06T21:28:11.088170000Z',
      '2026-12-06T21:28:11.097480000Z',
    ]);
    const p23 = read('rsyslog-protocol23.log').logs;
    expect(p23.map((l) => [l.severity, l.service])).toEqual([['info', 'shop-api'], ['error', 'shop-api'], ['warn', 'billing'], ['error', 'billing'], ['info', 'shop-api']]);
    expect([p23[3].traceId, p23[3].spanId]).toEqual([T, '00f067aa0ba902b7']);
    expect(p23[0].message).toBe('order 1 placed');
  });

  it('journald: PRIORITY is the level, SYSLOG_IDENTIFIER the service, a MESSAGE of bytes is decoded', () => {
    const logs = read('journal.json').logs;
    expect(logs.map((l) => [l.service, l.severity])).toEqual([
      ['systemd-journald', 'info'], ['systemd-journald', 'info'], ['shop-api', 'info'], ['shop-api', 'error'], ['shop-cache', 'warn'],
      ['billing', 'info'], ['billing', 'debug'], ['billing', 'fatal'], ['systemd-journald', 'info'],
    ]);
    expect(logs[5].message).toBe('invoice \uFFFD\uFFFD run for billing');
    expect(logs[2].traceId).toBe(T);
    expect(iso(logs[2].timeNs)).toMatch(/^2026-12-06T21:28:16\.\d{6}000Z$/);
  });

  it("journalctl's short formats: the same entries, their services, the precision each writes", () => {
    const services = read('journal.json').logs.map((l) => l.service);
    for (const f of ['journal-short-iso.log', 'journal-short-precise.log', 'journal-short-iso-precise.log']) expect(read(f).logs.map((l) => l.service)).toEqual(services);
    const json = read('journal.json').logs.map((l) => iso(l.timeNs));
    expect(read('journal-short-iso-precise.log').logs.map((l) => iso(l.timeNs))).toEqual(json);
    expect(read('journal-short-precise.log').logs.map((l) => iso(l.timeNs))).toEqual(json);
    expect(read('journal-short-iso.log').logs.map((l) => iso(l.timeNs))).toEqual(json.map((t) => t!.replace(/\.\d+Z$/, '.000000000Z')));
  });
});

describe('a Node service logging with pino and the OpenTelemetry pino instrumentation', () => {
  const file = new URL('../fixtures/logs/pino/pino.log', import.meta.url).pathname;

  it("reads pino's name as the service, its level numbers, the trace ids the instrumentation adds, and the error's stack", () => {
    const r = readFile(file, { now: NOW });
    expect(r.format).toBe('logs-jsonl');
    expectEveryLineAccounted(r, physicalLines(new Uint8Array(readFileSync(file))));
    expect(r.logs.map((l) => [l.service, l.severity])).toEqual([
      ['shop-api', 'info'], ['shop-api', 'debug'], ['shop-api', 'warn'], ['shop-api', 'info'], ['shop-api', 'error'],
      ['shop-jobs', 'info'], ['shop-jobs', 'fatal'], // a child logger's name (pino writes the key twice; the last one counts)
    ]);
    const traced = r.logs.filter((l) => l.traceId !== null);
    expect(traced).toHaveLength(4);
    expect(new Set(traced.map((l) => l.traceId)).size).toBe(2);
    expect(traced[1].spanId).not.toBe(traced[0].spanId); // the child span
    expect(traced[1].spanId).toMatch(/^[0-9a-f]{16}$/);
    expect((r.logs[4].attributes.err as { stack: string }).stack).toMatch(/^Error: inventory unavailable\n {4}at /);
  });
});

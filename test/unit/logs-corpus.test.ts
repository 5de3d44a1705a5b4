// Every log file of lnav's test corpus imports with its detected format, record count and first /
// last timestamps. Expected values were checked by reading the files (comments say how where a
// conversion is involved). Stamps without a year are inferred against a fixed reference time.

import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from './logs-harness.ts';
import { expectEveryLineAccounted, physicalLines } from './logs-accounting.ts';
import { formatIsoNs, type EpochNs } from '../../src-renderer/core/base/time.ts';

const DIR = new URL('../fixtures/corpus/lnav/test/', import.meta.url).pathname;
/** 2026-11-23: files without a year get this year unless that puts them in the future. */
const NOW = Date.UTC(2026, 10, 23);

// file, format, records, first time, last time (UTC)
const EXPECTED: Array<[string, string, number, string | null, string | null]> = [
  ['logfile_access_log.0', 'logs-access', 3, '2009-07-20T22:59:26.000000000Z', '2009-07-20T22:59:29.000000000Z'],
  ['logfile_bunyan.0', 'logs-jsonl', 10, '2023-03-24T14:26:16.243000000Z', '2023-03-24T14:26:18.331000000Z'],
  ['logfile_crlf.0', 'logs-generic', 2, '2012-07-02T10:22:40.672000000Z', '2014-10-08T16:56:38.344000000Z'],
  // 10 "web-1" lines without stamps, 12 redis lines (read as Redis lines: 11 stamped, one signal-handler line with
  // epoch seconds 1714024483 = 05:54:43Z): 22 records, each with its service
  ['logfile_docker_compose.0', 'logs-prefixed', 22, '2024-04-25T05:32:35.018000000Z', '2024-04-25T05:54:43.948000000Z'],
  ['logfile_ecs_log.json', 'logs-jsonl', 5, '2025-01-13T09:58:13.631000000Z', '2025-01-13T09:58:13.634000000Z'],
  ['logfile_empty.0', 'empty', 0, null, null],
  // 1428634687123 ms = 2015-04-10T02:58:07.123Z
  ['logfile_epoch.0', 'logs-generic', 2, '2015-04-10T02:58:07.123000000Z', '2015-04-10T02:58:07.456000000Z'],
  ['logfile_generic.0', 'logs-generic', 2, '2012-07-02T10:22:40.672000000Z', '2014-10-08T16:56:38.344000000Z'],
  // May 17 is before the reference date: this year
  ['logfile_glog.0', 'logs-glog', 7, '2026-05-17T15:04:22.619632000Z', '2026-05-17T15:04:22.619776000Z'],
  ['logfile_haproxy.0', 'logs-syslog-3164', 17, '2026-02-25T16:19:38.000000000Z', '2026-02-25T16:20:18.000000000Z'],
  // one stamped record; the XML lines after it are its continuation
  ['logfile_invalid_utf8.0', 'logs-generic', 1, '2015-03-12T23:16:52.071000000Z', '2015-03-12T23:16:52.071000000Z'],
  ['logfile_java.0', 'logs-java', 20, '2025-01-24T07:00:30.139000000Z', '2025-01-24T07:05:38.884000000Z'],
  // __REALTIME_TIMESTAMP 1534860261221373 us
  ['logfile_journald.json', 'logs-jsonl', 2, '2018-08-21T14:04:21.221373000Z', '2018-08-21T14:04:21.221373000Z'],
  ['logfile_json.json', 'logs-jsonl', 14, '2013-09-06T20:00:48.124817000Z', '2013-09-06T22:01:49.124817000Z'],
  ['logfile_leveltest.0', 'logs-generic', 8, '2016-06-30T12:00:01.000000000Z', '2016-06-30T12:00:08.000000000Z'],
  ['logfile_logfmt.0', 'logs-logfmt', 5, '2021-09-15T21:17:10.220731000Z', '2021-09-15T21:18:20.335825000Z'],
  ['logfile_multiline.0', 'logs-python', 2, '2009-07-20T22:59:27.672000000Z', '2009-07-20T22:59:30.221000000Z'],
  // 6 requests holding 11 log records; 1700000000 s = 2023-11-14T22:13:20Z
  ['logfile_otel_collector.jsonl', 'logs-otlp-json', 11, '2023-11-14T22:13:20.000000000Z', '2023-11-14T22:13:30.000000000Z'],
  // "time":1745532517537 (ms)
  ['logfile_pino.0', 'logs-jsonl', 1, '2025-04-24T22:08:37.537000000Z', '2025-04-24T22:08:37.537000000Z'],
  // 28 lines, 7 blank, one STATEMENT that joins its ERROR; PDT is UTC-7
  ['logfile_postgres.0', 'logs-postgres', 20, '2025-08-13T08:45:01.123000000Z', '2025-08-13T08:50:02.010000000Z'],
  ['logfile_syslog.0', 'logs-syslog-3164', 4, '2026-11-03T09:23:38.000000000Z', '2026-11-03T09:47:02.000000000Z'],
  // Dec 3 would be in the future: last year; then Jan rolls over into this year
  ['logfile_syslog.1', 'logs-syslog-3164', 4, '2025-12-03T09:23:38.000000000Z', '2026-01-03T09:47:02.000000000Z'],
  ['logfile_w3c.0', 'logs-w3c', 1, '2002-05-02T17:42:15.000000000Z', '2002-05-02T17:42:15.000000000Z'],
  // 17:22:01.694554+03:00 is 14:22:01.694554Z, between the two Z stamps
  ['logfile_with_zones.0', 'logs-syslog-5424', 3, '2022-08-27T14:22:01.613000000Z', '2022-08-27T14:22:01.888000000Z'],
  ['logfile_zap_console.0', 'logs-generic', 3, '2025-04-24T22:09:20.854000000Z', '2025-04-24T22:09:21.256000000Z'],
];

const iso = (ns: EpochNs | null | undefined) => (ns == null ? null : formatIsoNs(ns));

describe('lnav corpus', () => {
  it('lists every file of the corpus', () => {
    expect(readdirSync(DIR).filter((f) => f.startsWith('logfile')).sort()).toEqual(EXPECTED.map((e) => e[0]).sort());
  });

  for (const [file, format, count, first, last] of EXPECTED) {
    it(`${file}: ${format}, ${count} records`, () => {
      const r = readFile(DIR + file, { now: NOW });
      expect(r.format).toBe(format);
      expect(r.logs.length).toBe(count);
      expect(r.rejected).toEqual([]);
      // OTLP requests hold many records per line: their lines are not records one for one.
      if (format !== 'logs-otlp-json') expectEveryLineAccounted(r, physicalLines(new Uint8Array(readFileSync(DIR + file))));
      const times = r.logs.map((l) => l.timeNs).filter((t) => t !== null);
      expect(iso(times[0])).toBe(first);
      expect(iso(times[times.length - 1])).toBe(last);
    });
  }

  it('reads levels, services and messages as written', () => {
    const json = readFile(DIR + 'logfile_json.json', { now: NOW }).logs;
    expect(json.map((l) => l.severity)).toEqual([
      'trace', 'info', 'info', 'debug', 'debug', 'debug', 'debug', 'debug', 'debug', 'info', 'warn', 'error', 'fatal', 'fatal',
    ]);
    expect(json[5].timeNs).toBeNull(); // "ts": "xxx"
    expect(json[5].message).toBe('bad ts...');
    const bunyan = readFile(DIR + 'logfile_bunyan.0', { now: NOW }).logs;
    expect(bunyan[0].service).toBe('renovate');
    expect(bunyan[3].severity).toBe('info'); // level 30
    const glog = readFile(DIR + 'logfile_glog.0', { now: NOW }).logs;
    expect(glog.map((l) => l.severityText).join('')).toBe('EIIWIIE');
    const pg = readFile(DIR + 'logfile_postgres.0', { now: NOW }).logs;
    expect(pg[9].severity).toBe('error');
    expect(pg[9].message).toBe('relation "nonexistent_table" does not exist at character 15\nSTATEMENT:  SELECT * FROM nonexistent_table;');
    expect(pg[9].attributes['process.pid']).toBe(12389);
    const compose = readFile(DIR + 'logfile_docker_compose.0', { now: NOW }).logs;
    expect(new Set(compose.map((l) => l.service))).toEqual(new Set(['web', 'redis']));
    expect(compose.filter((l) => l.service === 'redis').every((l) => l.timeNs !== null)).toBe(true);
    expect(compose[12].severity).toBe('warn'); // Redis "#"
    expect(compose[12].attributes['redis.role']).toBe('child');
    const journald = readFile(DIR + 'logfile_journald.json', { now: NOW }).logs;
    expect(journald.map((l) => [l.severity, l.service])).toEqual([['fatal', 'python'], ['info', 'python']]); // PRIORITY 1 and 6
    const zones = readFile(DIR + 'logfile_with_zones.0', { now: NOW }).logs;
    expect(zones.map((l) => l.service)).toEqual(['NSX', 'CRON', 'NSX']);
    expect(zones[0].severity).toBe('info'); // SD param level="INFO"
  });

  it('joins the zap stack trace to its record', () => {
    const zap = readFile(DIR + 'logfile_zap_console.0', { now: NOW }).logs;
    expect(zap[1].severity).toBe('error');
    expect(zap[1].message.split('\n')).toHaveLength(7);
    expect(zap[1].message).toContain('exporterqueue/async_queue.go:47');
  });

  it('finds the trace ids of pino and OTLP logs', () => {
    const pino = readFile(DIR + 'logfile_pino.0', { now: NOW }).logs[0];
    expect([pino.traceId, pino.spanId, pino.service]).toEqual(['c759f29f5f1e2162be56f32dd1e77fce', '17c4a60ca4297cf1', 'payment']);
    const otel = readFile(DIR + 'logfile_otel_collector.jsonl', { now: NOW }).logs;
    expect(otel[0].traceId).toBe('5b8aa5a2d2c872e8321cf37308d69df2');
    expect(otel[0].service).toBe('payment-service');
    expect(otel.filter((l) => l.traceId !== null).length).toBeGreaterThan(0);
  });

  it('counts the invalid bytes of logfile_invalid_utf8.0', () => {
    const r = readFile(DIR + 'logfile_invalid_utf8.0', { now: NOW });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].data?.invalidBytes).toBe(3);
    expect(r.logs[0].message).toContain('\uFFFD');
  });
});

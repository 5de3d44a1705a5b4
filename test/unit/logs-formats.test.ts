// Log formats: detection among each other (confusion), forced formats, multi-line records,
// encodings, timestamps, severities and trace context in every encoding logging libraries write it in.

import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFile, readBytes } from './logs-harness.ts';
import { expectEveryLineAccounted, physicalLines } from './logs-accounting.ts';
import { formatIsoNs, type EpochNs } from '../../src-renderer/core/base/time.ts';
import { epochToNs, findTimestamp, YearGuesser, DayGuesser, parseTimeValue } from '../../src-renderer/core/import/logs/timestamp.ts';
import { resolveZone, UTC_ZONE } from '../../src-renderer/core/import/logs/zone.ts';
import { severityFromText, severityFromLevelNumber } from '../../src-renderer/core/import/logs/severity.ts';
import { contextFromText, contextFromFields } from '../../src-renderer/core/import/logs/trace-context.ts';
import { sniffEncoding } from '../../src-renderer/core/import/logs/text-source.ts';

const FIX = new URL('../fixtures/logs/', import.meta.url).pathname;
const NOW = Date.UTC(2026, 10, 23);
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const iso = (ns: EpochNs | null) => (ns === null ? null : formatIsoNs(ns));

describe('detection', () => {
  const own: Array<[string, string]> = [
    ['jsonl.log', 'logs-jsonl'], ['logfmt.log', 'logs-logfmt'], ['otlp-logs.jsonl', 'logs-otlp-json'], ['syslog-3164.log', 'logs-syslog-3164'],
    ['syslog-5424.log', 'logs-syslog-5424'], ['access.log', 'logs-access'], ['w3c.log', 'logs-w3c'], ['glog.log', 'logs-glog'],
    ['java.log', 'logs-java'], ['python.log', 'logs-python'], ['generic.log', 'logs-generic'],
  ];
  for (const [file, id] of own) {
    it(`${file} is detected as ${id}`, () => {
      expect(readFile(FIX + file, { now: NOW }).format).toBe(id);
    });
  }

  it('a forced format skips detection', () => {
    const r = readFile(FIX + 'java.log', { format: 'logs-generic', now: NOW });
    expect(r.format).toBe('logs-generic');
    // generic: stack trace lines have no stamp and join the record before them, as in Java
    expect(r.logs).toHaveLength(3);
  });

  it('does not take OTLP metrics or trace documents for logs', () => {
    const metrics = readFileSync(new URL('../fixtures/corpus/opentelemetry-proto/examples/metrics.json', import.meta.url));
    // Read as OTLP (its data points are skipped), not as logs.
    const m = readBytes(new Uint8Array(metrics), 'metrics.json');
    expect([m.format, m.logs.length, m.rejected.length]).toEqual(['otlp-json', 0, 0]);
    const trace = readFileSync(new URL('../fixtures/corpus/opentelemetry-proto/examples/trace.json', import.meta.url));
    expect(readBytes(new Uint8Array(trace), 'trace.json').kind).toBe('traces');
  });
});

describe('nothing dropped', () => {
  // Every log fixture in the repository (OTLP requests hold many records per line, so not those).
  const dirs = [FIX, join(FIX, 'layouts'), join(FIX, 'servers'), new URL('../fixtures/corpus/lnav/test/', import.meta.url).pathname];
  const files = dirs.flatMap((d) => readdirSync(d, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith('.sh')).map((e) => join(d, e.name)));
  files.push(join(FIX, 'pino', 'pino.log'));
  for (const file of files) {
    it(`${file.split('/').slice(-2).join('/')}: lines = records + continuations + rejected + blank + skipped`, () => {
      const bytes = new Uint8Array(readFileSync(file));
      if (bytes.length === 0) return;
      const r = readFile(file, { now: NOW });
      if (r.format === 'logs-otlp-json' || r.kind !== 'logs') return;
      expectEveryLineAccounted(r, physicalLines(bytes));
    });
  }
});

describe('held lines', () => {
  it('a CRI partial line that no final piece completes is counted once, as the record made of it at the end', () => {
    const text = [
      '2024-03-01T10:00:10.000000000Z stdout P {"msg":"cri cut ',
      '{broken',
      '{"msg":"after"}',
    ].join('\n') + '\n';
    const r = readBytes(new TextEncoder().encode(text), 'cri.log', { now: NOW, format: 'logs-jsonl' });
    expect(r.logs.map((l) => l.message).sort()).toEqual(['after', '{"msg":"cri cut ', '{broken']);
    expect(r.rejected).toEqual([]);
    expect(r.logs.find((l) => l.message === '{broken')?.attributes['log.unparsed']).toBe('invalid JSON');
    expectEveryLineAccounted(r, 3, false);
  });
});

describe('multi-line records', () => {
  it('joins a Java stack trace with its cause to its record', () => {
    const logs = readFile(FIX + 'java.log', { now: NOW }).logs;
    expect(logs).toHaveLength(3);
    const lines = logs[1].message.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('Order failed [trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7]');
    expect(lines[4]).toBe('Caused by: java.net.SocketTimeoutException: Read timed out');
    expect(lines[6]).toBe('\t... 12 more');
    expect(logs[1].attributes['thread.name']).toBe('http-nio-8080-exec-1');
    expect(logs[1].attributes['log.logger']).toBe('com.example.OrderService');
    expect([logs[1].traceId, logs[1].spanId]).toEqual([T, S]);
    expect(logs[2].line).toBe(9);
  });

  it('joins a Python traceback to its record', () => {
    const logs = readFile(FIX + 'python.log', { now: NOW }).logs;
    expect(logs.map((l) => l.severity)).toEqual(['info', 'error', 'warn']);
    expect(logs[1].message.split('\n')).toHaveLength(7);
    expect(logs[1].message.endsWith('ZeroDivisionError: division by zero')).toBe(true);
    expect(logs[1].attributes['log.logger']).toBe('myapp.api');
    expect([logs[1].traceId, logs[1].spanId]).toEqual([T, S]); // otelTraceID / otelSpanID
  });

  it('gives a stamped line its own record even when it is not in the layout', () => {
    const r = readBytes(new TextEncoder().encode('2024-03-01 10:00:00,123 - a - INFO - one\n2024-03-01 10:00:01 something else\n'), 'x.log', { format: 'logs-python', now: NOW });
    expect(r.format).toBe('logs-python');
    expect(r.logs.map((l) => l.message)).toEqual(['one', 'something else']);
  });
});

describe('encodings', () => {
  for (const file of ['utf16le-bom.log', 'utf16be-nobom.log', 'utf8-bom-crlf.log']) {
    it(`${file}: text, CRLF and ids read the same, in 1-byte chunks too`, () => {
      for (const chunk of [1, 3, 4096]) {
        const r = readFile(FIX + file, { now: NOW }, chunk);
        expect(r.logs.map((l) => l.message)).toEqual(['héllo wörld', `ünïcode failure trace_id=${T}`]);
        expect(r.logs[1].traceId).toBe(T);
        expect(iso(r.logs[1].timeNs)).toBe('2024-03-01T10:00:01.000000000Z');
        expect(r.findings).toEqual([]);
      }
    });
  }

  it('recognises UTF-16 by BOM or by its NUL bytes', () => {
    expect(sniffEncoding(new Uint8Array(readFileSync(FIX + 'utf16le-bom.log')))).toEqual({ encoding: 'utf-16le', bom: 2 });
    expect(sniffEncoding(new Uint8Array(readFileSync(FIX + 'utf16be-nobom.log')))).toEqual({ encoding: 'utf-16be', bom: 0 });
    expect(sniffEncoding(new Uint8Array(readFileSync(FIX + 'utf8-bom-crlf.log')))).toEqual({ encoding: 'utf-8', bom: 3 });
  });

  it('shows invalid UTF-8 as U+FFFD and counts it, but not a real U+FFFD', () => {
    for (const chunk of [1, 7, 4096]) {
      const r = readFile(FIX + 'invalid-utf8.log', { now: NOW }, chunk);
      expect(r.logs).toHaveLength(3);
      expect(r.logs[1].message).toBe('bad \uFFFD\uFFFD bytes and a real \uFFFD here');
      // FF, FE, and the truncated E2 82: three; the EF BF BD in the file is a real U+FFFD
      expect(r.findings.map((f) => f.data?.invalidBytes)).toEqual([3]);
    }
  });
});

describe('timestamps', () => {
  it('reads epochs by magnitude, exactly', () => {
    expect(epochToNs('1709287200')).toBe(1709287200000000000n);
    expect(epochToNs('1709287200123')).toBe(1709287200123000000n);
    expect(epochToNs('1709287200123456')).toBe(1709287200123456000n);
    expect(epochToNs('1709287200123456789')).toBe(1709287200123456789n);
    expect(epochToNs('1709287200', '5')).toBe(1709287200500000000n);
    expect(parseTimeValue(1709287202.5, UTC_ZONE)).toBe(1709287202500000000n);
    expect(parseTimeValue(1709287200123456789n, UTC_ZONE)).toBe(1709287200123456789n);
  });

  it('reads ISO 8601 at any precision, with offsets and abbreviations', () => {
    const at = (s: string) => iso(findTimestamp(s, 0, UTC_ZONE)?.ns ?? null);
    expect(at('2024-03-01T10:00:00Z')).toBe('2024-03-01T10:00:00.000000000Z');
    expect(at('2024-03-01T10:00:00.1Z')).toBe('2024-03-01T10:00:00.100000000Z');
    expect(at('2024-03-01T10:00:00.123456789Z')).toBe('2024-03-01T10:00:00.123456789Z');
    expect(at('2024-03-01 10:00:00,5+0530')).toBe('2024-03-01T04:30:00.500000000Z');
    expect(at('2024-03-01T10:00:00-07:00')).toBe('2024-03-01T17:00:00.000000000Z');
    expect(at('2024-03-01 10:00:00 PDT rest')).toBe('2024-03-01T17:00:00.000000000Z');
    expect(at('10/Oct/2000:13:55:36 -0700')).toBe('2000-10-10T20:55:36.000000000Z');
  });

  it('applies the file time zone to stamps without one (IANA with DST, or fixed)', () => {
    const berlin = resolveZone('Europe/Berlin').zone;
    expect(iso(findTimestamp('2024-03-01 10:00:00', 0, berlin)!.ns)).toBe('2024-03-01T09:00:00.000000000Z');
    expect(iso(findTimestamp('2024-07-01 10:00:00', 0, berlin)!.ns)).toBe('2024-07-01T08:00:00.000000000Z');
    expect(iso(findTimestamp('2024-07-01 10:00:00Z', 0, berlin)!.ns)).toBe('2024-07-01T10:00:00.000000000Z');
    expect(iso(findTimestamp('2024-07-01 10:00:00', 0, resolveZone('+05:30').zone)!.ns)).toBe('2024-07-01T04:30:00.000000000Z');
    expect(resolveZone('Mars/Olympus').error).toMatch(/unknown time zone/);
    const r = readFile(FIX + 'generic.log', { timeZone: 'America/New_York', now: NOW });
    expect(iso(r.logs[0].timeNs)).toBe('2024-03-01T15:00:00.250000000Z');
  });

  it('places a time of day on the reference day, or the day before, and moves on past midnight', () => {
    const now = Date.UTC(2026, 11, 7, 12, 0); // noon
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const g = new DayGuesser(now);
    expect([g.day(11 * 3600), g.day(23 * 3600), g.day(22 * 3600 + 59 * 60), g.day(60), g.day(3600)].map(day)).toEqual([
      '2026-12-07', '2026-12-07', '2026-12-07', '2026-12-08', '2026-12-08', // 23:00 then 22:59 is disorder, not a new day
    ]);
    expect(day(new DayGuesser(now).day(14 * 3600))).toBe('2026-12-06'); // 14:00 today would be in the future
    expect(new DayGuesser(now).count).toBe(0);
  });

  it('infers the year of syslog stamps from the reference time and rollovers', () => {
    const g = new YearGuesser(Date.UTC(2026, 0, 10));
    expect([g.year(12, 30), g.year(12, 31), g.year(1, 2), g.year(1, 9)]).toEqual([2025, 2025, 2026, 2026]);
    expect(new YearGuesser(Date.UTC(2026, 5, 1)).year(6, 2)).toBe(2026); // one day ahead is tolerated (clock drift)
    expect(new YearGuesser(Date.UTC(2026, 5, 1)).year(6, 5)).toBe(2025);
  });
});

describe('severity', () => {
  it('normalises names and numbers on their scales', () => {
    expect(['WARNING', 'Information', 'E', 'crit', 'notice', 'SEVERE', 'finest', 'dpanic'].map(severityFromText)).toEqual([
      'warn', 'info', 'error', 'fatal', 'info', 'error', 'trace', 'fatal',
    ]);
    expect([10, 20, 30, 40, 50, 60].map((n) => severityFromLevelNumber(n, 'bunyan'))).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
    expect([0, 3, 4, 6, 7].map((n) => severityFromLevelNumber(n, 'syslog'))).toEqual(['fatal', 'error', 'warn', 'info', 'debug']);
    expect([1, 5, 9, 13, 17, 21].map((n) => severityFromLevelNumber(n, 'otel'))).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
  });

  it('takes syslog PRI and HTTP status into account', () => {
    const sys = readFile(FIX + 'syslog-5424.log', { now: NOW }).logs;
    expect(sys.map((l) => l.severity)).toEqual(['info', 'fatal', 'info']); // PRI 165 % 8 = 5, 34 % 8 = 2, 14 % 8 = 6
    expect(iso(sys[1].timeNs)).toBe('2003-10-12T05:14:16.000003000Z');
    expect(readFile(FIX + 'access.log').logs.map((l) => l.severity)).toEqual(['info', 'error', 'warn']);
  });
});

describe('service', () => {
  it('is read from every field loggers use for it', () => {
    const lines = [
      '{"level":30,"time":1709287201000,"name":"pino-app","msg":"pino without pid or hostname"}',
      '{"name":"bunyan-app","hostname":"h","pid":1,"level":30,"msg":"bunyan","time":"2024-03-01T10:00:00Z","v":0}',
      '{"@timestamp":"2024-03-01T10:00:00Z","message":"ecs","service":{"name":"ecs-app"}}',
      '{"time":"2024-03-01T10:00:00Z","msg":"otel","service.name":"otel-app"}',
      '{"@t":"2024-03-01T10:00:00Z","@mt":"clef","Application":"serilog-app"}',
      '{"Timestamp":"2024-03-01T10:00:00Z","Level":"Information","MessageTemplate":"json","Properties":{"Application":"serilog-json-app"}}',
      '{"time":"2024-03-01T10:00:00Z","msg":"app","app":"plain-app"}',
      '{"time":"2024-03-01T10:00:00Z","msg":"user created","name":"alice"}',
    ];
    const r = readBytes(new TextEncoder().encode(lines.join('\n') + '\n'), 'svc.jsonl', { now: NOW });
    expect(r.logs.map((l) => l.service)).toEqual([
      'pino-app', 'bunyan-app', 'ecs-app', 'otel-app', 'serilog-app', 'serilog-json-app', 'plain-app', null, // a "name" that is not a logger's
    ]);
  });
});

describe('trace context', () => {
  it('normalises the ids of every listed encoding in the JSON lines fixture', () => {
    const logs = readFile(FIX + 'jsonl.log', { now: NOW }).logs;
    const ctx = logs.map((l) => [l.message.split(' ')[0], l.traceId, l.spanId, l.traceIdPartial]);
    const low = '0000000000000000a3ce929d0e0e4736';
    expect(ctx).toEqual([
      ['ecs', T, S, false], // trace.id / span.id nested
      ['pino', T, S, false], // upper-case hex
      ['zap', low, S, true], // Datadog decimal
      ['serilog', T, S, false], // @tr / @sp
      ['docker', T, S, false], // traceparent in the text
      ['gcp', T, S, false], // projects/.../traces/ID
      ['journald', null, null, false],
      ['logrus', '5759e988bd862e3fe1be46a994272793', '53995c3f42cd8ad8', false], // X-Ray in a nested header
      ['structlog', '80f198ee56343ba864fe8b2a57d3eff7', 'e457b5a2e4d86bd1', false], // single b3
      ['jaeger', '5b8aa5a2d2c872e8321cf37308d69df2', '051581bf3cb55c13', false], // uber-trace-id
      ['cri', T, null, false], // partial CRI lines joined, inner JSON read
      ['b3', low, S, true], // 64-bit X-B3-TraceId
    ]);
    expect(logs[2].traceIdRaw).toBe('11803532876627986230');
    expect(logs[1].traceIdRaw).toBe('4BF92F3577B34DA6A3CE929D0E0E4736');
    expect(iso(logs[0].timeNs)).toBe('2024-03-01T10:00:00.123456789Z');
  });

  it('finds ids in text in every listed form', () => {
    const f = (s: string) => {
      const c = contextFromText(s);
      return c ? [c.traceId, c.spanId, c.partial] : null;
    };
    expect(f(`[trace_id=${T} span_id=${S}] done`)).toEqual([T, S, false]);
    expect(f(`traceparent: 00-${T}-${S}-01`)).toEqual([T, S, false]);
    expect(f('X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')).toEqual([
      '5759e988bd862e3fe1be46a994272793', '53995c3f42cd8ad8', false,
    ]);
    expect(f(`uber-trace-id: ${T}:${S}:0:1`)).toEqual([T, S, false]);
    expect(f(`b3=${T}-${S}-1`)).toEqual([T, S, false]);
    expect(f(`X-B3-TraceId: a3ce929d0e0e4736 X-B3-SpanId: ${S}`)).toEqual(['0000000000000000a3ce929d0e0e4736', S, true]);
    expect(f(`trace projects/p1/traces/${T}`)).toEqual([T, null, false]);
    expect(f('dd.trace_id=11803532876627986230 dd.span_id=67667974448284343')).toEqual(['0000000000000000a3ce929d0e0e4736', S, true]);
    expect(f('traceId="' + T.toUpperCase() + '"')).toEqual([T, null, false]);
    expect(f('nothing here')).toBeNull();
    expect(f('trace_id=00000000000000000000000000000000')).toBeNull(); // all zeros is invalid
  });

  it('reads fields the user names, in fields and in text', () => {
    const c = contextFromFields({ req: { tid: T, sid: S } }, ['req.tid'], ['req.sid']);
    expect([c?.traceId, c?.spanId]).toEqual([T, S]);
    const r = readBytes(new TextEncoder().encode(`2024-03-01 10:00:00 INFO handled corr=${T}\n`), 'x.log', { traceIdFields: ['corr'], now: NOW });
    expect(r.logs[0].traceId).toBe(T);
    const g = contextFromFields({ 'X-Cloud-Trace-Context': `${T}/67667974448284343;o=1` });
    expect([g?.traceId, g?.spanId]).toEqual([T, S]); // GCP header: span id in decimal
  });

  it('reads the opentelemetry SD element of RFC 5424', () => {
    const l = readFile(FIX + 'syslog-5424.log', { now: NOW }).logs[2];
    expect([l.traceId, l.spanId, l.service]).toEqual([T, S, 'app']);
  });
});

// OTLP as the official OpenTelemetry JS SDK's exporters really sent it (test/fixtures/otel-sdk:
// generate.mjs ran the SDK against a local receiver and kept the request bodies), and the
// collector-file-exporter dumps assembled from them: traces, logs and metrics requests interleaved
// in every order, a metrics line of 1.3 MB, the same requests as protobuf frames. Every span and
// log record is imported, metric data points are counted as skipped, nothing is rejected; the
// counts are those expected.json took from the request bodies when the SDK sent them.

import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importBytes, importFile, type Collected } from './import-harness.ts';
import { dumpSpans } from '../../src-renderer/core/import/trace-dump.ts';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import type { ByteSource } from '../../src-renderer/engine/client.ts';
import { main } from '../../src-renderer/cli/main.ts';

const DIR = join(__dirname, '../fixtures/otel-sdk');
interface Counts {
  spans: number;
  logs: number;
  dataPoints: number;
}
const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  requests: { json: (Counts & { name: string; signal: string })[]; proto: (Counts & { name: string; signal: string })[] };
  dumps: Record<string, Counts & { lines?: number; longestLine?: number; firstLine: string }>;
};
const DUMPS = Object.keys(EXPECTED.dumps);
const bytesOf = (rel: string) => new Uint8Array(readFileSync(join(DIR, rel)));
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

function expectAllRead(c: Collected, want: Counts): void {
  expect(c.error).toBeNull();
  expect(c.rejects).toEqual([]);
  expect(c.spans.length).toBe(want.spans);
  expect(c.logs.length).toBe(want.logs);
  expect(c.tallied.skipped).toBe(want.dataPoints);
  expect(c.notes).toEqual(want.dataPoints > 0 ? ['metrics skipped: {n} data points'] : []);
}

describe('the OTel JS SDK exporters, request by request', () => {
  for (const enc of ['json', 'proto'] as const) {
    for (const r of EXPECTED.requests[enc]) {
      it(`${r.name}: ${r.spans} spans, ${r.logs} log records, ${r.dataPoints} data points`, () => {
        const c = importFile(join(DIR, 'sdk', r.name), r.name);
        expect(c.format).toBe(enc === 'proto' ? 'otlp-proto' : r.signal === 'logs' ? 'logs-otlp-json' : 'otlp-json');
        expectAllRead(c, r);
      });
    }
  }

  it('a huge double the JSON exporter writes as {"intValue":1.79e308} is kept as written, with a finding; its 12 spans all import', () => {
    const text = readFileSync(join(DIR, 'sdk/01-traces.json'), 'utf8');
    expect(text).toContain('{"intValue":1.7976931348623157e+308}');
    // On one line (JSON lines), and pretty-printed (a document read record by record).
    const pretty = JSON.stringify(JSON.parse(text), null, 2);
    expect(pretty).toContain('"intValue": 1.7976931348623157e+308');
    for (const [name, bytes] of [['01-traces.json', new TextEncoder().encode(text)], ['pretty.json', new TextEncoder().encode(pretty)]] as const) {
      const c = importBytes(bytes, name, 1000);
      expectAllRead(c, { spans: 12, logs: 0, dataPoints: 0 });
      const root = c.spans.find((s) => s.parentSpanId === null)!;
      expect(root.attributes['cart.max.value']).toBe('1.7976931348623157e+308');
      expect(root.attributes['cart.ratio']).toBe(0.30000000000000004);
      expect(c.findings).toEqual([{
        kind: 'inexact_value', traceId: root.traceId, spanId: root.spanId,
        message: expect.stringMatching(new RegExp(`^${name.replace('.', '\\.')}, (line 1|byte \\d+): cart\\.max\\.value: intValue 1\\.7976931348623157e\\+308 is not a 64-bit integer; kept as the text written$`)),
      }]);
    }
    // The protobuf exporter wrote the same value as a double.
    const proto = importFile(join(DIR, 'sdk/01-traces.binpb'));
    expect(proto.spans.find((s) => s.parentSpanId === null)!.attributes['cart.max.value']).toBe(Number.MAX_VALUE);
  });

  it('JSON and protobuf of the same export give the same spans and log records', () => {
    const byName = (enc: 'json' | 'proto', signal: string) => EXPECTED.requests[enc].filter((r) => r.signal === signal);
    for (const signal of ['traces', 'logs']) {
      const js = byName('json', signal);
      const ps = byName('proto', signal);
      expect(js.length).toBe(ps.length);
      js.forEach((j, k) => {
        const a = importFile(join(DIR, 'sdk', j.name));
        const b = importFile(join(DIR, 'sdk', ps[k].name));
        // The one value the JSON exporter could not write exactly differs: text against a double.
        for (const s of [...a.spans, ...b.spans]) delete s.attributes['cart.max.value'];
        expect(dumpSpans(b.spans, [])).toBe(dumpSpans(a.spans, []));
        // Log records: the same but for the line (protobuf has none).
        expect(json(b.logs)).toBe(json(a.logs.map((l) => ({ ...l, line: 0 }))));
      });
    }
  });

  it('log records keep their scope, observed time, severity, event name, map body and trace context', () => {
    const logs = importFile(join(DIR, 'sdk/02-logs.json')).logs;
    for (const l of logs) {
      expect(l.scope).toEqual({ name: 'checkout-logger', version: '0.3.2' });
      expect(typeof l.observedNs).toBe('bigint');
      expect(l.service).toBe('checkout');
    }
    const failed = logs.find((l) => l.attributes['event.name'] === 'payment.failed')!;
    expect(failed).toMatchObject({ severity: 'error', severityText: 'ERROR' });
    expect(JSON.parse(failed.message)).toMatchObject({ reason: 'card declined', retriable: false });
    expect(failed.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(logs.filter((l) => l.traceId === null).map((l) => l.severity)).toEqual(['warn']);
  });
});

describe('collector file-exporter dumps: traces, logs and metrics interleaved', () => {
  for (const name of DUMPS) {
    const want = EXPECTED.dumps[name];
    for (const chunk of [64 * 1024, 4096, 333]) {
      it(`${name} (${want.firstLine} first), in chunks of ${chunk}: every span and log record, every data point counted`, () => {
        const c = importBytes(bytesOf(`mixed/${name}`), name, chunk);
        expectAllRead(c, want);
        if (want.lines !== undefined) {
          expect(c.tallied).toMatchObject({ lines: want.lines, blank: 0 });
          expect(want.longestLine).toBeGreaterThan(1 << 20);
        }
        expect(new Set(c.spans.map((s) => s.traceId)).size).toBe(3);
      });
    }
  }
});

function source(name: string, bytes: Uint8Array, chunk = 64 * 1024): ByteSource {
  return {
    name,
    size: bytes.length,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.slice(i, i + chunk);
    },
  };
}

describe('the same dumps through the app\'s pipelined import and the command line', () => {
  const engines: { client: { close(): void } }[] = [];
  afterAll(() => engines.forEach((e) => e.client.close()));

  for (const name of DUMPS) {
    it(`${name}: the report and the files table say what the source held`, async () => {
      const want = EXPECTED.dumps[name];
      const e = await createLocalEngine(undefined, { pipelined: true });
      engines.push(e);
      const reports = (await e.client.importFile(source(name, bytesOf(`mixed/${name}`)), () => {}).done)!;
      expect(reports).toHaveLength(1);
      const r = reports[0];
      expect([r.spans, r.logs, r.traces, r.rejected, r.errors]).toEqual([want.spans, want.logs, 3, 0, []]);
      expect(r.tally?.skipped).toBe(want.dataPoints);
      expect(r.notes).toEqual([`metrics skipped: ${want.dataPoints} data points`]);
      if (want.lines !== undefined) expect(r.tally?.lines).toBe(want.lines);
      // Every log record written in a span's context joins it by id; one per checkout was written
      // outside any, and may join a span of its service by time.
      expect(r.correlated!.exact).toBe(want.logs - 3);
      expect(r.correlated!.inferred).toBeLessThanOrEqual(3);
      const [file] = await e.client.call('listFiles');
      expect(file).toMatchObject({ name, kind: 'traces+logs', status: 'done', spans: want.spans, logs: want.logs, skipped: want.dataPoints });
    });
  }

  it('tracedeck import --json reports every dump with its counts; the same spans in a later dump are duplicates, stored once', async () => {
    const out: string[] = [];
    const paths = DUMPS.map((n) => join(DIR, 'mixed', n));
    const code = await main(['import', ...paths, '--json'], { out: (s) => out.push(s), err: () => {} });
    expect(code).toBe(0);
    const j = JSON.parse(out.join('\n'));
    expect(j.sources.map((s: { file: string }) => s.file)).toEqual(DUMPS);
    j.sources.forEach((s: Record<string, unknown>, k: number) => {
      const want = EXPECTED.dumps[s.file as string];
      // Every dump holds the same three traces: the first stores their spans, the others find them stored.
      expect(s).toMatchObject({
        spans: k === 0 ? want.spans : 0, duplicates: k === 0 ? 0 : want.spans, logs: want.logs, rejected: 0, errors: [], skipped: want.dataPoints,
        notes: [`metrics skipped: ${want.dataPoints} data points`],
      });
      expect(s.lines).toBe(want.lines ?? null);
    });
    expect(j.totals).toEqual({ traces: 3, spans: EXPECTED.dumps[DUMPS[0]].spans, logs: DUMPS.reduce((n, d) => n + EXPECTED.dumps[d].logs, 0) });
  });
});

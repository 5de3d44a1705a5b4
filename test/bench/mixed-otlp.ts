// A collector file-exporter dump at benchmark size, for timing the mixed-signal path beside the
// trace-only one: the benchmark's OTLP JSON lines (the same spans), with a logs request after
// every 10 trace lines (10 records in the context of that line's spans, as an SDK's log exporter
// sends them) and a metrics request after every 50, the first line being the OTel JS SDK's
// 1.3 MB metrics request (test/fixtures/otel-sdk), as when one exporter serves three pipelines.

import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const SDK = new URL('../fixtures/otel-sdk/sdk/', import.meta.url).pathname;

/** Ids of the spans on one OTLP trace line, read with a regex (no parse: this runs on 100,000 lines). */
function spanIds(line: string): [string, string][] {
  const out: [string, string][] = [];
  const re = /"traceId":"([0-9a-f]{32})","spanId":"([0-9a-f]{16})"/g;
  for (let m = re.exec(line); m !== null && out.length < 10; m = re.exec(line)) out.push([m[1], m[2]]);
  return out;
}

let seq = 0;
function logsLine(ids: [string, string][], service: string): string {
  const records = ids.map(([traceId, spanId], k) => {
    const ns = (1_795_165_200_000_000_000n + BigInt(seq++) * 1_000_000n).toString();
    return {
      timeUnixNano: ns, observedTimeUnixNano: ns, severityNumber: k % 5 === 4 ? 17 : 9, severityText: k % 5 === 4 ? 'ERROR' : 'INFO',
      body: { stringValue: `request ${seq} handled` }, attributes: [{ key: 'http.route', value: { stringValue: '/checkout' } }], traceId, spanId,
    };
  });
  return JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeLogs: [{ scope: { name: 'bench-logger', version: '1.0.0' }, logRecords: records }],
    }],
  });
}

/** Write the dump; returns what it holds besides the trace lines' spans. */
export async function writeMixedOtlp(tracesJsonl: string, out: string): Promise<{ logs: number; metricsLines: number }> {
  const bigMetrics = readFileSync(`${SDK}03-metrics.json`, 'utf8').trim();
  const smallMetrics = readFileSync(`${SDK}06-metrics.json`, 'utf8').trim();
  const w = createWriteStream(out);
  const write = async (s: string) => {
    if (!w.write(s)) await once(w, 'drain');
  };
  let n = 0;
  let logs = 0;
  let metricsLines = 1;
  await write(bigMetrics + '\n');
  for await (const line of createInterface({ input: createReadStream(tracesJsonl) })) {
    if (!line.trim()) continue;
    await write(line + '\n');
    n++;
    if (n % 10 === 0) {
      const ids = spanIds(line);
      logs += ids.length;
      await write(logsLine(ids, /"service.name","value":\{"stringValue":"([^"]*)"/.exec(line)?.[1] ?? 'svc') + '\n');
    }
    if (n % 50 === 0) {
      await write(smallMetrics + '\n');
      metricsLines++;
    }
  }
  w.end();
  await once(w, 'finish');
  return { logs, metricsLines };
}

// A Jaeger JSON document as the Jaeger UI downloads it ({"data":[{traceID, spans, processes}]}),
// written from the benchmark's OTLP JSON lines (one trace per line), for timing the import of a
// single big JSON document (the streaming scanner's path) beside JSON lines.

import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

interface OtlpKv {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number };
}

const tag = (a: OtlpKv) =>
  a.value.intValue !== undefined
    ? { key: a.key, type: 'int64', value: Number(a.value.intValue) }
    : a.value.boolValue !== undefined
      ? { key: a.key, type: 'bool', value: a.value.boolValue }
      : a.value.doubleValue !== undefined
        ? { key: a.key, type: 'float64', value: a.value.doubleValue }
        : { key: a.key, type: 'string', value: a.value.stringValue ?? '' };

/** Write the first traces of `jsonl` holding up to `maxSpans` spans to `out`; returns the spans written. */
export async function writeJaegerDocument(jsonl: string, out: string, maxSpans: number): Promise<number> {
  const w = createWriteStream(out);
  const write = async (s: string) => {
    if (!w.write(s)) await once(w, 'drain');
  };
  let spans = 0;
  let first = true;
  await write('{"data":[');
  for await (const line of createInterface({ input: createReadStream(jsonl) })) {
    if (spans >= maxSpans) break;
    if (!line.trim()) continue;
    const doc = JSON.parse(line) as { resourceSpans?: { resource: { attributes: OtlpKv[] }; scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const processes: Record<string, object> = {};
    const out: object[] = [];
    let traceID = '';
    for (const [p, rs] of (doc.resourceSpans ?? []).entries()) {
      const attrs = rs.resource.attributes;
      processes[`p${p + 1}`] = { serviceName: attrs.find((a) => a.key === 'service.name')?.value.stringValue ?? '', tags: attrs.filter((a) => a.key !== 'service.name').map(tag) };
      for (const ss of rs.scopeSpans) {
        for (const s of ss.spans) {
          traceID = s.traceId as string;
          const start = BigInt(s.startTimeUnixNano as string);
          const end = BigInt(s.endTimeUnixNano as string);
          out.push({
            traceID, spanID: s.spanId, operationName: s.name,
            references: s.parentSpanId ? [{ refType: 'CHILD_OF', traceID, spanID: s.parentSpanId }] : [],
            startTime: Number(start / 1000n), duration: Number((end - start) / 1000n), tags: ((s.attributes as OtlpKv[]) ?? []).map(tag), logs: [],
            processID: `p${p + 1}`, warnings: null,
          });
          spans++;
        }
      }
    }
    await write(`${first ? '' : ','}${JSON.stringify({ traceID, spans: out, processes, warnings: null })}`);
    first = false;
  }
  await write('],"total":0,"limit":0,"offset":0,"errors":null}');
  w.end();
  await once(w, 'finish');
  return spans;
}

// jaeger-ui's own critical-path cases (test/fixtures/corpus/jaeger-ui/critical-path-extracted): the
// inputs as Jaeger JSON and the sections its test asserts, in microseconds, from the end backwards.

import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { computeCriticalPath, type CpSpan } from '../../src-renderer/core/analysis/critical-path.ts';
import type { SpanKind } from '../../src-renderer/core/model/trace.ts';
import { TRACE_FORMATS } from '../../src-renderer/core/import/trace-formats.ts';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { runReadOnlySql } from '../../src-renderer/store/queries.ts';
import { runCriticalPath } from '../../src-renderer/cli/commands/critical-path.ts';
import { runErrorPath } from '../../src-renderer/cli/commands/error-path.ts';
import { localClient } from '../../src-renderer/engine/local.ts';

const CORPUS = join(__dirname, '../fixtures/corpus/jaeger-ui');
const DIR = join(CORPUS, 'critical-path-extracted');
const TEST3 = join(CORPUS, 'packages/jaeger-ui/src/components/TracePage/TraceStatistics/tableValuesTestTrace/traceWithSingleChildLongerThanParentAndStartsAfterParent.json');

interface Expected {
  [name: string]: { expected: { spanID: string; sectionStart: number; sectionEnd: number }[] };
}
const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected-critical-path.json'), 'utf8')) as Expected;

function caseFile(name: string): string {
  return name === 'test3' ? TEST3 : join(DIR, `${name}.jaeger.json`);
}

interface JaegerSpan {
  spanID: string;
  references?: { refType: string; spanID: string }[];
  startTime: number;
  duration: number;
  processID: string;
  operationName: string;
  tags?: { key: string; value: unknown }[];
}

/** Test-only reading of Jaeger JSON: microseconds kept as numbers, the first reference is the parent. */
function jaegerToCpSpans(text: string): CpSpan[] {
  const doc = JSON.parse(text) as { data?: unknown[] } & Record<string, unknown>;
  const trace = (doc.data ? doc.data[0] : doc) as { spans: JaegerSpan[]; processes: Record<string, { serviceName: string }> };
  return trace.spans.map((s) => {
    const ref = s.references?.[0];
    const kind = s.tags?.find((t) => t.key === 'span.kind')?.value as SpanKind | undefined;
    return {
      spanId: s.spanID,
      parentSpanId: ref ? ref.spanID : null,
      parentRef: ref?.refType === 'FOLLOWS_FROM' ? 'follows_from' : 'child_of',
      kind,
      start: s.startTime,
      duration: s.duration,
      service: trace.processes[s.processID]?.serviceName,
      name: s.operationName,
    };
  });
}

describe('critical path agrees with jaeger-ui test cases', () => {
  const names = Object.keys(EXPECTED).sort();
  it('has all nine cases', () => {
    expect(names).toEqual(['test1', 'test2', 'test3', 'test4', 'test5', 'test6', 'test7', 'test8', 'test9']);
    for (const n of names) expect(existsSync(caseFile(n))).toBe(true);
  });
  for (const name of names) {
    it(name, () => {
      const spans = jaegerToCpSpans(readFileSync(caseFile(name), 'utf8'));
      const got = computeCriticalPath(spans).map((s) => ({ spanID: s.spanId, sectionStart: s.start, sectionEnd: s.end }));
      expect(got).toEqual(EXPECTED[name].expected);
    });
  }
});

// The same cases through the real pipeline: Jaeger importer (µs to exact ns, ids that are not hex
// hashed to hex with the original kept), store, the command line's JSON.
const HAS_JAEGER = TRACE_FORMATS.some((f) => f.id === 'jaeger-json');

describe.runIf(HAS_JAEGER)('critical path of the jaeger-ui cases through the Jaeger importer and the CLI', () => {
  for (const name of Object.keys(EXPECTED).sort()) {
    it(name, async () => {
      const { store, reports } = await loadInputs([caseFile(name)]);
      expect(reports.map((r) => r.format)).toEqual(['jaeger-json']);
      const raw = new Map(runReadOnlySql(store, 'SELECT span_id, coalesce(span_id_raw, span_id) FROM spans').rows.map((r) => [r[0] as string, r[1] as string]));
      const lines: string[] = [];
      expect(await runCriticalPath(localClient(store), { json: true }, (s) => lines.push(s))).toBe(0);
      const doc = JSON.parse(lines[0]) as { traces: { sections: { spanId: string; startNs: string; endNs: string }[] }[] };
      expect(doc.traces.length).toBe(1);
      expect(doc.traces[0].sections.map((s) => ({ spanID: raw.get(s.spanId), startNs: s.startNs, endNs: s.endNs }))).toEqual(
        EXPECTED[name].expected.map((e) => ({ spanID: e.spanID, startNs: String(e.sectionStart * 1000), endNs: String(e.sectionEnd * 1000) })),
      );
    });
  }
});

// jaeger-ui's TraceGraph test trace: 11 spans, span-2 tagged error=true, span-7 starting after its
// parent and the root have ended.
const GRAPH_TRACE = join(CORPUS, 'packages/jaeger-ui/src/components/TracePage/TraceGraph/testTrace.json');

describe.runIf(HAS_JAEGER)('a larger jaeger-ui trace through the importer', () => {
  it('gives the same critical path as the µs reading, in exact ns', async () => {
    const local = computeCriticalPath(jaegerToCpSpans(readFileSync(GRAPH_TRACE, 'utf8')));
    // Hand-checked, in µs after the root's start (1542666452979000):
    //   span-1   ├───────────────────────────────────────┤ 0..390000
    //   span-2             ├─┤                             125000..158000  (error=true)
    //   span-3                   ├──┤                      180000..246000
    //   span-4                     ├┤                      200000..220000  child of 3; span-5 201000..219000 under it
    //   span-2_1                       ├──┤                250000..287000
    //   span-6                              ├┤             300000..320000; its child span-7 starts at 800000: dropped
    //   span-12                               ├┤           330000..340000; span-13 331000.., span-14 332000..340000
    // span-13 and span-14 end together: the earlier start (span-13) is taken, span-14 then ends after the cursor.
    const B = 1542666452979000;
    expect(local.map((s) => [s.spanId, s.start - B, s.end - B])).toEqual([
      ['span-1', 340000, 390000], ['span-13', 331000, 340000], ['span-12', 330000, 331000], ['span-1', 320000, 330000],
      ['span-6', 300000, 320000], ['span-1', 287000, 300000], ['span-2_1', 250000, 287000], ['span-1', 246000, 250000],
      ['span-3', 220000, 246000], ['span-4', 219000, 220000], ['span-5', 201000, 219000], ['span-4', 200000, 201000],
      ['span-3', 180000, 200000], ['span-1', 158000, 180000], ['span-2', 125000, 158000], ['span-1', 0, 125000],
    ]);
    const { store } = await loadInputs([GRAPH_TRACE]);
    const raw = new Map(runReadOnlySql(store, 'SELECT span_id, coalesce(span_id_raw, span_id) FROM spans').rows.map((r) => [r[0] as string, r[1] as string]));
    const lines: string[] = [];
    expect(await runCriticalPath(localClient(store), { json: true }, (s) => lines.push(s))).toBe(0);
    const doc = JSON.parse(lines[0]) as { traces: { sections: { spanId: string; startNs: string; endNs: string }[] }[] };
    expect(doc.traces[0].sections.map((s) => [raw.get(s.spanId), s.startNs, s.endNs])).toEqual(
      local.map((s) => [s.spanId, String(s.start * 1000), String(s.end * 1000)]),
    );
  });

  it('follows the error=true span in the error path', async () => {
    const { store } = await loadInputs([GRAPH_TRACE]);
    const raw = new Map(runReadOnlySql(store, 'SELECT span_id, coalesce(span_id_raw, span_id) FROM spans').rows.map((r) => [r[0] as string, r[1] as string]));
    const lines: string[] = [];
    expect(await runErrorPath(localClient(store), { json: true }, (s) => lines.push(s))).toBe(0);
    const doc = JSON.parse(lines[0]) as { traces: { path: { spanId: string }[]; rootCause: { spanId: string; startNs: string; endNs: string } | null; summary: string }[] };
    expect(doc.traces.length).toBe(1);
    const t = doc.traces[0];
    expect(t.path.map((p) => raw.get(p.spanId))).toEqual(['span-1', 'span-2']);
    expect(t.rootCause && [raw.get(t.rootCause.spanId), t.rootCause.startNs, t.rootCause.endNs]).toEqual(['span-2', '1542666453104000000', '1542666453137000000']);
    expect(t.summary).toBe('service1 › op1 › op2: error after 33.0 ms');
  });
});

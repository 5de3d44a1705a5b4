// jaeger-ui's own critical-path cases (../shared/corpus/jaeger-ui/critical-path-extracted): the
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

const CORPUS = join(__dirname, '../../../shared/corpus/jaeger-ui');
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
      expect(await runCriticalPath(store, { json: true }, (s) => lines.push(s))).toBe(0);
      const doc = JSON.parse(lines[0]) as { traces: { sections: { spanId: string; startNs: string; endNs: string }[] }[] };
      expect(doc.traces.length).toBe(1);
      expect(doc.traces[0].sections.map((s) => ({ spanID: raw.get(s.spanId), startNs: s.startNs, endNs: s.endNs }))).toEqual(
        EXPECTED[name].expected.map((e) => ({ spanID: e.spanID, startNs: String(e.sectionStart * 1000), endNs: String(e.sectionEnd * 1000) })),
      );
    });
  }
});

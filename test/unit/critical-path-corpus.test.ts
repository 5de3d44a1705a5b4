// jaeger-ui's own critical-path cases (../shared/corpus/jaeger-ui/critical-path-extracted): the
// inputs as Jaeger JSON and the sections its test asserts, in microseconds, from the end backwards.

import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { computeCriticalPath, type CpSpan } from '../../src-renderer/core/analysis/critical-path.ts';
import type { SpanKind } from '../../src-renderer/core/model/trace.ts';

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

// Golden dumps (speedscope's harness): import each corpus trace file, dump the model as canonical
// text (sorted, stable: trace-dump.ts) and compare with test/fixtures/traces/golden/; import it
// again under the name "unknown" (detection must not need the name) and require the same dump.
// One trace written by hand as OTLP JSON, Jaeger JSON and Zipkin v2 JSON imports to one dump.
// Regenerate goldens with UPDATE_GOLDEN=1 and read the diff before committing.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CORPUS, dumpImport, importFile } from './import-harness.ts';
import { GOOD } from './import-corpus-list.ts';

const GOLDEN = new URL('../fixtures/traces/golden/', import.meta.url).pathname;
const FIXTURES = new URL('../fixtures/traces/', import.meta.url).pathname;
const BROKEN = [
  'jaeger/cmd/anonymizer/app/uiconv/fixtures/trace_invalid_json.json',
  'jaeger/cmd/anonymizer/app/uiconv/fixtures/trace_scan_error.json',
  'jaeger/cmd/anonymizer/app/uiconv/fixtures/trace_wrong_format.json',
  'otel-desktop-viewer/.github/workflows/span.json',
];
// The two big smartthings traces are covered by counts in import-corpus.test.ts; their dumps would be ~1 MB.
const FILES = [...GOOD.map((g) => g[0]).filter((p) => !p.includes('smartthings')), ...BROKEN];

function goldenName(path: string): string {
  return path.replace(/^jaeger-ui\/packages\/jaeger-ui\/src\//, 'jaeger-ui/').replace(/[^A-Za-z0-9._-]+/g, '__') + '.txt';
}

describe('golden dumps of corpus files', () => {
  it.each(FILES)('%s', (path) => {
    const dump = dumpImport(importFile(`${CORPUS}/${path}`, path.split('/').at(-1)!));
    const file = GOLDEN + goldenName(path);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, dump);
    expect(existsSync(file), `golden ${file} missing (UPDATE_GOLDEN=1)`).toBe(true);
    expect(dump).toBe(readFileSync(file, 'utf8'));
    const again = dumpImport(importFile(`${CORPUS}/${path}`, 'unknown'));
    expect(again.replace(/^error unknown,/m, `error ${path.split('/').at(-1)},`)).toBe(dump);
  });
});

describe('one trace in three formats', () => {
  const otlp = importFile(`${FIXTURES}same-trace.otlp.json`);
  const jaeger = importFile(`${FIXTURES}same-trace.jaeger.json`);
  const zipkin = importFile(`${FIXTURES}same-trace.zipkin.json`);

  it('each is detected as its own format and reads 5 spans', () => {
    expect([otlp.format, jaeger.format, zipkin.format]).toEqual(['otlp-json', 'jaeger-json', 'zipkin-json']);
    for (const c of [otlp, jaeger, zipkin]) expect([c.spans.length, c.rejects.length, c.error]).toEqual([5, 0, null]);
  });

  it('all three give the same canonical dump (ids as written aside)', () => {
    const d = dumpImport(otlp, false).replace(/^format .*\n/, '');
    const file = GOLDEN + 'same-trace.txt';
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, d);
    expect(d).toBe(readFileSync(file, 'utf8'));
    expect(dumpImport(jaeger, false).replace(/^format .*\n/, '')).toBe(d);
    expect(dumpImport(zipkin, false).replace(/^format .*\n/, '')).toBe(d);
  });
});

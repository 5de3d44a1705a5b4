// What a person types into the search boxes and filters reaches SQL only as bound values: quotes,
// %, _, backslashes, NUL, FTS operators and a 1 MB string each find what they should (or nothing)
// and never an error, before the full-text index is built and after.
import { describe, it, expect } from 'vitest';
import { strToU8 } from 'fflate';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import type { ByteSource } from '../../src-renderer/engine/client.ts';

function source(name: string, text: string): ByteSource {
  const bytes = strToU8(text);
  return { name, size: bytes.length, async *chunks() { yield bytes; } };
}

const MESSAGES = ["it's done", 'say "hi"', '100% sure', 'snake_case name', 'back\\slash path', 'nul \u0000 inside', 'plain words only', "' OR 1=1 --", 'NEAR OR AND NOT', '*star*'];
const HOSTILE = ["'", '"', '%', '_', '\\', '\u0000', "' OR 1=1 --", '"; DROP TABLE logs; --', 'NEAR/3', 'a OR b', '*', '-', '(', ')', '^', ':', 'x'.repeat(1 << 20), '%'.repeat(1 << 20)];

describe('search boxes and filters with hostile input', () => {
  it('log search, log filters and span search bind what they are given', async () => {
    const { core, client } = await createLocalEngine();
    const lines = MESSAGES.map((m, i) => JSON.stringify({ time: `2025-11-24T16:00:0${i}Z`, level: 'info', service: i % 2 ? "svc 'quoted'" : 'svc%_\\', msg: m, trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' }));
    await client.importFile(source('hostile.log', lines.join('\n')), () => {}).done;
    const trace = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: MESSAGES.map((m, i) => ({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: `00000000000000a${i}`, name: m, startTimeUnixNano: '1', endTimeUnixNano: '2' })) }] }] });
    await client.importFile(source('t.json', trace), () => {}).done;
    expect(core.logCount({})).toBe(MESSAGES.length);

    const run = () => {
      for (const q of [...HOSTILE, ...MESSAGES]) {
        const hits = core.logSearch({}, q).positions;
        expect(hits.length, JSON.stringify(q.slice(0, 20))).toBeLessThanOrEqual(MESSAGES.length);
        expect(core.traceSearch('4bf92f3577b34da6a3ce929d0e0e4736', q).length).toBeLessThanOrEqual(MESSAGES.length);
      }
      // A word of a message finds that message.
      expect(core.logSearch({}, 'snake_case').positions.length).toBeGreaterThanOrEqual(1);
      expect(core.logSearch({}, "it's").positions.length).toBeGreaterThanOrEqual(1);
      // Span search is a literal substring: wildcards and quotes are characters.
      expect(core.traceSearch('4bf92f3577b34da6a3ce929d0e0e4736', '100%')).toHaveLength(1);
      expect(core.traceSearch('4bf92f3577b34da6a3ce929d0e0e4736', 'e_c')).toHaveLength(1); // not 'esc' (no wildcard)
      expect(core.traceSearch('4bf92f3577b34da6a3ce929d0e0e4736', "' OR 1=1 --")).toHaveLength(1);
      expect(core.traceSearch('4bf92f3577b34da6a3ce929d0e0e4736', '\\')).toHaveLength(1);
    };
    run(); // before the full-text index: LIKE with escaped wildcards
    while (core.ftsStep(200).indexed < MESSAGES.length);
    run(); // after: FTS4 with every word quoted

    // Filters: services and severities with quotes and wildcards match exactly, or nothing.
    expect(core.logCount({ services: ["svc 'quoted'"] })).toBe(5);
    expect(core.logCount({ services: ['svc%_\\'] })).toBe(5);
    expect(core.logCount({ services: ['svc%'] })).toBe(0);
    expect(core.logCount({ services: ["' OR 1=1 --", 'x'.repeat(1 << 20)] })).toBe(0);
    expect(core.logCount({ severities: ["info' OR '1'='1" as never] })).toBe(0);
    // Times must be integers of ns: anything else is refused before any SQL is built.
    expect(() => core.logCount({ fromNs: "0' OR 1=1 --", toNs: null })).toThrow(SyntaxError);
    expect(core.listTraces({ offset: 0, limit: 10, sort: 'start_ns; DROP TABLE spans' as never })).toHaveLength(1);
    expect(core.totals().logs).toBe(MESSAGES.length);
    client.close();
  });
});

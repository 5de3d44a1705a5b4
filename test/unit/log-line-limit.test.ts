// A log line longer than MAX_LINE_CHARS is kept, cut short and marked, never dropped; the lines
// around it are read as usual, and the report says how many lines were cut.
import { describe, it, expect } from 'vitest';
import { MAX_LINE_CHARS } from '../../src-renderer/core/import/logs/text-source.ts';
import { importBytes, CollectingSink } from './import-harness.ts';
import { FORMATS } from '../../src-renderer/core/import/detect.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function importWithNotes(bytes: Uint8Array, format: string, chunk: number) {
  const sink = new CollectingSink();
  const reader = FORMATS.find((f) => f.id === format)!.create({ fileName: 'long.log', sink });
  for (let o = 0; o < bytes.length; o += chunk) reader.push(bytes.subarray(o, o + chunk));
  reader.end();
  return sink;
}

describe('the longest log line', () => {
  it('keeps a 10 MB text line cut to the limit, marked, between its neighbours', () => {
    const big = 10 * 1024 * 1024;
    const bytes = enc(`2025-11-24 16:00:00,000 INFO before\n2025-11-24 16:00:01,000 ERROR ${'A'.repeat(big)}\n2025-11-24 16:00:02,000 INFO after\n`);
    for (const chunk of [1 << 16, 4 << 20, bytes.length]) {
      const sink = importWithNotes(bytes, 'logs-python', chunk);
      expect(sink.logsOut.map((l) => l.line)).toEqual([1, 2, 3]);
      const cut = sink.logsOut[1];
      expect(cut.severity).toBe('error');
      expect(cut.timeNs).not.toBeNull();
      const lineChars = `2025-11-24 16:00:01,000 ERROR `.length + big;
      expect(cut.attributes['log.cut_chars']).toBe(lineChars - MAX_LINE_CHARS);
      expect(cut.message).toMatch(/… \[[\d,]+ more characters not kept: lines are kept to 1,048,576\]$/);
      expect(cut.message.length).toBeLessThan(MAX_LINE_CHARS + 200);
      expect(sink.logsOut[2].message).toBe('after');
      expect(sink.notes).toEqual(['1 line(s) longer than 1,048,576 characters kept cut short (attribute log.cut_chars)']);
    }
  });

  it('keeps a cut JSON line as a record of its own instead of rejecting it', () => {
    const bytes = enc(`{"time":"2025-11-24T16:00:00Z","level":"info","msg":"before"}\n{"time":"2025-11-24T16:00:01Z","level":"error","msg":"${'B'.repeat(3 << 20)}"}\n{"time":"2025-11-24T16:00:02Z","level":"info","msg":"after"}\n`);
    const out = importBytes(bytes, 'long.log.jsonl', 1 << 20, 'logs-jsonl');
    expect(out.rejects).toEqual([]);
    expect(out.logs.map((l) => l.line)).toEqual([1, 2, 3]);
    expect(out.logs[1].message.startsWith('{"time":"2025-11-24T16:00:01Z"')).toBe(true);
    expect(out.logs[1].attributes['log.cut_chars']).toBeGreaterThan(2 << 20);
  });
});

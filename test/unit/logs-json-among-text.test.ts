// JSON records among other lines, as a Node service's console keeps them (pino's lines beside
// console.log banners and Node's report of an uncaught exception), and JSON lines whose first line
// is longer than the bytes detection looks at. Fixtures written by pino: test/fixtures/logs/pino/make-stdout-logs.cjs.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { readFile, readBytes } from './logs-harness.ts';
import { expectEveryLineAccounted, physicalLines } from './logs-accounting.ts';

const FIX = new URL('../fixtures/logs/pino/', import.meta.url).pathname;
const enc = (s: string) => new TextEncoder().encode(s);

describe('JSON records among text lines', () => {
  it('a console log: every line kept, the JSON lines read for level, time and service', () => {
    const r = readFile(FIX + 'console-mixed.log');
    expect(r.format).toBe('logs-text');
    expectEveryLineAccounted(r, physicalLines(new Uint8Array(readFileSync(FIX + 'console-mixed.log'))));
    const json = r.logs.filter((l) => l.service === 'orders');
    expect(json.map((l) => l.message)).toEqual(['listening', 'payment provider slow', 'charge failed']);
    expect(json.map((l) => l.severity)).toEqual(['info', 'warn', 'error']);
    expect(json.every((l) => l.timeNs !== null)).toBe(true);
    expect(r.logs.map((l) => l.message)).toContain('cache warm: 1200 keys');
    const crash = r.logs.find((l) => l.message.startsWith('Error: unhandled: connection reset by peer'));
    expect(crash?.message.split('\n')[1]).toMatch(/^ {4}at Timeout\._onTimeout/);
  });

  it('in JSON lines, a line that is not JSON is kept as a text record, marked and counted, not rejected', () => {
    const text = ['{"level":"info","msg":"a"}', 'plain banner', '{"level":"warn","msg":"b"}', '{"level":"error","msg":"c"', '{"level":"info","msg":"d"}'].join('\n') + '\n';
    const r = readBytes(enc(text), 'app.log');
    expect(r.format).toBe('logs-jsonl');
    expect(r.rejected).toEqual([]);
    expectEveryLineAccounted(r, 5);
    expect(r.logs.map((l) => l.message)).toEqual(['a', 'plain banner', 'b', '{"level":"error","msg":"c"', 'd']);
    expect(r.logs[1].attributes['log.unparsed']).toBe('line does not match the format');
    expect(r.logs[3].attributes['log.unparsed']).toBe('invalid JSON');
    expect(r.notes.some((n) => n.startsWith('2 line(s) not in the file\'s format kept as plain text') && n.includes('line 2'))).toBe(true);
  });

  it('a text file whose first line is a JSON object and whose other lines are text still opens, every line kept', () => {
    const text = '{"msg":"boot"}\nstep one\nstep two\nstep three\n';
    const r = readBytes(enc(text), 'boot.log');
    expect(r.format).toBe('logs-text');
    expectEveryLineAccounted(r, 4);
    expect(r.logs.map((l) => l.message)).toEqual(['boot', 'step one', 'step two', 'step three']);
  });
});

describe('JSON lines whose first line is longer than the detection head', () => {
  it('is read as JSON lines, every record whole', () => {
    const r = readFile(FIX + 'big-first-line.log');
    expect(r.format).toBe('logs-jsonl');
    expectEveryLineAccounted(r, 3);
    expect(r.logs.map((l) => l.message)).toEqual(['request body', 'order created', 'upstream failed']);
    expect(r.logs[0].attributes.body).toBeDefined();
    expect(r.logs[2].severity).toBe('error');
  });

  it('a long first line that is not JSON stays plain text', () => {
    const r = readBytes(enc('x'.repeat(70_000) + '\nsecond\n'), 'long.log');
    expect(r.format).toBe('logs-text');
    expectEveryLineAccounted(r, 2);
  });
});

import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src-renderer/cli/main.ts';

const CORPUS = join(__dirname, '../fixtures/corpus');
const OTLP = join(CORPUS, 'opentelemetry-proto/examples/trace.json');

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('tracedeck command line', () => {
  it('import --json prints what each file held', async () => {
    const r = await run('import', OTLP, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.sources).toEqual([{ file: 'trace.json', format: 'otlp-json', traces: 1, spans: 1, logs: 0, rejected: 0, errors: [] }]);
    expect(j.totals).toEqual({ traces: 1, spans: 1, logs: 0 });
  });

  it('import --save writes a workspace that query reads back, with exact nanoseconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-cli-'));
    const ws = join(dir, 'ws.sqlite');
    expect((await run('import', OTLP, '--save', ws)).code).toBe(0);
    expect(existsSync(ws)).toBe(true);
    const q = await run('query', ws, '--sql', 'SELECT span_id, start_ns, duration_ns FROM spans', '--json');
    expect(q.code).toBe(0);
    expect(q.out).toBe('[{"span_id":"eee19b7ec3c1b174","start_ns":1544712660000000000,"duration_ns":1000000000}]');
  });

  it('query refuses to write, with exit code 2 and the reason on stderr', async () => {
    const r = await run('query', OTLP, '--sql', 'DROP TABLE spans');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/readonly|read-only/i);
  });

  it('bad usage exits 2; an unreadable input exits 1; errors go to stderr', async () => {
    expect((await run('import')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('query', OTLP)).code).toBe(2);
    const missing = await run('import', '/nonexistent/file.json');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nonexistent\/file\.json: no such file/);
    expect(missing.out).toBe('');
  });

  it('a file in no supported format is reported, not fatal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-cli-'));
    const f = join(dir, 'notes.txt');
    writeFileSync(f, '\u0000\u0001\u0002 binary junk \u0003');
    const r = await run('import', f, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.sources[0].errors[0]).toMatch(/^notes\.txt: not a supported trace or log format/);
  });
});

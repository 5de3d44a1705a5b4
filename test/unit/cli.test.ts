import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
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
    expect(j.sources).toEqual([{
      file: 'trace.json', format: 'otlp-json', traces: 1, spans: 1, logs: 0, rejected: 0, errors: [], lines: null, continuations: null, blank: null, skipped: 0,
      duplicates: 0, joinedExact: 0, joinedInferred: 0, notes: [],
    }]);
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

  it('traces: lists what a search finds as text or JSON; options it cannot read exit 2 and say why', async () => {
    const text = await run('traces', OTLP);
    expect(text.code).toBe(0);
    expect(text.out).toBe("5b8efff798038103d269b633813fc60c  2018-12-13T14:51:00.000000000Z     1.00 s      1 spans  my.service I'm a server span\n1 trace");
    const j = await run('traces', OTLP, '--text', 'I\'m a server span', '--attr', 'my.span.attr=some value', '--json');
    expect(j.code).toBe(0);
    expect(JSON.parse(j.out)).toMatchObject({ total: 1, traces: [{ traceId: '5b8efff798038103d269b633813fc60c', startNs: '1544712660000000000', durationNs: 1e9, spans: 1, errors: 0 }] });
    expect(JSON.parse((await run('traces', OTLP, '--min-duration', '2s', '--json')).out)).toEqual({ total: 0, traces: [] });
    for (const bad of [['--attr', 'novalue'], ['--attr', 'n>big'], ['--min-duration', 'soon'], ['--from', 'yesterday'], ['--sort', 'name'], ['--limit', 'many']]) {
      const r = await run('traces', OTLP, ...bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.err).toMatch(/^tracedeck traces: /);
    }
    expect((await run('traces')).code).toBe(2);
  });

  // Exit code 1, as the README says: the file could not be read at all. It is still reported.
  it('a file in no supported format is reported, and the exit code says it was not read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-cli-'));
    const f = join(dir, 'notes.txt');
    writeFileSync(f, '\u0000\u0001\u0002 binary junk \u0003');
    const r = await run('import', f, '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.sources[0].errors[0]).toMatch(/^notes\.txt: binary content \(NUL bytes or bytes that are not UTF-8 in its first kilobytes\), not a supported trace, log or catalog format/);
  });
});

describe('tracedeck import: several inputs', () => {
  const ACCESS = '127.0.0.1 - - [06/Dec/2026:20:29:06 +0000] "GET /checkout HTTP/1.1" 200 512 "-" "curl/8.0"\n';

  it('names sources by their path relative to the folder they share, so same-named files are told apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-cli-'));
    for (const host of ['web-1', 'web-2']) {
      mkdirSync(join(dir, 'logs', host), { recursive: true });
      writeFileSync(join(dir, 'logs', host, 'access.log'), ACCESS.repeat(host === 'web-1' ? 2 : 3));
    }
    const r = await run('import', join(dir, 'logs/web-1/access.log'), join(dir, 'logs/web-2/access.log'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.sources.map((s: { file: string; logs: number }) => [s.file, s.logs])).toEqual([['web-1/access.log', 2], ['web-2/access.log', 3]]);
    for (const s of j.sources) {
      expect(Object.keys(s).sort()).toEqual([
        'blank', 'continuations', 'duplicates', 'errors', 'file', 'format', 'joinedExact', 'joinedInferred', 'lines', 'logs', 'notes', 'rejected',
        'skipped', 'spans', 'traces',
      ]);
      expect(s.skipped).toBe(0);
      expect(s.joinedExact + s.joinedInferred).toBe(0);
    }
    // The text output names them the same way.
    const text = await run('import', join(dir, 'logs/web-1/access.log'), join(dir, 'logs/web-2/access.log'));
    expect(text.out).toMatch(/^web-1\/access\.log: /m);
    expect(text.out).toMatch(/^web-2\/access\.log: /m);
  });

  it('exits 1 when one input could not be read at all, after importing the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-cli-'));
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, '\u0000\u0001\u0002 binary junk \u0003');
    const trace = join(dir, 'trace.json');
    copyFileSync(OTLP, trace);
    const r = await run('import', trace, junk, join(dir, 'missing.json'), '--json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing\.json: no such file/);
    const j = JSON.parse(r.out);
    expect(j.sources.map((s: { file: string; spans: number; errors: string[] }) => [s.file, s.spans, s.errors.length > 0])).toEqual([
      ['trace.json', 1, false],
      ['junk.bin', 0, true],
    ]);
    expect(j.totals.spans).toBe(1);
    // Every input read: exit 0.
    expect((await run('import', OTLP, '--json')).code).toBe(0);
  });
});

import { describe, it, expect, afterAll } from 'vitest';
import { zipSync, gzipSync, strToU8 } from 'fflate';
import { createLocalEngine as createEngine } from '../../src-renderer/engine/local.ts';
import type { ByteSource } from '../../src-renderer/engine/client.ts';
import type { ImportProgress } from '../../src-renderer/engine/import-job.ts';

function otlpLine(traceId: string, spanId: string, start: bigint): string {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [{ spans: [{ traceId, spanId, name: 'op', kind: 2, startTimeUnixNano: String(start), endTimeUnixNano: String(start + 1000n) }] }],
    }],
  });
}

const LINES = Array.from({ length: 50 }, (_, i) => otlpLine((i + 1).toString(16).padStart(32, '0'), (i + 1).toString(16).padStart(16, '0'), 1_700_000_000_000_000_000n + BigInt(i)));

/** A source delivering its bytes in small chunks, as a file stream does. */
function source(name: string, bytes: Uint8Array, chunk = 97): ByteSource {
  return {
    name,
    size: bytes.length,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.slice(i, i + chunk);
    },
  };
}

describe.each([
  ['direct', false],
  ['pipelined through a parse core and a MessageChannel', true],
])('engine protocol (in-process engine, structured-cloned like the worker): %s', (_mode, pipelined) => {
  const engines: Array<{ client: { close(): void } }> = [];
  const createLocalEngine = async () => {
    const e = await createEngine(undefined, { pipelined });
    engines.push(e);
    return e;
  };
  afterAll(() => engines.forEach((e) => e.client.close()));

  it('imports a file chunk by chunk with progress, then answers queries', async () => {
    const { client } = await createLocalEngine();
    await client.ready;
    const progress: ImportProgress[] = [];
    const reports = await client.importFile(source('t.jsonl', strToU8(LINES.join('\n'))), (p) => progress.push(p)).done;
    expect(reports).toEqual([{
      fileId: 1, file: 't.jsonl', format: 'otlp-json', traces: 50, spans: 50, logs: 0, rejected: 0, errors: [], duplicates: 0,
      tally: { lines: 50, continuations: 0, blank: 0, skipped: 0 },
    }]);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)!.bytesRead).toBe(strToU8(LINES.join('\n')).length);
    expect(await client.call('totals')).toEqual({ traces: 50, spans: 50, logs: 0, files: 1 });
    const page = await client.call('listTraces', { offset: 10, limit: 5 });
    expect(page.map((t) => t.traceId)).toEqual([11, 12, 13, 14, 15].map((i) => i.toString(16).padStart(32, '0')));
  });

  it('rejects broken JSON lines one by one, each named by its line, and keeps the rest exact', async () => {
    // 150 good lines with broken lines among them: invalid JSON, a span without an id, a resource
    // that cannot be read (it must not end the whole source), and a line with bare 64-bit times
    // that must be parsed exactly.
    const lines = Array.from({ length: 150 }, (_, i) => otlpLine((i + 1).toString(16).padStart(32, '0'), (i + 1).toString(16).padStart(16, '0'), 1_700_000_000_000_000_000n + BigInt(i)));
    lines.splice(10, 0, '{"resourceSpans": [');
    lines.splice(70, 0, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), name: 'no id', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }] }));
    lines.splice(100, 0, JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ value: { stringValue: 'no key' } }] }, scopeSpans: [] }] }));
    lines.push('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"' + 'cd'.repeat(16) + '","spanId":"00000000000000ff","name":"bare","startTimeUnixNano":1700000000000000001,"endTimeUnixNano":1700000000000000003}]}]}]}');
    const { client } = await createLocalEngine();
    await client.ready;
    const progress: ImportProgress[] = [];
    const [report] = (await client.importFile(source('mixed.jsonl', strToU8(lines.join('\n')), 997), (p) => progress.push(p)).done)!;
    expect(report).toMatchObject({ file: 'mixed.jsonl', format: 'otlp-json', traces: 151, spans: 151, rejected: 3 });
    expect(report.errors).toEqual([
      expect.stringMatching(/^mixed\.jsonl, line 11: invalid JSON/),
      expect.stringMatching(/^mixed\.jsonl, line 71: .*no valid spanId/),
      expect.stringMatching(/^mixed\.jsonl, line 101: unreadable request: attribute without a string "key"/),
    ]);
    expect(progress.at(-1)!.bytesRead).toBe(strToU8(lines.join('\n')).length);
    const bare = await client.call('sql', 'SELECT CAST(start_ns AS TEXT), duration_ns FROM spans WHERE span_id = ?', ['00000000000000ff']);
    expect(bare.rows).toEqual([['1700000000000000001', 2]]);
  });

  it('cancel drops the file being imported and keeps what was loaded before', async () => {
    const { client } = await createLocalEngine();
    await client.importFile(source('first.jsonl', strToU8(LINES.slice(0, 5).join('\n'))), () => {}).done;
    let chunks = 0;
    const handle = client.importFile(source('second.jsonl', strToU8(LINES.slice(5).join('\n')), 50), () => {
      if (++chunks === 3) handle.cancel();
    });
    expect(await handle.done).toBeNull();
    expect(await client.call('totals')).toEqual({ traces: 5, spans: 5, logs: 0, files: 1 });
  });

  it('opens gzip and zip by content; each zip entry is its own source', async () => {
    const { client } = await createLocalEngine();
    const gz = gzipSync(strToU8(LINES.slice(0, 3).join('\n')));
    const r1 = await client.importFile(source('no-extension', gz), () => {}).done;
    expect(r1).toMatchObject([{ file: 'no-extension', spans: 3 }]);
    const zip = zipSync({ 'a/one.jsonl': strToU8(LINES.slice(3, 5).join('\n')), 'b/two.json.gz': gzipSync(strToU8(LINES[5])), 'empty.log': new Uint8Array(0) });
    const r2 = await client.importFile(source('bundle.zip', zip), () => {}).done;
    expect(r2!.map((r) => [r.file, r.spans, r.format])).toEqual([
      ['bundle.zip/a/one.jsonl', 2, 'otlp-json'],
      ['bundle.zip/b/two.json', 1, 'otlp-json'],
      ['bundle.zip/empty.log', 0, 'empty'],
    ]);
    expect((await client.call('totals')).spans).toBe(6);
  });

  it('names the file when its content is not a supported format, and when a gzip is corrupt', async () => {
    const { client } = await createLocalEngine();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const [r] = (await client.importFile(source('picture.png', png), () => {}).done)!;
    expect(r.errors[0]).toMatch(/^picture\.png: binary content .*, not a supported trace, log or catalog format \(supported: .*OTLP\/JSON/);
    const gz = gzipSync(strToU8(LINES.join('\n')));
    const broken = gz.slice(0, Math.floor(gz.length / 2));
    broken[broken.length - 1] ^= 0xff;
    const reports = (await client.importFile(source('cut.jsonl.gz', broken), () => {}).done)!;
    expect(reports).toHaveLength(1);
    expect(reports[0].errors.join('\n')).toMatch(/cut\.jsonl/);
    expect(await client.call('totals')).toMatchObject({ files: 2 });
  });

  it('rejects a method that is not part of the engine API', async () => {
    const { client } = await createEngine();
    await expect((client.call as (m: string) => Promise<unknown>)('store')).rejects.toThrow(/unknown method/);
  });
});

describe('engine method list', () => {
  it('exposes the public methods and nothing private', async () => {
    const { ENGINE_METHODS } = await import('../../src-renderer/engine/engine-core.ts');
    expect(ENGINE_METHODS).toContain('importChunk');
    expect(ENGINE_METHODS).toContain('listTraces');
    expect(ENGINE_METHODS).not.toContain('constructor');
    expect(ENGINE_METHODS).not.toContain('store');
    expect(ENGINE_METHODS).not.toContain('job');
  });
});

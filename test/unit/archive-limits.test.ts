// What compressed input may expand to: a gzip bomb, a zip of zips nested past the limit. Each
// stops with a message naming the file, keeps what came before, and leaves the engine usable.
import { describe, it, expect, afterEach } from 'vitest';
import { gzipSync, zipSync, strToU8 } from 'fflate';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import { ARCHIVE_LIMITS } from '../../src-renderer/engine/import-reader.ts';
import type { ByteSource } from '../../src-renderer/engine/client.ts';

function source(name: string, bytes: Uint8Array, chunk = 1 << 20): ByteSource {
  return { name, size: bytes.length, async *chunks() { for (let o = 0; o < bytes.length; o += chunk) yield bytes.slice(o, o + chunk); } };
}

const TRACE = '{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"s"}}]},"scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"x","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}\n';

const saved = { ...ARCHIVE_LIMITS };
afterEach(() => Object.assign(ARCHIVE_LIMITS, saved));

/** One real line, then `spaceMb` MB of spaces, gzipped in 4 MB members. */
function bomb(spaceMb: number): Uint8Array {
  const head = gzipSync(strToU8(TRACE));
  const member = gzipSync(new Uint8Array(4 * 2 ** 20).fill(0x20), { level: 9 });
  const parts = [head, ...Array<Uint8Array>(Math.ceil(spaceMb / 4)).fill(member)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

describe('archive limits', () => {
  it('stops a gzip bomb by its ratio, keeps what came before, and imports on', async () => {
    const { core, client } = await createLocalEngine();
    const file = bomb(512); // 512 MB of spaces in about half a megabyte
    const t0 = performance.now();
    const [r] = (await client.importFile(source('bomb.json.gz', file), () => {}).done)!;
    expect(performance.now() - t0).toBeLessThan(30_000); // stopped early, not after 512 MB
    expect(r.spans).toBe(1);
    expect(r.errors.join('\n')).toMatch(/bomb\.json\.gz: stopped reading: it expands over \d+ times its size .* past the limit of 200 \(a compression bomb\?\); kept what came before/);
    // The engine goes on: the next file imports.
    const [next] = (await client.importFile(source('next.json', strToU8(TRACE.replace('00f067aa0ba902b7', '00f067aa0ba902b8'))), () => {}).done)!;
    expect(next.spans).toBe(1);
    expect(core.totals().spans).toBe(2);
    client.close();
  });

  it('stops at the size limit however well the ratio looks', async () => {
    ARCHIVE_LIMITS.maxBytes = 4 * 2 ** 20;
    const { client } = await createLocalEngine();
    const [r] = (await client.importFile(source('big.json.gz', bomb(16)), () => {}).done)!;
    expect(r.errors.join('\n')).toMatch(/big\.json\.gz: stopped reading: it expands past 4\.0 MB, the limit for one file/);
    client.close();
  });

  it('opens zips of zips, and stops at the nesting limit with a message', async () => {
    const { client } = await createLocalEngine();
    let z = zipSync({ 'bottom.json': strToU8(TRACE) });
    for (let i = 0; i < 3; i++) z = zipSync({ [`level-${3 - i}.zip`]: z });
    const ok = (await client.importFile(source('three.zip', z), () => {}).done)!;
    expect(ok.map((r) => [r.file, r.spans])).toEqual([['three.zip/level-1.zip/level-2.zip/level-3.zip/bottom.json', 1]]);

    for (let i = 0; i < ARCHIVE_LIMITS.maxNesting; i++) z = zipSync({ [`more-${i}.zip`]: z });
    const deep = (await client.importFile(source('tower.zip', z), () => {}).done)!;
    expect(deep).toHaveLength(1);
    expect(deep[0].spans).toBe(0);
    expect(deep[0].errors[0]).toMatch(/an archive inside 8 others is not opened \(the limit is 8 levels\)/);
    client.close();
  });

  it('an archive member is listed with its own size, a plain file with the file\'s', async () => {
    const { core, client } = await createLocalEngine();
    const inner = strToU8(TRACE);
    await client.importFile(source('one.zip', zipSync({ 'a.json': inner })), () => {}).done;
    const plain = strToU8(TRACE.replace('4bf9', '6bf9'));
    await client.importFile(source('b.json', plain), () => {}).done;
    expect(core.listFiles().map((f) => [f.name, f.sizeBytes])).toEqual([
      ['one.zip/a.json', inner.length],
      ['b.json', plain.length],
    ]);
    client.close();
  });

  it('keeps entries with path-traversal names as labels only', async () => {
    const { client } = await createLocalEngine();
    const z = zipSync({ '../../../../tmp/escaped.json': strToU8(TRACE), '/etc/x.json': strToU8(TRACE.replace('4bf9', '5bf9')) });
    const rs = (await client.importFile(source('t.zip', z), () => {}).done)!;
    expect(rs.map((r) => [r.file, r.spans])).toEqual([['t.zip/../../../../tmp/escaped.json', 1], ['t.zip//etc/x.json', 1]]);
    client.close();
  });
});

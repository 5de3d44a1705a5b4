// The store's memory budget: past its warning mark the engine says so; past its limit the store
// refuses more rows, the file being read keeps what it stored and says why, and the workspace
// stays usable and unchanged for what was there before. The span search index counts in it, and
// is left out (searches read every span, finding the same) when the workspace is near full.
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { strToU8 } from 'fflate';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import { STORE_BUDGET } from '../../src-renderer/store/store.ts';
import { spanIndexBytes, spanIndexCoverage } from '../../src-renderer/store/span-index.ts';
import type { ByteSource } from '../../src-renderer/engine/client.ts';

const saved = { ...STORE_BUDGET };
afterEach(() => Object.assign(STORE_BUDGET, saved));

function source(name: string, bytes: Uint8Array, chunk = 1 << 16): ByteSource {
  return { name, size: bytes.length, async *chunks() { for (let o = 0; o < bytes.length; o += chunk) yield bytes.slice(o, o + chunk); } };
}

function logLines(n: number, tag: string): Uint8Array {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(JSON.stringify({ time: new Date(Date.UTC(2025, 10, 24) + i).toISOString(), level: 'info', msg: `${tag} line ${i} ${'x'.repeat(200)}` }));
  return strToU8(out.join('\n') + '\n');
}

describe('store budget', () => {
  for (const pipelined of [false, true]) {
    it(`warns, then refuses rows past the limit and keeps what it had${pipelined ? ' (pipelined)' : ''}`, async () => {
      const { core, client } = await createLocalEngine(undefined, { pipelined });
      await client.importFile(source('first.log', logLines(2000, 'first')), () => {}).done;
      const before = core.storeBudget();
      expect(before.warn).toBe(false);
      const firstPage = core.logPage({}, 0, 50);

      STORE_BUDGET.warnBytes = before.usedBytes - 1;
      expect(core.storeBudget().warn).toBe(true);
      STORE_BUDGET.maxBytes = before.usedBytes + 256 * 1024;
      const [r] = (await client.importFile(source('second.log', logLines(20_000, 'second')), () => {}).done)!;
      expect(r.errors.at(-1)).toMatch(/^second\.log: the workspace is full \([\d.]+ GB of its [\d.]+ GB limit\): no more rows are taken; what was read before stays$/);
      expect(r.logs).toBeGreaterThan(0);
      expect(r.logs).toBeLessThan(20_000);
      // What was there before is as it was, and the kept part of the second file is there too.
      expect(core.logPage({ fileIds: [1] }, 0, 50)).toEqual(firstPage);
      expect(core.totals().logs).toBe(2000 + r.logs);
      client.close();
    });
  }

  it('counts the span search index, and leaves it out when the workspace is near full; searches find the same', async () => {
    const { core, client } = await createLocalEngine();
    const traces = new Uint8Array(readFileSync(new URL('../fixtures/otel-incident/traces.otlp.jsonl.gz', import.meta.url)));
    await client.importFile(source('traces.otlp.jsonl.gz', traces), () => {}).done;
    const store = core.store;
    const build = () => {
      for (let i = 0; i < 10_000 && !core.searchIndexStep(200).done; i++);
      return core.searchIndexStep(200);
    };
    const queries = ['timeout', 'http.response.status_code>=500', 'service=payment db.system=postgresql', '-error=true statement', 'nothing-like-this'];
    const found = async () => Promise.all(queries.map(async (query) => (await client.call('searchTraces', { query, offset: 0, limit: 5000 })).rows.map((t) => t.traceId)));
    const scanned = await found();
    expect(scanned.flat().length).toBeGreaterThan(0);

    expect(build()).toMatchObject({ done: true, skipped: false });
    expect(spanIndexCoverage(store)).toEqual({ state: 'complete' });
    const index = spanIndexBytes(store);
    expect(index).toBeGreaterThan(0);
    expect(core.storeBudget().usedBytes).toBe(store.sizeBytes() + index);
    expect(await found()).toEqual(scanned);

    // No room for an index under the warning mark: it is dropped, and searches scan.
    STORE_BUDGET.warnBytes = store.sizeBytes();
    expect(core.searchIndexStep(40)).toMatchObject({ done: true, skipped: true });
    expect(spanIndexCoverage(store)).toEqual({ state: 'absent' });
    expect(core.storeBudget().usedBytes).toBe(store.sizeBytes());
    expect(await found()).toEqual(scanned);

    // Room again: it is built again; then an import into a workspace near full takes its memory first.
    Object.assign(STORE_BUDGET, saved);
    expect(build()).toMatchObject({ done: true, skipped: false });
    STORE_BUDGET.warnBytes = store.sizeBytes();
    await client.importFile(source('more.log', logLines(100, 'more')), () => {}).done;
    expect(spanIndexBytes(store)).toBe(0);
    expect(core.searchIndexStep(40)).toMatchObject({ done: true, skipped: true });
    expect(await found()).toEqual(scanned);
    client.close();
  });
});

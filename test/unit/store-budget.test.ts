// The store's memory budget: past its warning mark the engine says so; past its limit the store
// refuses more rows, the file being read keeps what it stored and says why, and the workspace
// stays usable and unchanged for what was there before.
import { describe, it, expect, afterEach } from 'vitest';
import { strToU8 } from 'fflate';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import { STORE_BUDGET } from '../../src-renderer/store/store.ts';
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
});

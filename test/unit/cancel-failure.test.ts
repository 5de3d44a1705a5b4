// Cancel and failure never lose data: import A, then a broken B and a cancelled C; everything A's
// queries answered before, they answer the same after, through the engine the app uses (both the
// in-process and the pipelined path).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync, strToU8 } from 'fflate';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import type { ByteSource } from '../../src-renderer/engine/client.ts';
import type { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { CORPUS } from '../corpus.ts';

function source(name: string, bytes: Uint8Array, chunk = 1 << 14): ByteSource {
  return { name, size: bytes.length, async *chunks() { for (let o = 0; o < bytes.length; o += chunk) yield bytes.slice(o, o + chunk); } };
}

const A_TRACES = new Uint8Array(readFileSync(`${CORPUS}/zipkin/zipkin-lens/testdata/smartthings-mobile-web-install.json`));
const A_LOGS = strToU8(
  Array.from({ length: 300 }, (_, i) => JSON.stringify({ time: new Date(Date.UTC(2025, 10, 24, 16) + i * 1000).toISOString(), level: i % 7 ? 'info' : 'error', msg: `a line ${i}` })).join('\n'),
);

/** JSON of the answers, without how long they took (timingsMs). */
function comparable(v: unknown): string {
  return JSON.stringify(v, (k, x) => (k === 'timingsMs' ? undefined : typeof x === 'bigint' ? `${x}n` : x));
}

/** Everything the app asks about A's data, as one comparable value. */
function answersAbout(core: EngineCore, aFiles: number[]): unknown {
  const traces = core.listTraces({ offset: 0, limit: 100, sort: 'duration' });
  return {
    files: core.listFiles().filter((f) => aFiles.includes(f.fileId)),
    traces,
    views: traces.map((t) => [core.traceView(t.traceId), core.traceAnalyses(t.traceId), core.traceSearch(t.traceId, 'a')]),
    logs: core.logPage({ fileIds: aFiles }, 0, 500),
    count: core.logCount({ fileIds: aFiles }),
    histogram: core.logHistogram({ fileIds: aFiles }),
    search: core.logSearch({ fileIds: aFiles }, 'line').positions.length,
    sql: core.sql('SELECT count(*), sum(duration_ns) FROM spans WHERE file_id IN (SELECT value FROM json_each(?))', [JSON.stringify(aFiles)]).rows,
  };
}

describe('cancel and failure keep what was loaded', () => {
  for (const pipelined of [false, true]) {
    it(`A answers the same after a broken B and a cancelled C${pipelined ? ' (pipelined)' : ''}`, async () => {
      const { core, client } = await createLocalEngine(undefined, { pipelined });
      const a = [...(await client.importFile(source('a.json', A_TRACES), () => {}).done)!, ...(await client.importFile(source('a.log', A_LOGS), () => {}).done)!];
      const aFiles = a.map((r) => r.fileId!);
      const before = comparable(answersAbout(core, aFiles));

      // B: not a format at all, a gzip cut short, and a zip cut inside its first entry. (A cut gzip
      // of A's own file would add its first spans to A's trace: a partial import keeps what it read.)
      const noise = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251);
      const broken = [
        source('b.bin', noise),
        source('b.json.gz', gzipSync(noise).slice(0, 2000)),
        source('b.zip', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5])),
      ];
      for (const b of broken) {
        const reports = (await client.importFile(b, () => {}).done)!;
        expect(reports.length, b.name).toBeGreaterThan(0); // a file that could not be read is still reported
        expect(reports.every((r) => r.errors.length > 0)).toBe(true);
      }
      // C: a big file, cancelled after its first chunks arrived.
      const big = strToU8(Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ time: '2025-11-24T17:00:00Z', level: 'info', msg: `c ${i}` })).join('\n'));
      let chunks = 0;
      const handle = client.importFile(source('c.log', big, 4096), () => {
        if (++chunks === 5) handle.cancel();
      });
      expect(await handle.done).toBeNull();

      const after = comparable(answersAbout(core, aFiles));
      expect(JSON.parse(after)).toEqual(JSON.parse(before));
      expect(core.listFiles().some((f) => f.name === 'c.log')).toBe(false);
      client.close();
    });
  }
});

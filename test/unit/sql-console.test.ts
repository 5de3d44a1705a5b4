// A runaway query is stopped across the worker boundary: the query runs in a real worker thread
// on a copy of the workspace; a cancel, or the time budget, ends it; the next query runs on a
// fresh copy; the engine's workspace never noticed. Writes stay refused in the copy too.
import { describe, it, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
import { strToU8 } from 'fflate';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import { SqlConsole, SqlCancelledError, type SqlWorkerLike } from '../../src-renderer/engine/sql-console.ts';
import type { SqlWorkerReply } from '../../src-renderer/engine/sql-serve.ts';
import type { ByteSource } from '../../src-renderer/engine/client.ts';

/** A Node worker thread behind the Web Worker shape SqlConsole uses. */
function nodeWorker(): SqlWorkerLike & { exited: Promise<number> } {
  const w = new Worker(new URL('./support/sql-worker-node.mjs', import.meta.url));
  const adapter: SqlWorkerLike & { exited: Promise<number> } = {
    onmessage: null,
    postMessage: (m, transfer) => w.postMessage(m, transfer as never),
    terminate: () => void w.terminate(),
    exited: new Promise((resolve) => w.once('exit', resolve)),
  };
  w.on('message', (data: SqlWorkerReply) => adapter.onmessage?.({ data }));
  return adapter;
}

const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

function source(name: string, text: string): ByteSource {
  const bytes = strToU8(text);
  return { name, size: bytes.length, async *chunks() { yield bytes; } };
}

describe('SQL console', () => {
  it('answers, refuses writes, and stops a runaway query on cancel or after its time budget', async () => {
    const { core, client } = await createLocalEngine();
    await client.importFile(source('a.log', '{"time":"2025-11-24T16:00:00Z","level":"info","msg":"one"}\n{"time":"2025-11-24T16:00:01Z","level":"info","msg":"two"}\n'), () => {}).done;
    const spawned: Array<ReturnType<typeof nodeWorker>> = [];
    const sql = new SqlConsole(async () => core.exportWorkspace(), () => (spawned.push(nodeWorker()), spawned.at(-1)!), { timeoutMs: 1500 });

    expect((await sql.run('SELECT count(*) FROM logs', [], 1)).rows).toEqual([[2]]);
    await expect(sql.run('DELETE FROM logs', [], 1)).rejects.toThrow(/read-only SQL/);
    await expect(sql.run('DETACH main', [], 1)).rejects.toThrow(/DETACH is not allowed/);

    // Cancel: the query is running in the worker; the cancel ends it at once.
    const t0 = performance.now();
    const running = sql.run(RUNAWAY, [], 1);
    setTimeout(() => sql.cancel(), 300);
    await expect(running).rejects.toThrow(SqlCancelledError);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(await spawned[0].exited).toBe(1);

    // The time budget: stopped without anyone asking.
    await expect(sql.run(RUNAWAY, [], 1)).rejects.toThrow(/ran past 2 s and was stopped/);

    // The next query runs on a fresh copy, which sees the workspace as it is now.
    await client.importFile(source('b.log', '{"time":"2025-11-24T16:00:02Z","level":"info","msg":"three"}\n'), () => {}).done;
    expect((await sql.run('SELECT count(*) FROM logs', [], 2)).rows).toEqual([[3]]);
    expect(spawned).toHaveLength(3);
    // The engine's own workspace was never touched by any of it.
    expect(core.totals().logs).toBe(3);
    sql.close();
    client.close();
  }, 60_000);
});

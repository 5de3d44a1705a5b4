// The in-process engine for Node (tests, the command line, benchmarks): the same EngineCore the
// worker runs, behind the same client and protocol. Messages are structured-cloned as a worker's
// would be, so tests exercise exactly what crosses the thread boundary in the app.

import { loadSqlJs } from '../store/sqljs.ts';
import { Store } from '../store/store.ts';
import { EngineCore, ENGINE_METHODS, type EngineMethod } from './engine-core.ts';
import { EngineClient } from './client.ts';
import type { Response, ReadyMessage } from './protocol.ts';
import { describeError } from '../core/base/result.ts';

export async function createLocalEngine(bytes?: Uint8Array): Promise<{ core: EngineCore; client: EngineClient }> {
  const SQL = await loadSqlJs();
  const core = new EngineCore(Store.create(SQL, bytes));
  const allowed = new Set<string>(ENGINE_METHODS);
  let listener: ((m: Response | ReadyMessage) => void) | null = null;
  const client = new EngineClient({
    send(id, method, args) {
      const cloned = structuredClone(args);
      queueMicrotask(() => {
        let msg: Response;
        try {
          if (!allowed.has(method)) throw new Error(`unknown method ${method}`);
          const fn = core[method as EngineMethod] as (...a: unknown[]) => unknown;
          msg = { id, ok: true, result: structuredClone(fn.apply(core, cloned)) };
        } catch (e) {
          msg = { id, ok: false, error: describeError(e) };
        }
        listener?.(msg);
      });
    },
    onMessage(cb) {
      listener = cb;
      queueMicrotask(() => cb({ ready: true }));
    },
    close() {},
  });
  return { core, client };
}

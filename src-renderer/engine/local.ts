// The in-process engine for Node (tests, the command line, benchmarks): the same EngineCore the
// worker runs, behind the same client and protocol. Messages are structured-cloned as a worker's
// would be, so tests exercise exactly what crosses the thread boundary in the app. With
// `pipelined`, a ParseCore stands in for the parse worker, joined to the engine by a real
// MessageChannel, as in the app (both still share one thread here).

import { loadSqlJs } from '../store/sqljs.ts';
import { Store } from '../store/store.ts';
import { EngineCore, ENGINE_METHODS } from './engine-core.ts';
import { ParseCore, PARSE_METHODS, type IngestOp, type OpPort } from './parse-core.ts';
import { EngineClient, type EngineTransport } from './client.ts';
import type { Response, ReadyMessage } from './protocol.ts';
import { describeError } from '../core/base/result.ts';

function localTransport(target: object, methods: readonly string[]): EngineTransport {
  const allowed = new Set(methods);
  let listener: ((m: Response | ReadyMessage) => void) | null = null;
  const reply = (msg: Response) => listener?.(structuredClone(msg));
  return {
    send(id, method, args) {
      const cloned = structuredClone(args);
      queueMicrotask(() => {
        try {
          if (!allowed.has(method)) throw new Error(`unknown method ${method}`);
          const result = (target as Record<string, (...a: unknown[]) => unknown>)[method].apply(target, cloned);
          if (result instanceof Promise) {
            result.then(
              (r) => reply({ id, ok: true, result: r }),
              (e: unknown) => reply({ id, ok: false, error: describeError(e) }),
            );
          } else reply({ id, ok: true, result });
        } catch (e) {
          reply({ id, ok: false, error: describeError(e) });
        }
      });
    },
    onMessage(cb) {
      listener = cb;
      queueMicrotask(() => cb({ ready: true }));
    },
    close() {},
  };
}

/** A client of an engine over a store this thread already holds (the command line's, a test's). */
export function localClient(store: Store): EngineClient {
  return new EngineClient(localTransport(new EngineCore(store), ENGINE_METHODS));
}

export async function createLocalEngine(bytes?: Uint8Array, opts: { pipelined?: boolean } = {}): Promise<{ core: EngineCore; client: EngineClient }> {
  const SQL = await loadSqlJs();
  const core = new EngineCore(Store.create(SQL, bytes));
  if (!opts.pipelined) return { core, client: new EngineClient(localTransport(core, ENGINE_METHODS)) };
  const parse = new ParseCore();
  const channel = new MessageChannel();
  const enginePort = channel.port1 as unknown as OpPort;
  enginePort.onmessage = (e: MessageEvent) => {
    core.ingestOp(e.data as IngestOp);
    enginePort.postMessage({ ack: 1 });
  };
  parse.connect(channel.port2 as unknown as OpPort);
  const client = new EngineClient(localTransport(core, ENGINE_METHODS), localTransport(parse, PARSE_METHODS));
  const close = client.close.bind(client);
  client.close = () => {
    close();
    channel.port1.close();
    channel.port2.close();
  };
  return { core, client };
}

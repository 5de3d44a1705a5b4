// The engine worker: sql.js, the store and the analyses run here, never on the UI thread. In a
// pipelined import the parse worker's rows arrive on a MessagePort (the UI thread made the
// channel and sends this end once) and are stored in order, each acknowledged.

import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { loadSqlJs } from '../store/sqljs.ts';
import { Store } from '../store/store.ts';
import { EngineCore, ENGINE_METHODS } from './engine-core.ts';
import type { Request, ReadyMessage } from './protocol.ts';
import type { IngestOp, IngestAck } from './parse-core.ts';
import { describeError } from '../core/base/result.ts';
import { answer, type WorkerScope } from './serve.ts';

const scope = self as unknown as WorkerScope & { onmessage: ((e: MessageEvent) => void) | null };
const allowed = new Set<string>(ENGINE_METHODS);
let core: EngineCore | null = null;
const queue: Array<() => void> = [];

function whenReady(fn: () => void): void {
  if (core) fn();
  else queue.push(fn);
}

scope.onmessage = (e: MessageEvent) => {
  const data = e.data as Request | { connectParser: true };
  if ('connectParser' in data) {
    const port = e.ports[0];
    port.onmessage = (m: MessageEvent) =>
      whenReady(() => {
        core!.ingestOp(m.data as IngestOp);
        port.postMessage({ ack: 1 } satisfies IngestAck);
      });
    return;
  }
  whenReady(() => answer(scope, core!, allowed, data as unknown as { id: number; method: string; args: unknown[] }));
};

loadSqlJs(wasmUrl).then(
  (SQL) => {
    core = new EngineCore(Store.create(SQL));
    scope.postMessage({ ready: true } satisfies ReadyMessage);
    for (const fn of queue.splice(0)) fn();
  },
  (e: unknown) => scope.postMessage({ ready: false, error: describeError(e) } satisfies ReadyMessage),
);

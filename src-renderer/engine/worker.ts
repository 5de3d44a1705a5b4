// The engine worker: sql.js and every parser run here, never on the UI thread. It answers
// requests in order, one at a time.

import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { loadSqlJs } from '../store/sqljs.ts';
import { Store } from '../store/store.ts';
import { EngineCore, ENGINE_METHODS, type EngineMethod } from './engine-core.ts';
import type { Request, Response, ReadyMessage } from './protocol.ts';
import { describeError } from '../core/base/result.ts';

const scope = self as unknown as { postMessage(m: unknown, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent) => void) | null };
const allowed = new Set<string>(ENGINE_METHODS);
let core: EngineCore | null = null;
const queue: Request[] = [];

function reply(msg: Response): void {
  const transfer = msg.ok && msg.result instanceof Uint8Array ? [msg.result.buffer as ArrayBuffer] : [];
  scope.postMessage(msg, transfer);
}

function handle(req: Request): void {
  if (!core) return void queue.push(req);
  if (!allowed.has(req.method)) return reply({ id: req.id, ok: false, error: `unknown method ${String(req.method)}` });
  try {
    const fn = core[req.method as EngineMethod] as (...a: unknown[]) => unknown;
    reply({ id: req.id, ok: true, result: fn.apply(core, req.args as unknown[]) });
  } catch (e) {
    reply({ id: req.id, ok: false, error: describeError(e) });
  }
}

scope.onmessage = (e: MessageEvent) => handle(e.data as Request);

loadSqlJs(wasmUrl).then(
  (SQL) => {
    core = new EngineCore(Store.create(SQL));
    scope.postMessage({ ready: true } satisfies ReadyMessage);
    for (const r of queue.splice(0)) handle(r);
  },
  (e: unknown) => scope.postMessage({ ready: false, error: describeError(e) } satisfies ReadyMessage),
);

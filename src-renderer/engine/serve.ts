// Answers requests ({id, method, args}) in a worker by calling methods of one object. Results
// may be promises (a pipelined import's end waits for the other worker); a Uint8Array result, and
// the arrays of a result marked by handOver, are transferred, not copied.

import type { Response } from './protocol.ts';
import { describeError } from '../core/base/result.ts';
import { transferList } from './hand-over.ts';

export interface WorkerScope {
  postMessage(m: unknown, transfer?: Transferable[]): void;
}

export function answer(scope: WorkerScope, target: object, allowed: ReadonlySet<string>, req: { id: number; method: string; args: unknown[] }): void {
  const reply = (msg: Response) => {
    scope.postMessage(msg, msg.ok ? transferList(msg.result) : []);
  };
  if (!allowed.has(req.method)) return reply({ id: req.id, ok: false, error: `unknown method ${String(req.method)}` });
  let result: unknown;
  try {
    result = (target as Record<string, (...a: unknown[]) => unknown>)[req.method].apply(target, req.args);
  } catch (e) {
    return reply({ id: req.id, ok: false, error: describeError(e) });
  }
  if (result instanceof Promise) {
    result.then(
      (r) => reply({ id: req.id, ok: true, result: r }),
      (e: unknown) => reply({ id: req.id, ok: false, error: describeError(e) }),
    );
  } else reply({ id: req.id, ok: true, result });
}

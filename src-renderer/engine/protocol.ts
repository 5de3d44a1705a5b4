// The typed request/response protocol between the UI thread and the engine worker. A request
// names an EngineCore method and its arguments; the reply carries the same id. Progress of an
// import is the reply to each chunk (the client sends the next chunk after the reply, which is
// also what lets a cancel in between take effect at once).

import type { EngineCore, EngineMethod } from './engine-core.ts';

export type EngineApi = Pick<EngineCore, EngineMethod>;
export type Args<M extends EngineMethod> = EngineApi[M] extends (...a: infer A) => unknown ? A : never;
export type Result<M extends EngineMethod> = EngineApi[M] extends (...a: never[]) => infer R ? Awaited<R> : never;

export interface Request<M extends EngineMethod = EngineMethod> {
  id: number;
  method: M;
  args: Args<M>;
}

export type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Sent once by the worker when sql.js is loaded (or failed to load). */
export type ReadyMessage = { ready: true } | { ready: false; error: string };

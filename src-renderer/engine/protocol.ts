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

/**
 * Where the engine streams a saved workspace (engine/save-targets.ts), in a form that crosses to
 * the worker: a path (Node), a file of the Origin Private File System, a file the user picked, or
 * a port whose other end passes the chunks on (the desktop app's main process writes the file).
 */
export type SaveTarget =
  | { kind: 'path'; path: string }
  | { kind: 'opfs'; name: string }
  | { kind: 'handle'; handle: FileSystemFileHandle; name: string }
  | { kind: 'port'; port: MessagePort; name: string };

/** What the engine sends on a `port` target; each message is answered with a ChunkReply of the same seq. */
export type ChunkMessage = { seq: number; at: number; bytes: Uint8Array } | { seq: number; close: number } | { seq: number; abort: true };
/** The answer to a ChunkMessage: a write's buffer comes back (transferred) to be used again. */
export type ChunkReply = { seq: number; error?: string; bytes?: Uint8Array };

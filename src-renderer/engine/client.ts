// What the UI talks to. `call` sends a typed request to the engine worker; `importFile` streams a
// file's chunks with progress and a cancel that takes effect between chunks.

import type { EngineMethod } from './engine-core.ts';
import type { Args, Result, Response, ReadyMessage } from './protocol.ts';
import type { ImportProgress } from './import-job.ts';
import type { ImportOptions, SourceReport } from '../core/import/types.ts';

export interface ByteSource {
  name: string;
  size: number | null;
  /** Consecutive chunks of the file's bytes. */
  chunks(): AsyncIterable<Uint8Array>;
}

export interface ImportHandle {
  /** Resolves with the per-source reports, or null when cancelled. */
  done: Promise<SourceReport[] | null>;
  cancel(): void;
}

/** Something that carries requests to an engine: a Worker in the app, a direct call in Node. */
export interface EngineTransport {
  send(id: number, method: EngineMethod, args: unknown[], transfer: Transferable[]): void;
  onMessage(cb: (msg: Response | ReadyMessage) => void): void;
  close(): void;
}

export class EngineClient {
  private nextId = 1;
  private nextJob = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly ready: Promise<void>;

  constructor(private readonly transport: EngineTransport) {
    let resolveReady!: () => void;
    let rejectReady!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    transport.onMessage((msg) => {
      if ('ready' in msg) return msg.ready ? resolveReady() : rejectReady(new Error(`the engine could not start: ${msg.error}`));
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
  }

  call<M extends EngineMethod>(method: M, ...args: Args<M>): Promise<Result<M>> {
    const id = this.nextId++;
    const transfer: Transferable[] = [];
    for (const a of args as unknown[]) if (a instanceof Uint8Array && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) transfer.push(a.buffer as ArrayBuffer);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.transport.send(id, method, args as unknown[], transfer);
    });
  }

  importFile(source: ByteSource, onProgress: (p: ImportProgress) => void, options?: ImportOptions): ImportHandle {
    const jobId = this.nextJob++;
    let cancelled = false;
    const done = (async () => {
      await this.call('importBegin', jobId, source.name, source.size, options);
      try {
        for await (const chunk of source.chunks()) {
          if (cancelled) break;
          onProgress(await this.call('importChunk', jobId, chunk));
        }
      } catch (e) {
        await this.call('importCancel', jobId);
        throw e;
      }
      if (cancelled) {
        await this.call('importCancel', jobId);
        return null;
      }
      return this.call('importEnd', jobId);
    })();
    return {
      done,
      cancel() {
        cancelled = true;
      },
    };
  }

  close(): void {
    this.transport.close();
  }
}

/** The app's engine: a module worker. */
export function startWorkerEngine(): EngineClient {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'tracedeck-engine' });
  let listener: ((m: Response | ReadyMessage) => void) | null = null;
  worker.onmessage = (e: MessageEvent) => listener?.(e.data as Response | ReadyMessage);
  worker.onerror = (e) => listener?.({ ready: false, error: e.message || 'worker failed' });
  return new EngineClient({
    send: (id, method, args, transfer) => worker.postMessage({ id, method, args }, transfer),
    onMessage: (cb) => {
      listener = cb;
    },
    close: () => worker.terminate(),
  });
}

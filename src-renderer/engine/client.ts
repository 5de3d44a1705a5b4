// What the UI talks to. `call` sends a typed request to the engine worker; `importFile` streams a
// file's chunks with progress and a cancel that takes effect between chunks. Where a parse worker
// is there (the app), imports are pipelined: chunks go to the parse worker, which reads them into
// rows and hands those to the engine worker directly (parse-core.ts), so both cores work.

import type { EngineCore, EngineMethod } from './engine-core.ts';
import type { ParseMethod } from './parse-core.ts';
import type { Args, Result, Response, ReadyMessage } from './protocol.ts';
import type { ImportProgress } from './import-job.ts';
import type { ImportOptions, SourceReport } from '../core/import/types.ts';

type AggregateRequest = Parameters<EngineCore['aggregateStart']>[0];
type AggregateProgress = ReturnType<EngineCore['aggregateStep']>;
type AggregateReply = NonNullable<AggregateProgress['reply']>;

export interface ByteSource {
  name: string;
  size: number | null;
  /** Consecutive chunks of the file's bytes. */
  chunks(): AsyncIterable<Uint8Array>;
  /**
   * Put the file on the host's recent list as a workspace or as data, where the host can open it
   * again later (Electron, by path). Call it while the file is being read.
   */
  remember?(kind: 'workspace' | 'files'): Promise<void>;
}

export interface ImportHandle {
  /** Resolves with the per-source reports, or null when cancelled. */
  done: Promise<SourceReport[] | null>;
  cancel(): void;
}

/** Something that carries requests to a worker: a Worker in the app, a direct call in Node. */
export interface EngineTransport {
  send(id: number, method: string, args: unknown[], transfer: Transferable[]): void;
  onMessage(cb: (msg: Response | ReadyMessage) => void): void;
  close(): void;
}

/** Requests and their replies over one transport. */
class Rpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly ready: Promise<void>;

  constructor(
    private readonly transport: EngineTransport,
    what: string,
  ) {
    let resolveReady!: () => void;
    let rejectReady!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    transport.onMessage((msg) => {
      if ('ready' in msg) return msg.ready ? resolveReady() : rejectReady(new Error(`the ${what} could not start: ${msg.error}`));
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    const transfer: Transferable[] = [];
    for (const a of args) {
      if (a instanceof Uint8Array && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) transfer.push(a.buffer as ArrayBuffer);
      // A save target's port goes to the worker (a port can only be moved, not copied).
      const port = typeof MessagePort === 'undefined' || a === null || typeof a !== 'object' ? null : (a as { port?: unknown }).port;
      if (port instanceof MessagePort) transfer.push(port);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.transport.send(id, method, args, transfer);
    });
  }

  close(): void {
    this.transport.close();
  }
}

export class EngineClient {
  private nextJob = 1;
  private readonly engine: Rpc;
  private readonly parser: Rpc | null;
  readonly ready: Promise<void>;

  constructor(engine: EngineTransport, parser?: EngineTransport) {
    this.engine = new Rpc(engine, 'engine');
    this.parser = parser ? new Rpc(parser, 'parse worker') : null;
    this.ready = this.engine.ready;
  }

  call<M extends EngineMethod>(method: M, ...args: Args<M>): Promise<Result<M>> {
    return this.engine.call(method, args as unknown[]) as Promise<Result<M>>;
  }

  private parse(method: ParseMethod, ...args: unknown[]): Promise<unknown> {
    return this.parser!.call(method, args);
  }

  importFile(source: ByteSource, onProgress: (p: ImportProgress) => void, options?: ImportOptions): ImportHandle {
    const jobId = this.nextJob++;
    let cancelled = false;
    const pipelined = this.parser !== null;
    // Chunks go to the parse worker (pipelined) or to the engine itself.
    const begin = () =>
      pipelined ? this.parse('begin', jobId, source.name, source.size, options) : this.call('importBegin', jobId, source.name, source.size, options);
    const chunk = (bytes: Uint8Array) => (pipelined ? this.parse('chunk', jobId, bytes) : this.call('importChunk', jobId, bytes)) as Promise<ImportProgress>;
    const stop = async () => {
      if (pipelined) await this.parse('cancel', jobId).catch(() => {});
      await this.call('importCancel', jobId);
    };
    const done = (async () => {
      if (pipelined) await this.call('importBegin', jobId, source.name, source.size, options, true);
      await begin();
      try {
        // Two chunks in flight: the next is read from the file while the worker reads this one.
        let pending: Promise<ImportProgress> | null = null;
        for await (const bytes of source.chunks()) {
          if (cancelled) break;
          const next = chunk(bytes);
          next.catch(() => {}); // observed below, in order
          if (pending) onProgress(await pending);
          pending = next;
        }
        if (pending && !cancelled) onProgress(await pending);
        if (!cancelled && pipelined) await this.parse('end', jobId);
      } catch (e) {
        await stop();
        throw e;
      }
      if (cancelled) {
        await stop();
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

  /**
   * An aggregate critical path (engine request aggregateStart, then aggregateStep until the reply
   * comes), with its progress after each step; cancel takes effect before the next step.
   */
  runAggregate(request: AggregateRequest, onProgress: (p: AggregateProgress) => void = () => {}, stepMs = 50): { done: Promise<AggregateReply | null>; cancel(): void } {
    let cancelled = false;
    const done = (async () => {
      let p = await this.call('aggregateStart', request);
      onProgress(p);
      while (!p.reply) {
        if (cancelled) {
          await this.call('aggregateCancel', p.job);
          return null;
        }
        p = await this.call('aggregateStep', p.job, stepMs);
        onProgress(p);
      }
      return p.reply;
    })();
    return {
      done,
      cancel() {
        cancelled = true;
      },
    };
  }

  close(): void {
    this.engine.close();
    this.parser?.close();
  }
}

function workerTransport(worker: Worker): EngineTransport {
  let listener: ((m: Response | ReadyMessage) => void) | null = null;
  worker.onmessage = (e: MessageEvent) => listener?.(e.data as Response | ReadyMessage);
  worker.onerror = (e) => listener?.({ ready: false, error: e.message || 'worker failed' });
  return {
    send: (id, method, args, transfer) => worker.postMessage({ id, method, args }, transfer),
    onMessage: (cb) => {
      listener = cb;
    },
    close: () => worker.terminate(),
  };
}

/** The app's engine: the engine worker (the store) and a parse worker, joined by a channel. */
export function startWorkerEngine(): EngineClient {
  const engine = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'tracedeck-engine' });
  const parser = new Worker(new URL('./parse-worker.ts', import.meta.url), { type: 'module', name: 'tracedeck-parser' });
  const channel = new MessageChannel();
  engine.postMessage({ connectParser: true }, [channel.port1]);
  parser.postMessage({ connect: true }, [channel.port2]);
  return new EngineClient(workerTransport(engine), workerTransport(parser));
}

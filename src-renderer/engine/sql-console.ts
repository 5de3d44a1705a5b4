// Read-only SQL that can be stopped: the UI side of sql-serve.ts. Each query runs in a worker
// that holds a copy of the workspace; cancel() or the time budget ends that worker (the only way
// to stop a running sql.js statement) and the promise rejects with a message saying so. The copy
// is taken again when the workspace changed (the caller passes the workspace's version) or after a
// stop. The copy costs an export of the workspace (about 0.45 s per 420 MB) and its memory while
// the console is open; the engine worker's workspace is never touched.
//
//   const sqlConsole = startWorkerSqlConsole(() => engine.call('exportWorkspace'));
//   await sqlConsole.run(text, params, ws.version);     sqlConsole.cancel();

import type { SqlValue } from 'sql.js';
import type { SqlResult } from '../store/read-only-sql.ts';
import type { SqlWorkerReply, SqlWorkerRequest } from './sql-serve.ts';

/** What SqlConsole needs of a worker (a Web Worker, or a Node worker behind an adapter). */
export interface SqlWorkerLike {
  postMessage(m: SqlWorkerRequest, transfer?: Transferable[]): void;
  onmessage: ((e: { data: SqlWorkerReply }) => void) | null;
  terminate(): void;
}

export interface SqlConsoleOptions {
  /** A query still running after this long is stopped. */
  timeoutMs: number;
  /** Rows a query may return (a console shows a page). */
  maxRows: number;
}

export class SqlCancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlCancelledError';
  }
}

export class SqlConsole {
  private worker: SqlWorkerLike | null = null;
  private openedVersion: number | null = null;
  private nextId = 1;
  private running: { id: number; reject(e: Error): void; timer: ReturnType<typeof setTimeout> } | null = null;
  private readonly opts: SqlConsoleOptions;

  constructor(
    private readonly snapshot: () => Promise<Uint8Array>,
    private readonly spawn: () => SqlWorkerLike,
    opts: Partial<SqlConsoleOptions> = {},
  ) {
    this.opts = { timeoutMs: 30_000, maxRows: 10_000, ...opts };
  }

  /** Run one read-only statement over the workspace as of `version`. One query at a time. */
  async run(sql: string, params: SqlValue[], version: number): Promise<SqlResult> {
    if (this.running) throw new Error('a query is already running: cancel it first');
    const worker = await this.copyOf(version);
    const id = this.nextId++;
    return new Promise<SqlResult>((resolve, reject) => {
      const timer = setTimeout(() => this.stop(`the query ran past ${Math.round(this.opts.timeoutMs / 1000)} s and was stopped`), this.opts.timeoutMs);
      this.running = { id, reject, timer };
      worker.onmessage = ({ data }) => {
        if (!('id' in data) || data.id !== id) return;
        clearTimeout(timer);
        this.running = null;
        if (data.ok) resolve(data.result);
        else reject(new Error(data.error));
      };
      worker.postMessage({ id, sql, params, maxRows: this.opts.maxRows });
    });
  }

  /** Stop the running query, if any: its promise rejects with SqlCancelledError. */
  cancel(): void {
    this.stop('the query was cancelled');
  }

  /** End the worker and forget the copy. */
  close(): void {
    this.cancel();
    this.worker?.terminate();
    this.worker = null;
    this.openedVersion = null;
  }

  private stop(why: string): void {
    const r = this.running;
    if (!r) return;
    this.running = null;
    clearTimeout(r.timer);
    // The worker is busy inside SQLite and cannot be asked: it is ended, and the copy with it.
    this.worker?.terminate();
    this.worker = null;
    this.openedVersion = null;
    r.reject(new SqlCancelledError(why));
  }

  /** A worker holding the workspace as of `version`. */
  private async copyOf(version: number): Promise<SqlWorkerLike> {
    if (this.worker && this.openedVersion === version) return this.worker;
    const bytes = await this.snapshot();
    const worker = this.worker ?? this.spawn();
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if (!('opened' in data)) return;
        if (data.opened) resolve();
        else reject(new Error(`the workspace copy could not be opened: ${data.error}`));
      };
      worker.postMessage({ open: bytes }, [bytes.buffer as ArrayBuffer]);
    });
    this.openedVersion = version;
    return worker;
  }
}

/** The app's console: copies come from the engine, queries run in sql-worker.ts. */
export function startWorkerSqlConsole(exportWorkspace: () => Promise<Uint8Array>, opts: Partial<SqlConsoleOptions> = {}): SqlConsole {
  const spawn = () => new Worker(new URL('./sql-worker.ts', import.meta.url), { type: 'module', name: 'tracedeck-sql' }) as unknown as SqlWorkerLike;
  return new SqlConsole(exportWorkspace, spawn, opts);
}

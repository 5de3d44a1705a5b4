// The read-only SQL of a console, served from a copy of the workspace in a worker of its own.
// sql.js runs a statement to its end once started: it exports neither sqlite3_progress_handler
// nor sqlite3_interrupt, and the worker cannot read a message while SQLite runs. So a query that
// must be stoppable runs where stopping it costs nothing: the caller (sql-console.ts) ends this
// worker, and with it the query, and starts another from a fresh copy when needed. The engine
// worker, which holds the only real workspace, never runs user SQL that could take forever.
//
// Messages in: { open: bytes } (a workspace file, from EngineCore.exportWorkspace), then
// { id, sql, params, maxRows }. Out: { opened } or { id, ok, result | error }.

import type { SqlJsStatic, SqlValue } from 'sql.js';
import { Store } from '../store/store.ts';
import { runReadOnlySql, type SqlResult } from '../store/read-only-sql.ts';
import { describeError } from '../core/base/result.ts';

export type SqlWorkerRequest = { open: Uint8Array } | { id: number; sql: string; params: SqlValue[]; maxRows?: number };
export type SqlWorkerReply = { opened: true } | { opened: false; error: string } | { id: number; ok: true; result: SqlResult } | { id: number; ok: false; error: string };

/** Where messages come from and go to: a worker's global scope, or a Node worker's parent port. */
export interface SqlPort {
  postMessage(m: SqlWorkerReply): void;
  onmessage: ((e: { data: SqlWorkerRequest }) => void) | null;
}

/** Answer messages in order; those that arrive while sql.js is still loading wait for it. */
export function serveReadOnlySql(port: SqlPort, sqlJs: Promise<SqlJsStatic>): void {
  let store: Store | null = null;
  let queue: Promise<void> = Promise.resolve();
  port.onmessage = ({ data }) => {
    queue = queue.then(() => sqlJs).then(
      (SQL) => answer(SQL, data),
      (e: unknown) => port.postMessage({ opened: false, error: `sql.js could not load: ${describeError(e)}` }),
    );
  };
  const answer = (SQL: SqlJsStatic, data: SqlWorkerRequest): void => {
    if ('open' in data) {
      try {
        store?.close();
        store = Store.create(SQL, data.open);
        port.postMessage({ opened: true });
      } catch (e) {
        port.postMessage({ opened: false, error: describeError(e) });
      }
      return;
    }
    if (store === null) return port.postMessage({ id: data.id, ok: false, error: 'no workspace copy opened' });
    try {
      port.postMessage({ id: data.id, ok: true, result: runReadOnlySql(store, data.sql, data.params, { maxRows: data.maxRows }) });
    } catch (e) {
      port.postMessage({ id: data.id, ok: false, error: describeError(e) });
    }
  };
}

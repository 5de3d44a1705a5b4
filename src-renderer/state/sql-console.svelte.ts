// The SQL console's state: the text, the running query (which the user can stop), its result or
// error, and the exports. Queries run in a worker of their own over a copy of the workspace
// (engine/sql-console.ts), so a long one is stopped by ending that worker and the engine worker
// never waits for it. One per workspace: the text and result survive a trip to another screen.

import type { Workspace } from './workspace.svelte.ts';
import { startWorkerSqlConsole, SqlCancelledError, type SqlConsole } from '../engine/sql-console.ts';
import type { SqlResult } from '../store/read-only-sql.ts';
import type { SqlExample } from '../store/sql-examples.ts';
import { tableToCsv, tableToJson } from '../core/base/table-export.ts';

export type { SqlResult } from '../store/read-only-sql.ts';

const views = new WeakMap<Workspace, SqlConsoleView>();

/** The SQL console of a workspace, created on first use. */
export function sqlConsoleOf(ws: Workspace): SqlConsoleView {
  let v = views.get(ws);
  if (!v) views.set(ws, (v = new SqlConsoleView(ws)));
  return v;
}

/** Rows a query may return: the grid is virtualised, the copy and the transfer are not. */
export const MAX_ROWS = 100_000;

export class SqlConsoleView {
  /** Questions to start from (the engine has them: SQL lives in the store). */
  examples = $state.raw<readonly SqlExample[]>([]);
  text = $state('');
  running = $state(false);
  result = $state.raw<SqlResult | null>(null);
  /** The SQL that gave `result` (exports name it). */
  ran = $state<string | null>(null);
  error = $state<string | null>(null);
  /** Milliseconds the last query took, copy of the workspace included. */
  ms = $state<number | null>(null);
  private console: SqlConsole | null = null;

  constructor(readonly ws: Workspace) {}

  /** The examples, fetched once; the first fills an empty editor. */
  async loadExamples(): Promise<void> {
    if (this.examples.length > 0) return;
    this.examples = await this.ws.engine.call('sqlExamples');
    if (this.text === '' && this.examples.length > 0) this.text = this.examples[0].sql;
  }

  async run(): Promise<void> {
    if (this.running) return;
    const sql = this.text;
    this.console ??= startWorkerSqlConsole(() => this.ws.engine.call('exportWorkspace'), { maxRows: MAX_ROWS, timeoutMs: 120_000 });
    this.running = true;
    this.error = null;
    const t0 = performance.now();
    try {
      this.result = await this.console.run(sql, [], this.ws.version);
      this.ran = sql;
    } catch (e) {
      this.error = e instanceof SqlCancelledError ? `Stopped: ${e.message}.` : (e as Error).message;
    } finally {
      this.ms = performance.now() - t0;
      this.running = false;
    }
  }

  cancel(): void {
    this.console?.cancel();
  }

  useExample(i: number): void {
    const ex = this.examples[i];
    if (ex) this.text = ex.sql;
  }

  async save(kind: 'csv' | 'json'): Promise<void> {
    const r = this.result;
    if (!r) return;
    const text = kind === 'csv' ? tableToCsv(r) : tableToJson(r);
    await this.ws.host.saveFile(`query.${kind}`, new TextEncoder().encode(text));
  }

  /** End the worker and its copy (the workspace closed). */
  close(): void {
    this.console?.close();
    this.console = null;
  }
}

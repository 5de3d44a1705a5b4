// The engine's API: everything the UI (or the CLI) can ask of the workspace. One implementation
// over one Store; the worker exposes it through messages (worker.ts), Node uses it in-process.
// Methods are synchronous here; the protocol makes them asynchronous for the UI.

import type { Store } from '../store/store.ts';
import { ImportJob, type ImportProgress } from './import-job.ts';
import type { ImportOptions, SourceReport } from '../core/import/types.ts';
import * as q from '../store/queries.ts';
import type { SqlValue } from 'sql.js';
import { logsForSpan, type LogRow } from '../store/logs.ts';
import { spanDetail, searchTraceSpans, type SpanDetail } from '../store/trace-detail.ts';
import { loadTraceView, type TraceViewData } from './trace-view.ts';

export class EngineCore {
  private readonly jobs = new Map<number, ImportJob>();

  constructor(readonly store: Store) {}

  // ---- import: begin, chunks, end or cancel
  importBegin(jobId: number, fileName: string, size: number | null, options?: ImportOptions): void {
    if (this.jobs.size > 0) throw new Error('an import is already running');
    this.jobs.set(jobId, new ImportJob(this.store, fileName, size, options));
  }

  importChunk(jobId: number, bytes: Uint8Array): ImportProgress {
    return this.job(jobId).push(bytes);
  }

  importEnd(jobId: number): SourceReport[] {
    const job = this.job(jobId);
    this.jobs.delete(jobId);
    return job.end();
  }

  importCancel(jobId: number): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    this.jobs.delete(jobId);
    job.cancel();
  }

  private job(jobId: number): ImportJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no import ${jobId}`);
    return job;
  }

  // ---- queries
  totals(): q.Totals {
    return q.totals(this.store);
  }

  listFiles(): q.FileRow[] {
    return q.listFiles(this.store);
  }

  listTraces(opts: { offset: number; limit: number; sort?: q.TraceSort }): q.TraceRow[] {
    return q.listTraces(this.store, opts);
  }

  traceSpans(traceId: string): q.TraceSpans | null {
    return q.traceSpans(this.store, traceId);
  }

  traceFindings(traceId: string): q.FindingRow[] {
    return q.traceFindings(this.store, traceId);
  }

  sql(sql: string, params: SqlValue[] = []): q.SqlResult {
    return q.runReadOnlySql(this.store, sql, params);
  }

  // ---- trace view (issue 5): begin
  /** One trace with its tree, self times, critical path and error path, computed here in the worker. */
  traceView(traceId: string): TraceViewData | null {
    return loadTraceView(this.store, traceId);
  }

  spanDetail(spanRow: number): SpanDetail | null {
    return spanDetail(this.store, spanRow);
  }

  /** Span rows of the trace whose name, service, attributes or events contain the text. */
  traceSearch(traceId: string, text: string): number[] {
    return searchTraceSpans(this.store, traceId, text);
  }

  /** A span's log lines: exact (and partial) id matches, and inferred ones, kept apart. */
  spanLogs(traceId: string, spanId: string): { exact: LogRow[]; inferred: LogRow[] } {
    return logsForSpan(this.store, traceId, spanId);
  }
  // ---- trace view (issue 5): end

  exportWorkspace(): Uint8Array {
    return this.store.export();
  }
}

/** The method names the protocol may call: public methods of EngineCore only. */
export type EngineMethod = Exclude<keyof EngineCore, 'store'>;
export const ENGINE_METHODS: readonly EngineMethod[] = Object.getOwnPropertyNames(EngineCore.prototype).filter(
  (m) => m !== 'constructor' && !m.startsWith('_') && m !== 'job',
) as EngineMethod[];

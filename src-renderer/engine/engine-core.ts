// The engine's API: every question the app or the command line can ask of the workspace, one
// method each. One implementation over one Store; the worker answers these methods through
// messages (worker.ts), Node calls them in-process through the same client (local.ts). Methods are
// synchronous here; the protocol makes them asynchronous for the UI.
//
// One path per fact: an analysis is ONE method here, and both the app and `tracedeck` ask it.
// Adding one (search, aggregates, a report, …) goes:
//   1. the algorithm, pure, in core/analysis/<name>.ts (tested on hand-checked cases);
//   2. the reads it needs, as named queries in store/ (the only place with SQL);
//   3. the assembly (queries + algorithm → reply) in engine/<name>.ts, and the reply's type in
//      engine/wire/<name>.ts (types and packing that import only core/, so the UI thread can
//      unpack a reply without loading store code);
//   4. one method below that calls the assembly;
//   5. the app: a state class (state/*.svelte.ts) asks `engine.call('<method>', …)` and keeps the
//      reply; views render the state and never call the engine themselves;
//   6. the command line: cli/commands/<name>.ts asks the same method through the client it is
//      given and only formats the reply (text, or JSON shaped as the README documents);
//   7. a test that runs the command and the method on the same input and compares
//      (test/unit/cli-engine.test.ts).

import { Store, type StoreBudget } from '../store/store.ts';
import { ImportJob, StoreIngest, type ImportProgress } from './import-job.ts';
import type { IngestOp } from './parse-core.ts';
import type { ImportOptions, SourceReport } from '../core/import/types.ts';
import * as q from '../store/queries.ts';
import type { SqlValue } from 'sql.js';
import { LogViewCache, logFacets, logHistogram, type LogFilter, type LogLine, type LogFacets, type LogHistogram } from '../store/log-view.ts';
import { ftsStep, ftsProgress, type FtsProgress } from '../store/log-view-fts.ts';
import { spanIndexStep, spanIndexProgress, type SpanIndexProgress } from './span-index-step.ts';
import type { QueryError } from '../core/analysis/trace-query.ts';
import { logRecord, type LogRecordView } from '../store/log-view-record.ts';
import { openTrace, traceAnalyses, type OpenedTrace } from './trace-view.ts';
import { packTraceView, type TraceViewWire, type TraceAnalyses } from './wire/trace-view.ts';
import { spanDetail, searchTraceSpans, traceStamp, type SpanDetail } from '../store/trace-detail.ts';
import { logsForSpan, setFileService, type LogRow } from '../store/logs.ts';
import { evaluateSloView, deriveSloView, budgetsOpenSlo, importSloText, exportSloText } from './slo-view.ts';
import type { SloEvaluationView, SloDeriveView, SloFileImport, ImportedSloItem, DeriveRequest } from './wire/slo.ts';
import { SQL_EXAMPLES, type SqlExample } from '../store/sql-examples.ts';
import { TraceSearch } from './trace-search.ts';
import { durationBins, seriesOf, type TraceScatter } from '../core/analysis/scatter-series.ts';
import { handOver } from './hand-over.ts';
import { traceIdOfNo } from '../store/trace-search.ts';
import { ServiceMapCache } from './service-map.ts';
import { withOwners, type ServiceMap, type OperationStats } from '../core/analysis/service-map.ts';
import type { TraceSearchRequest, TraceSearchReply } from './wire/trace-search.ts';
import { sloServiceOperations, type SloServiceOperations } from '../store/slo-view-queries.ts';
import type { SloDefinition } from '../core/analysis/slo.ts';
import type { BudgetTree } from '../core/analysis/budgets.ts';
import { AggregateJob } from './aggregate.ts';
import { entryChoices } from '../store/cohort-spans.ts';
import type { AggregateProgress, AggregateRequest, BubbleUpReply, EntryChoice, TraceCompareReply } from './wire/aggregate.ts';
import { compareTraceView } from './trace-compare.ts';
import { bubbleUpView } from './bubble-up.ts';
import { groupedOperations, setOperationGrouping, type GroupedOperation } from '../store/operations.ts';
import { rootCausesView } from './root-causes.ts';
import type { RootCauseFilter, RootCausesView } from './wire/root-causes.ts';
import * as items from '../store/workspace-items.ts';
import { streamSave } from './save-targets.ts';
import type { SaveTarget } from './protocol.ts';
import type { SavedSlo, Note, NoteAnchor } from '../store/workspace-items.ts';
import { setNote } from './notes.ts';
import { ownershipView, setServiceAlias, catalogYaml } from './ownership.ts';
import { pageView } from './page.ts';
import { reportModel, type ReportRequest } from './report.ts';
import type { ReportModel } from '../core/analysis/report.ts';
import { reportDraft, saveReportDraft, type ReportDraft } from '../store/report-draft.ts';
import type { PageRequest, PageView } from './wire/page.ts';
import { redactionPreview, redactedWorkspace, redactedOtlp, type RedactionPreview } from './redact.ts';
import type { RedactionRules } from '../core/analysis/redact.ts';
import type { OwnershipView } from '../core/analysis/ownership.ts';

/** A pipelined import's store side: rows arrive as ops from the parse worker (parse-core.ts). */
interface RemoteJob {
  ingest: StoreIngest;
  /** Settles when the parse worker says the job's rows are all sent (or an op failed). */
  ended: Promise<void>;
  end(): void;
  fail(e: unknown): void;
  failed: boolean;
}

export class EngineCore {
  private readonly jobs = new Map<number, ImportJob>();
  private readonly remote = new Map<number, RemoteJob>();

  /** The workspace: replaced whole when a saved one is opened (openWorkspace). */
  constructor(public store: Store) {}

  // ---- import: begin, chunks, end or cancel. With `pipelined`, the chunks go to the parse
  // worker instead, and its rows arrive here through ingestOp.
  importBegin(jobId: number, fileName: string, size: number | null, options?: ImportOptions, pipelined = false): void {
    if (this.jobs.size + this.remote.size > 0) throw new Error('an import is already running');
    if (!pipelined) {
      this.jobs.set(jobId, new ImportJob(this.store, fileName, size, options));
      return;
    }
    let end!: () => void;
    let fail!: (e: unknown) => void;
    const ended = new Promise<void>((resolve, reject) => {
      end = resolve;
      fail = reject;
    });
    const job: RemoteJob = { ingest: new StoreIngest(this.store), ended, end, fail: (e) => ((job.failed = true), fail(e)), failed: false };
    ended.catch(() => {}); // observed by importEnd
    this.remote.set(jobId, job);
  }

  importChunk(jobId: number, bytes: Uint8Array): ImportProgress {
    return this.#job(jobId).push(bytes);
  }

  importEnd(jobId: number): SourceReport[] | Promise<SourceReport[]> {
    const remote = this.remote.get(jobId);
    if (remote) {
      return remote.ended.then(
        () => {
          this.remote.delete(jobId);
          return remote.ingest.commit();
        },
        (e: unknown) => {
          this.importCancel(jobId);
          throw e;
        },
      );
    }
    const job = this.#job(jobId);
    this.jobs.delete(jobId);
    return job.end();
  }

  importCancel(jobId: number): void {
    const remote = this.remote.get(jobId);
    if (remote) {
      this.remote.delete(jobId);
      remote.ingest.rollback();
      return;
    }
    const job = this.jobs.get(jobId);
    if (!job) return;
    this.jobs.delete(jobId);
    job.cancel();
  }

  /** One op of a pipelined import, from the parse worker. Ops of a cancelled job are dropped. */
  ingestOp(op: IngestOp): void {
    const job = this.remote.get(op.job);
    if (!job || job.failed) return;
    try {
      const t = job.ingest;
      if (op.op === 'spans') t.addSpanRows(op.rows);
      else if (op.op === 'logs') t.addLogRows(op.rows);
      else if (op.op === 'begin-file') t.beginFile(op.name, op.size);
      else if (op.op === 'finish-file') t.finishFile(op.meta);
      else if (op.op === 'findings') t.addFindings(op.findings);
      else if (op.op === 'catalog') t.addCatalogEntries(op.entries);
      else job.end();
    } catch (e) {
      job.fail(e);
    }
  }

  /** A true private method (#): not on the prototype, so never callable through the protocol. */
  #job(jobId: number): ImportJob {
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

  /** How full the workspace is against its memory budget (store.ts STORE_BUDGET). */
  storeBudget(): StoreBudget {
    return this.store.budget();
  }

  /** The service of a log file's lines that name none; lines are joined to spans again. */
  setFileService(fileId: number, service: string | null): { exact: number; inferred: number } {
    const r = setFileService(this.store, fileId, service === null || service.trim() === '' ? null : service.trim());
    this.logViewCache = null; // services of lines changed
    return r;
  }

  listTraces(opts: { offset: number; limit: number; sort?: q.TraceSort }): q.TraceRow[] {
    return q.listTraces(this.store, opts);
  }

  private traceSearcher: TraceSearch | null = null;

  /** The traces meeting a search (core/analysis/trace-query.ts), one page of them in the order asked. */
  searchTraces(req: TraceSearchRequest): TraceSearchReply {
    return (this.traceSearcher ??= new TraceSearch(this.store)).search(req);
  }

  /** The traces a search finds as the latency scatter's series, ready to draw, and the histogram of their durations. */
  traceScatter(query: string, bins = 12): TraceScatter {
    const p = (this.traceSearcher ??= new TraceSearch(this.store)).scatter(query);
    const { data, bounds } = seriesOf(p);
    return handOver({ traceNo: p.traceNo, data, bounds, bins: durationBins(p, bins, bounds) }, p.traceNo, ...data);
  }

  /** The id of a trace by its number (a scatter point clicked), or null. */
  traceIdByNo(traceNo: number): string | null {
    return traceIdOfNo(this.store, traceNo);
  }

  /** What a search cohort of the aggregates reads: the numbers of the traces a query finds (not an engine request). */
  private readonly searchTraceNos = (query: string): number[] => (this.traceSearcher ??= new TraceSearch(this.store)).traceNos(query);

  private serviceMapCache: ServiceMapCache | null = null;

  /** Services as nodes, calls between them as edges with counts, errors and p50/p99 of the calls. */
  /** The map with each node's owner as the ownership answer has it now (an alias set or a catalog added shows at the next request). */
  serviceMap(): ServiceMap {
    return withOwners((this.serviceMapCache ??= new ServiceMapCache(this.store)).map(), ownershipView(this.store).services);
  }

  /** Spans, errors and p50/p99 of each operation (of one service, or of all). */
  operationStats(service?: string): OperationStats[] {
    return (this.serviceMapCache ??= new ServiceMapCache(this.store)).operations(service);
  }

  /** The SQL console's example questions (SQL lives in the store). */
  sqlExamples(): readonly SqlExample[] {
    return SQL_EXAMPLES;
  }

  /** Read-only SQL a user typed (`tracedeck query`). */
  sql(sql: string, params: SqlValue[] = []): q.SqlResult {
    return q.runReadOnlySql(this.store, sql, params);
  }

  // ---- one trace: its rows, its critical and error paths, a span in full, search, logs
  /** The last trace opened, kept so its analyses reuse the columns and tree (stamp: traceStamp). */
  private openedTrace: { traceId: string; stamp: string; opened: OpenedTrace } | null = null;

  /**
   * One trace's rows: spans, tree, self times and findings, packed for the trip to the UI thread
   * (unpack with unpackTraceView). Its critical and error paths come from traceAnalyses.
   */
  traceView(traceId: string): TraceViewWire | null {
    const opened = openTrace(this.store, traceId);
    this.openedTrace = opened && { traceId, stamp: traceStamp(this.store, traceId), opened };
    return opened && packTraceView(opened.view);
  }

  /** The critical path and error path of a trace, from what traceView kept when it is still current. */
  traceAnalyses(traceId: string): TraceAnalyses | null {
    const kept = this.openedTrace;
    const opened = kept && kept.traceId === traceId && kept.stamp === traceStamp(this.store, traceId) ? kept.opened : openTrace(this.store, traceId);
    return opened && traceAnalyses(this.store, opened);
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
  // ---- log lines: merged, filtered lines paged through a per-filter order; search
  // positions in that order; the full-text index grows in bounded steps between requests.
  private logViewCache: LogViewCache | null = null;

  logCount(filter: LogFilter): number {
    return (this.logViewCache ??= new LogViewCache(this.store)).orderOf(filter).length;
  }

  logPage(filter: LogFilter, offset: number, limit: number): LogLine[] {
    return (this.logViewCache ??= new LogViewCache(this.store)).page(filter, offset, Math.min(limit, 2000));
  }

  logFacets(): LogFacets {
    return logFacets(this.store);
  }

  logHistogram(filter: LogFilter, maxBuckets?: number): LogHistogram {
    const only = filter.query?.trim() ? (this.logViewCache ??= new LogViewCache(this.store)).match(filter, filter.query).rows : null;
    return logHistogram(this.store, filter, maxBuckets, only);
  }

  /**
   * Positions (in the filtered view) of the lines a log search matches, with what the query could
   * not read; complete while the full-text index builds (lines past it are read as text).
   */
  logSearch(filter: LogFilter, text: string): { positions: Int32Array; errors: QueryError[]; progress: FtsProgress } {
    const cache = (this.logViewCache ??= new LogViewCache(this.store));
    const progress = ftsProgress(this.store);
    const m = cache.match(filter, text);
    // A query with no term (only quotes or operators) matches every line: as hits that is nothing found.
    const rows = m.query.expr.kind === 'all' ? new Int32Array(0) : m.rows;
    return { positions: cache.positionsOf(filter, rows), errors: m.query.errors, progress };
  }

  /** Where a line (log row) is in the filtered view, or -1 when the filter leaves it out. */
  logPosition(filter: LogFilter, row: number): number {
    const cache = (this.logViewCache ??= new LogViewCache(this.store));
    return cache.positionsOf(filter, Int32Array.of(row))[0] ?? -1;
  }

  logRecord(row: number): LogRecordView | null {
    return logRecord(this.store, row);
  }

  /** One bounded step of the background full-text index of logs; does nothing while an import runs. */
  ftsStep(budgetMs = 40): FtsProgress & { busy: boolean } {
    if (this.jobs.size + this.remote.size > 0) return { ...ftsProgress(this.store), busy: true };
    return { ...ftsStep(this.store, Math.min(Math.max(budgetMs, 1), 200)), busy: false };
  }

  /** The same for the span search index (store/span-index.ts). */
  searchIndexStep(budgetMs = 40): SpanIndexProgress & { busy: boolean } {
    if (this.jobs.size + this.remote.size > 0) return { ...spanIndexProgress(this.store), busy: true };
    return { ...spanIndexStep(this.store, Math.min(Math.max(budgetMs, 1), 200)), busy: false };
  }
  // ---- SLOs
  /** Services and their most frequent operations with counts, for the SLO form. */
  sloOperations(): SloServiceOperations[] {
    return sloServiceOperations(this.store);
  }

  /** Evaluate one SLO over the loaded data, with its chart series. */
  sloEvaluate(definition: SloDefinition): SloEvaluationView {
    return evaluateSloView(this.store, definition);
  }

  /** The budget tree each downstream on the entry's critical paths must hold. */
  sloDerive(definition: SloDefinition, options: DeriveRequest = {}): SloDeriveView {
    return deriveSloView(this.store, definition, options);
  }

  /** The budgets as OpenSLO, of the kind of `entry` (the definition they were derived from). */
  sloBudgetsYaml(tree: BudgetTree, entry: SloDefinition): string {
    return budgetsOpenSlo(tree, entry);
  }

  /** Read an OpenSLO v1 or Sloth prometheus/v1 file's text. */
  sloImportYaml(text: string): SloFileImport {
    return importSloText(text);
  }

  sloExportYaml(items: ImportedSloItem[], format: 'openslo' | 'sloth' = 'openslo'): string {
    return exportSloText(items, format);
  }

  // ---- across traces: the aggregate critical path of a cohort (or two, with their diff) runs in
  // bounded steps: start, then step until the reply comes (EngineClient.runAggregate does this).
  // One aggregate at a time: a start replaces the one running.
  private aggregateJob: AggregateJob | null = null;
  private aggregateJobs = 0;

  /** The operations traces start with, most traces first, for the Across traces screen. */
  aggregateEntries(): EntryChoice[] {
    return entryChoices(this.store);
  }

  aggregateStart(request: AggregateRequest): AggregateProgress {
    this.aggregateJob = new AggregateJob(this.store, ++this.aggregateJobs, request, this.searchTraceNos);
    return this.aggregateJob.progress;
  }

  /** Go on with aggregate `job` for about `budgetMs`; the progress carries the reply once done. */
  aggregateStep(job: number, budgetMs = 50): AggregateProgress {
    const j = this.aggregateJob;
    if (!j || j.id !== job) throw new Error(`aggregate ${job} was cancelled or replaced`);
    const p = j.step(Math.min(Math.max(budgetMs, 1), 1000));
    if (p.reply) this.aggregateJob = null;
    return p;
  }

  aggregateCancel(job: number): void {
    if (this.aggregateJob?.id === job) this.aggregateJob = null;
  }

  /** Attribute values over-represented in a cohort's traces against the rest (or `vs`), on a sample of each. */
  bubbleUp(request: AggregateRequest): BubbleUpReply {
    return bubbleUpView(this.store, request, this.searchTraceNos);
  }

  /** Two traces aligned by operation path: spans only in A, only in B, in both; duration differences. */
  compareTraces(traceA: string, traceB: string): TraceCompareReply {
    return compareTraceView(this.store, traceA, traceB);
  }

  // ---- across traces
  /** The common root causes of the failing requests of a cohort (all roots, or an operation's entries; a time window). */
  rootCauses(filter: RootCauseFilter = {}): RootCausesView {
    return rootCausesView(this.store, filter);
  }

  // ---- operations: span names grouped into operations (core/model/operation.ts), and undoing a grouping
  /** The groupings made: operations whose spans carry ids in their names, with examples. */
  groupedOperations(limit?: number): GroupedOperation[] {
    return groupedOperations(this.store, limit);
  }

  /** Undo (grouped = false) or restore a grouping; kept in the workspace and applied by every analysis. */
  setOperationGrouping(service: string, operation: string, grouped: boolean): void {
    setOperationGrouping(this.store, service, operation, grouped);
    this.openedTrace = null;
  }

  // ---- ownership
  /** Who owns each loaded service (the catalog mapped onto the traces), unowned services, entries never seen. */
  ownership(): OwnershipView {
    return ownershipView(this.store);
  }

  /**
   * Who to page for a window: owners of the nodes where its failing requests began, then of those
   * whose critical-path time grew against the window before; with on-call, chat and runbook.
   */
  whoToPage(request: PageRequest = {}): PageView {
    return pageView(this.store, request);
  }

  // ---- the postmortem report
  /** What the workspace shows about a window, for the report view and `tracedeck report` (rendered by core/analysis/report-render.ts). */
  reportModel(request: ReportRequest): ReportModel {
    return reportModel(this.store, request);
  }

  /** The report the user is writing, as saved in the workspace (null before the first edit). */
  reportDraft(): ReportDraft | null {
    return reportDraft(this.store);
  }

  saveReportDraft(draft: ReportDraft): void {
    saveReportDraft(this.store, draft);
  }

  /** Map a trace service to a catalog entry by hand (null removes the alias); the ownership that results. */
  setServiceAlias(service: string, entry: string | null): OwnershipView {
    return setServiceAlias(this.store, service, entry);
  }

  /** The catalog as Backstage YAML with the observed dependencies as dependsOn. */
  catalogYaml(): string {
    return catalogYaml(this.store, (this.serviceMapCache ??= new ServiceMapCache(this.store)).map().edges);
  }

  // ---- redaction before sharing
  /** What the rules would replace: counts, cells changed, and examples with their pseudonyms. */
  redactPreview(rules: RedactionRules): RedactionPreview {
    return redactionPreview(this.store, rules);
  }

  /** A copy of the workspace with every text matching the rules replaced by stable pseudonyms (a fresh key each time). */
  exportRedactedWorkspace(rules: RedactionRules): Uint8Array {
    return redactedWorkspace(this.store, rules);
  }

  /** The traces, redacted the same way, as OTLP/JSON lines that any OTLP reader (and Tracedeck) opens. */
  exportRedactedOtlp(rules: RedactionRules): string {
    return redactedOtlp(this.store, rules);
  }

  // ---- the workspace file (store/workspace-file.ts): open, save, and the user's work in it
  /**
   * Replace the workspace by a saved one. A file that is not a workspace this version reads throws
   * a message naming it, and the workspace loaded stays as it was.
   */
  openWorkspace(bytes: Uint8Array, name: string): q.Totals & { problems: string[] } {
    if (this.jobs.size + this.remote.size > 0) throw new Error(`${name}: an import is running; open the workspace when it is done`);
    // The bytes are the engine's now (a worker receives them transferred): the store keeps them as its file.
    const next = Store.create(this.store.sql, bytes, name, { handOver: true });
    const old = this.store;
    this.store = next;
    old.close();
    // Every cache of the old workspace goes with it.
    this.logViewCache = null;
    this.openedTrace = null;
    this.traceSearcher = null;
    this.serviceMapCache = null;
    this.aggregateJob = null;
    return { ...q.totals(next), problems: this.workspaceProblems(name) };
  }

  /** What of the user's work in this workspace cannot be read, each in words naming the file (`name`). */
  workspaceProblems(name: string): string[] {
    return items.workspaceProblems(this.store, name);
  }

  /** The whole workspace as a SQLite file in one array (the SQL console's worker opens it), with the view state given saved in it. */
  exportWorkspace(view?: unknown): Uint8Array {
    if (view !== undefined) items.setViewState(this.store, view);
    return this.store.export();
  }

  /** Save the workspace, with the view state given, by streaming it to a file (engine/save-targets.ts); resolves with its size. */
  async saveWorkspace(to: SaveTarget, view?: unknown): Promise<number> {
    if (view !== undefined) items.setViewState(this.store, view);
    return streamSave(this.store, to);
  }

  /** The view state saved in the workspace (null when none was). */
  viewState(): unknown {
    return items.viewState(this.store);
  }

  /** SLOs defined in this workspace, in the order they were added. */
  sloList(): SavedSlo[] {
    return items.listSlos(this.store);
  }

  /** Keep SLOs in the workspace; returns them with their ids. */
  sloAdd(slos: Omit<SavedSlo, 'id'>[]): SavedSlo[] {
    const ids = new Set(items.addSlos(this.store, slos));
    return items.listSlos(this.store).filter((s) => ids.has(s.id));
  }

  sloRemove(id: number): void {
    items.removeSlo(this.store, id);
  }

  /** Notes and stars, oldest first. */
  notes(): Note[] {
    return items.listNotes(this.store);
  }

  /**
   * Star, unstar or write the note on a span, trace, log line or time range: one note per anchor.
   * A note neither starred nor written is removed. Returns every note.
   */
  noteSet(anchor: NoteAnchor, changes: { starred?: boolean; body?: string }): Note[] {
    return setNote(this.store, anchor, changes);
  }

  noteRemove(id: number): Note[] {
    items.removeNote(this.store, id);
    return items.listNotes(this.store);
  }
}

/** The method names the protocol may call: public methods of EngineCore only. */
export type EngineMethod = Exclude<keyof EngineCore, 'store'>;
export const ENGINE_METHODS: readonly EngineMethod[] = Object.getOwnPropertyNames(EngineCore.prototype).filter(
  (m) => m !== 'constructor',
) as EngineMethod[];

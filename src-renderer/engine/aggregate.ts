// The aggregate critical path of one or two cohorts of an entry operation's requests, computed in
// bounded steps: the job picks the requests and the cohorts' members when it starts, then each
// step reads chunks of traces (store/cohort-spans.ts) until its time budget is spent, computes
// each request's critical path once and adds it to the cohorts it belongs to. The reply types
// are in wire/aggregate.ts; the client runs the steps (EngineClient.runAggregate).

import type { Store } from '../store/store.ts';
import { entryRequests, readTraceChunk, type EntryRequests, type TraceChunk } from '../store/cohort-spans.ts';
import { cohortQueries, selectCohort, type Cohort } from '../core/analysis/cohort.ts';
import { CriticalPathTotals, diffAggregates, requestSections } from '../core/analysis/aggregate.ts';
import { forestPrecisions } from '../core/analysis/precision.ts';
import { OperationKeys, OperationPaths } from '../core/analysis/operation-paths.ts';
import { spanOperations, type OperationCatalog } from '../core/analysis/operations.ts';
import { operationCatalog } from '../store/operations.ts';
import { buildForestFromIdParents } from '../core/model/tree.ts';
import type { ParentRef, SpanKind } from '../core/model/trace.ts';
import { flagKind, flagParentRef } from '../core/model/span-codes.ts';
import type { AggregateProgress, AggregateReply, AggregateRequest, CohortResult } from './wire/aggregate.ts';

/** Traces read per query: small enough that a step overruns its budget by little. */
const CHUNK = 256;
/** Flame paths under this share of a cohort's time are left out of the reply (still in every sum), and past this many. */
const FLAME_MIN_SHARE = 0.0005;
const FLAME_MAX_NODES = 2000;

/** The trace numbers a trace search finds (EngineCore's TraceSearch.traceNos). */
export type SearchTraceNos = (query: string) => readonly number[];

/**
 * The requests of an aggregate's entry operation, with the traces of every search its cohorts
 * name looked up: what selectCohort reads (the aggregate and the attribute comparison both).
 */
export function cohortRequests(store: Store, request: AggregateRequest, search: SearchTraceNos): EntryRequests {
  const requests = entryRequests(store, request.entry);
  const queries = [request.cohort, ...(request.vs ? [request.vs] : [])].flatMap((c: Cohort) => cohortQueries(c));
  if (queries.length > 0) requests.found = new Map(queries.map((q) => [q, new Set(search(q))]));
  return requests;
}

export class AggregateJob {
  private readonly requests: EntryRequests;
  private readonly inA: Uint8Array;
  private readonly inB: Uint8Array | null;
  /** Indexes (into requests) of the traces to read, in trace order. */
  private readonly todo: Int32Array;
  private next = 0;
  private readonly keys = new OperationKeys();
  private readonly paths = new OperationPaths();
  private readonly a: CriticalPathTotals;
  private readonly b: CriticalPathTotals | null;
  private readonly ms = { select: 0, read: 0, compute: 0 };
  private readonly catalog: OperationCatalog;
  private reply: AggregateReply | null = null;

  constructor(
    private readonly store: Store,
    readonly id: number,
    private readonly request: AggregateRequest,
    search: SearchTraceNos,
  ) {
    const t0 = performance.now();
    this.catalog = operationCatalog(store);
    this.requests = cohortRequests(store, request, search);
    this.inA = selectCohort(this.requests, request.cohort);
    this.inB = request.vs ? selectCohort(this.requests, request.vs) : null;
    const todo: number[] = [];
    for (let k = 0; k < this.inA.length; k++) if (this.inA[k] || this.inB?.[k]) todo.push(k);
    this.todo = Int32Array.from(todo);
    this.a = new CriticalPathTotals(this.keys, this.paths);
    this.b = this.inB ? new CriticalPathTotals(this.keys, this.paths) : null;
    this.ms.select = performance.now() - t0;
  }

  get progress(): AggregateProgress {
    return { job: this.id, done: this.next, total: this.todo.length, reply: this.reply };
  }

  /** Read and add traces until `budgetMs` is spent (at least one chunk), or all are done. */
  step(budgetMs: number): AggregateProgress {
    const until = performance.now() + budgetMs;
    while (this.next < this.todo.length) {
      const chunk = this.todo.subarray(this.next, Math.min(this.todo.length, this.next + CHUNK));
      const t0 = performance.now();
      const rows = readTraceChunk(this.store, Array.from(chunk, (k) => this.requests.traceNo[k]), this.requests.baseNs, this.catalog);
      const t1 = performance.now();
      this.addChunk(chunk, rows);
      this.ms.read += t1 - t0;
      this.ms.compute += performance.now() - t1;
      this.next += chunk.length;
      if (performance.now() >= until) break;
    }
    if (this.next >= this.todo.length && !this.reply) this.reply = this.finish();
    return this.progress;
  }

  /** One chunk's traces as one forest: their critical paths in one walk, added to the cohorts. */
  private addChunk(chunk: Int32Array, rows: TraceChunk): void {
    const n = rows.spanRow.length;
    const kind = new Array<SpanKind>(n);
    for (let i = 0; i < n; i++) kind[i] = flagKind(rows.flags[i]);
    const idsOf = (k: number) => {
      const ids = rows.ids.get(k);
      if (!ids) return null;
      const [a, b] = [rows.first[k], rows.first[k + 1]];
      return { ...ids, kind: kind.slice(a, b), start: rows.start.subarray(a, b) };
    };
    const tree = buildForestFromIdParents(rows.idParent, rows.first, rows.start, idsOf);
    const names = spanOperations({ opId: rows.opId, name: rows.name, service: rows.service, kind }, tree, this.catalog);
    const key = new Int32Array(n);
    for (let i = 0; i < n; i++) key[i] = this.keys.id(names.node[i], names.operation[i]);
    // Each trace's request (chunk and rows are both in trace order) and its entry span.
    const entries: number[] = [];
    const inA = new Uint8Array(n);
    const inB = new Uint8Array(n);
    let countA = 0;
    let countB = 0;
    let k = 0;
    for (let t = 0; t < rows.traceNo.length; t++) {
      while (k < chunk.length && this.requests.traceNo[chunk[k]] < rows.traceNo[t]) k++;
      const req = chunk[k];
      const a = rows.first[t];
      const b = rows.first[t + 1];
      // The first span with the entry span's id: where ids repeat, that one may come before it.
      let entry = -1;
      for (let i = a; i < b; i++) if (rows.spanRow[i] === this.requests.entrySpanRow[req]) (entry = i), (i = b);
      const ids = rows.ids.get(t);
      if (ids && entry >= 0) entry = a + ids.spanId.indexOf(ids.spanId[entry - a]);
      if (entry < 0) continue;
      entries.push(entry);
      if (this.inA[req]) (inA.fill(1, a, b), countA++);
      if (this.inB?.[req]) (inB.fill(1, a, b), countB++);
    }
    // Rounding is not a change of path: each trace's timestamp precision, as its own view uses.
    const precision = forestPrecisions(this.requests.baseNs, rows.start, rows.duration, rows.service, rows.first);
    const parentRef = new Array<ParentRef>(n);
    for (let i = 0; i < n; i++) parentRef[i] = flagParentRef(rows.flags[i]);
    const cols = { start: rows.start, duration: rows.duration, kind, parentRef, precision };
    const { sections, path } = requestSections(this.paths, { cols, tree, entries, key });
    this.a.add(sections, key, path, countA, inA);
    this.b?.add(sections, key, path, countB, inB);
  }

  private finish(): AggregateReply {
    const t0 = performance.now();
    const result = (totals: CriticalPathTotals, cohort: AggregateRequest['cohort']): CohortResult => ({ cohort, ...totals.result(FLAME_MIN_SHARE, FLAME_MAX_NODES) });
    const a = result(this.a, this.request.cohort);
    const b = this.b && this.request.vs ? result(this.b, this.request.vs) : null;
    const diff = b ? diffAggregates(a, b) : null;
    this.ms.compute += performance.now() - t0;
    return { entry: this.request.entry, requests: this.requests.traceNo.length, a, b, diff, timingsMs: { ...this.ms } };
  }
}

// The trace view's replies as they cross from the engine worker to the UI thread, and their
// packing. This module and the others in wire/ import only core/ (besides types), so the UI thread
// can unpack replies without loading any store code.
//
// Arrays of 100,000 strings and numbers are slow to structured-clone (about a third of opening a
// 100k-span trace); typed arrays, one string per id column and a dictionary of names clone in a
// few milliseconds. The UI unpacks to the same TraceSpans columns the analyses read.

import type { TraceFinding } from '../../store/trace-detail.ts';
import type { CpSummaryRow } from '../../core/analysis/critical-path.ts';
import type { ErrException } from '../../core/analysis/error-path.ts';
import { packSpanFlags, flagIsError } from '../../core/model/span-codes.ts';
import { NO_PARENT, defineFlagColumns, lazyColumn, unpackIds, type TraceColumns, type TraceSpans, type SpanNodes } from '../../core/model/span-columns.ts';

/** The critical path in sections (section k: span[k] from start[k] to end[k], offsets in ns), with its time per service and operation. */
export interface TraceCritical {
  span: Int32Array;
  start: Float64Array;
  end: Float64Array;
  byService: CpSummaryRow[];
  byOperation: CpSummaryRow[];
}

export interface TraceErrorPath {
  /** Span indexes from the starting span down to the last span reached. */
  path: number[];
  rootCause: number | null;
  summary: string;
  /** The root cause's own words (status message, else its first exception). */
  message: string;
  /** Per span of the path: its words when it is in error, else its status message. */
  messages: string[];
  /** The root cause's exceptions. */
  exceptions: ErrException[];
  /** Every error origin (a span in error with none below it), with its path from its root; `path` above is origins[primary]'s. */
  origins: { span: number; path: number[]; reachedRoot: boolean; message: string }[];
  /** Index into origins of the error path's: the one whose failure reached the root, else the latest to end; -1 without errors. */
  primary: number;
}

/** What the first screen needs: rows and bars. The analyses follow in a second request. */
export interface TraceViewData {
  traceId: string;
  /** Epoch ns of the earliest start, decimal string; every offset below is from it. */
  startNs: string;
  durationNs: number;
  /** The spans, with the operation and node each is grouped by (core/analysis/operations.ts). */
  spans: TraceSpans & SpanNodes;
  parent: Int32Array;
  childStart: Int32Array;
  childList: Int32Array;
  /** Depth-first pre-order of span indexes, and each span's depth. */
  order: Int32Array;
  depth: Int32Array;
  /** Number of spans in each span's subtree, itself included (its run in `order`). */
  subtree: Int32Array;
  /** Each span's own time: its duration less the union of its children's (clipped) intervals. */
  selfNs: Float64Array;
  findings: TraceFinding[];
  timingsMs: { query: number; tree: number };
}

/** The critical path and the error path of an opened trace, computed from the tree it was opened with. */
export interface TraceAnalyses {
  traceId: string;
  /** Spans of the view the indexes below refer to (a trace that grew since it was opened is opened anew). */
  spanCount: number;
  critical: TraceCritical;
  errorPath: TraceErrorPath;
  timingsMs: { criticalPath: number; errorPath: number };
}

const ID = 16;

export interface PackedSpans {
  traceId: string;
  startNs: string;
  spanRow: Float64Array;
  /** All span ids, 16 characters each, concatenated; or the plain list when some id is not canonical. */
  spanIds: string | (string | null)[];
  parentIds: string | (string | null)[];
  /** Names, services, operations and nodes, each once. */
  strings: string[];
  name: Int32Array;
  service: Int32Array;
  operation: Int32Array;
  node: Int32Array;
  /** One byte per span: kind, status, error and parent reference (core/model/span-codes.ts). */
  flags: Uint8Array;
  start: Float64Array;
  duration: Float64Array;
}

function packIds(ids: readonly (string | null)[]): string | (string | null)[] {
  for (const id of ids) if (id !== null && id.length !== ID) return [...ids];
  return ids.map((id) => id ?? NO_PARENT).join('');
}

function idList(packed: string | (string | null)[], n: number, nullable: boolean): (string | null)[] {
  return typeof packed === 'string' ? unpackIds(packed, n, nullable) : packed;
}

/** What the store already packed (TraceColumns: packedIds, codes) goes as it is. */
export function packSpans(s: TraceColumns & SpanNodes): PackedSpans {
  const n = s.start.length;
  const ids = {
    traceId: s.traceId, startNs: s.startNs, spanRow: Float64Array.from(s.spanRow), spanIds: s.packedIds?.spanIds ?? packIds(s.spanId),
    parentIds: s.packedIds?.parentIds ?? packIds(s.parentSpanId), start: Float64Array.from(s.start), duration: Float64Array.from(s.duration),
  };
  const operation = new Int32Array(n);
  const node = new Int32Array(n);
  if (s.codes && s.codes.flags.length === n) {
    // Operations and nodes are mostly names and services already in the dictionary.
    const strings = s.codes.strings.slice();
    const index = new Map<string, number>(strings.map((v, k) => [v, k]));
    const intern = (v: string): number => {
      let k = index.get(v);
      if (k === undefined) index.set(v, (k = strings.push(v) - 1));
      return k;
    };
    for (let i = 0; i < n; i++) {
      operation[i] = intern(s.operation[i]);
      node[i] = intern(s.node[i]);
    }
    return { ...ids, strings, name: s.codes.name, service: s.codes.service, operation, node, flags: s.codes.flags };
  }
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (v: string): number => {
    let k = index.get(v);
    if (k === undefined) {
      k = strings.length;
      strings.push(v);
      index.set(v, k);
    }
    return k;
  };
  const name = new Int32Array(n);
  const service = new Int32Array(n);
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    name[i] = intern(s.name[i]);
    service[i] = intern(s.service[i]);
    operation[i] = intern(s.operation[i]);
    node[i] = intern(s.node[i]);
    flags[i] = packSpanFlags(s.kind[i], s.status[i], s.isError[i], s.parentRef[i]);
  }
  return { ...ids, strings, name, service, operation, node, flags };
}

/**
 * The UI's TraceSpans. Columns the first screen does not read (parent ids, parent references,
 * kinds, statuses: the span detail shows them for one span) are made on first use: at 100,000
 * spans, making them up front would be a third of the unpacking.
 */
export function unpackSpans(p: PackedSpans): TraceSpans & SpanNodes {
  const n = p.name.length;
  const spanRow = new Array<number>(n);
  const start = new Array<number>(n);
  const duration = new Array<number>(n);
  const name = new Array<string>(n);
  const service = new Array<string>(n);
  const operation = new Array<string>(n);
  const node = new Array<string>(n);
  const isError = new Array<boolean>(n);
  const { flags, strings } = p;
  // One loop instead of Array.from over the typed arrays (an iterator per call: ~10 ms each at 100k).
  for (let i = 0; i < n; i++) {
    spanRow[i] = p.spanRow[i];
    start[i] = p.start[i];
    duration[i] = p.duration[i];
    name[i] = strings[p.name[i]];
    service[i] = strings[p.service[i]];
    operation[i] = strings[p.operation[i]];
    node[i] = strings[p.node[i]];
    isError[i] = flagIsError(flags[i]);
  }
  const out = {
    traceId: p.traceId, startNs: p.startNs, spanRow, spanId: idList(p.spanIds, n, false), name, service, operation, node, isError, start, duration,
  } as unknown as TraceSpans & SpanNodes;
  lazyColumn(out, 'parentSpanId', () => idList(p.parentIds, n, true));
  defineFlagColumns(out, flags, ['kind', 'status', 'parentRef']);
  return out;
}

/** What crosses from the worker: the trace view with the span columns packed. */
export type TraceViewWire = Omit<TraceViewData, 'spans'> & { spans: PackedSpans };

export function packTraceView(v: TraceViewData): TraceViewWire {
  const { spans, ...rest } = v;
  return { ...rest, spans: packSpans(spans) };
}

export function unpackTraceView(w: TraceViewWire): TraceViewData {
  return { ...w, spans: unpackSpans(w.spans) };
}

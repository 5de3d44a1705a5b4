// Canonical records as the rows the store inserts. Built where the records are read: in the
// engine worker, or in the parse worker when an import is pipelined across both cores. Rows are
// packed (packed.ts): typed arrays and one string, which cross between workers without a deep
// copy and go into SQLite without a per-value allocation. Store.addSpanRows / addLogRows apply them.

import { SEVERITY_CODES } from './schema.ts';
import { kindCode, statusCode, parentRefCode } from '../core/model/span-codes.ts';
import { stringifyExact, capDepth } from '../core/base/json.ts';
import { traceIdLow64 } from '../core/base/ids.ts';
import type { Span, Resource, Scope } from '../core/model/trace.ts';
import { isErrorSpan } from '../core/model/span-error.ts';
import { spanOperation } from '../core/model/operation.ts';
import type { LogRecord } from '../core/model/log.ts';
import { RowPacker, packedBuffers, type PackedRows } from './packed.ts';

/** Columns of a span row, in INSERT order (see Store). */
export const SPAN_COLUMNS = 22;
/** Where a span row keeps what the store reads back for its summaries. */
export const SPAN = {
  file: 0, traceId: 1, spanId: 2, parent: 3, parentRef: 4, name: 5, service: 6, kind: 7, start: 8, duration: 9, status: 10, isError: 12, resource: 14,
  scope: 15, traceNo: 20, op: 21,
} as const;
/** Columns of an event row (span index in the batch, time, name, attributes) and of a link row
 *  (span index in the batch, trace id, span id, attributes). The store turns the index into the span's row id. */
export const EVENT_COLUMNS = 4;
export const LINK_COLUMNS = 4;

export interface SpanRows {
  /** SPAN_COLUMNS cells per span. The file and trace number columns are 0, the resource column an
   *  index into `resources` and the scope column an index into `scopes` (or null): the store fills them in.
   *  Start times are decimal text (64 bits do not fit a double). */
  cells: PackedRows;
  /** Scope name and version, two entries per scope. */
  scopes: string[];
  /** Resource attributes as JSON (the store's dedupe key), and the service each names. */
  resources: string[];
  resourceServices: string[];
  /** The batch's operations (core/model/operation.ts), four entries each: service, operation,
   *  peer, rule. A row's op column is an index into them; the store turns it into an op_id. */
  operations: string[];
  events: PackedRows;
  links: PackedRows;
}

/** What to transfer (not copy) when posting rows to another worker. */
export function spanRowBuffers(r: SpanRows): ArrayBuffer[] {
  return [...packedBuffers(r.cells), ...packedBuffers(r.events), ...packedBuffers(r.links)];
}

const SEVERITY_INDEX = new Map<string, number>(SEVERITY_CODES.map((k, i) => [k, i]));

/** Attributes as stored: JSON, nested at most MAX_JSON_DEPTH deep (core/base/json.ts). */
export function attrsJson(a: Record<string, unknown>): string | null {
  for (const _ in a) return stringifyExact(capDepth(a));
  return null;
}

export function toSpanRows(spans: readonly Span[]): SpanRows {
  const n = spans.length;
  const cells = new RowPacker(n, SPAN_COLUMNS);
  let eventCount = 0;
  let linkCount = 0;
  for (const s of spans) {
    eventCount += s.events.length;
    linkCount += s.links.length;
  }
  const events = new RowPacker(eventCount, EVENT_COLUMNS);
  const links = new RowPacker(linkCount, LINK_COLUMNS);
  const resources: string[] = [];
  const resourceServices: string[] = [];
  const scopes = new BatchScopes();
  let lastResource: Resource | null = null;
  let lastKey = -1;
  let lastScope: Scope | null = null;
  let lastScopeKey: number | null = null;
  const keys = new Map<string, number>();
  const ops = new BatchOperations();
  for (let i = 0; i < n; i++) {
    const s = spans[i];
    // Importers normalise ids (core/base/ids.ts); readers of the store rely on the widths.
    if (s.traceId.length !== 32 || s.spanId.length !== 16 || (s.parentSpanId !== null && s.parentSpanId.length !== 16)) {
      throw new Error(`span ${s.spanId} of trace ${s.traceId}: ids are not in canonical form (an importer bug)`);
    }
    if (s.resource !== lastResource) {
      lastResource = s.resource;
      const json = resourceJson(s.resource);
      let k = keys.get(json);
      if (k === undefined) {
        k = resources.length;
        keys.set(json, k);
        resources.push(json);
        resourceServices.push(s.service);
      }
      lastKey = k;
    }
    if (s.scope !== lastScope) {
      lastScope = s.scope;
      lastScopeKey = s.scope.name || s.scope.version ? scopes.of(s.scope.name, s.scope.version) : null;
    }
    cells.num(0);
    cells.text(s.traceId);
    cells.text(s.spanId);
    cells.text(s.parentSpanId);
    cells.num(parentRefCode(s.parentRef));
    cells.text(s.name);
    cells.text(s.service);
    cells.num(kindCode(s.kind));
    cells.text(s.startNs.toString());
    cells.num(s.durationNs);
    cells.num(statusCode(s.status));
    cells.text(s.statusMessage || null);
    cells.num(isErrorSpan(s) ? 1 : 0);
    cells.text(attrsJson(s.attributes));
    cells.num(lastKey);
    if (lastScopeKey === null) cells.nul();
    else cells.num(lastScopeKey);
    cells.text(s.traceIdRaw ?? null);
    cells.text(s.spanIdRaw ?? null);
    cells.num(s.events.length);
    cells.num(s.links.length);
    cells.num(0); // trace_no
    cells.num(ops.of(s));
    for (const e of s.events) {
      events.num(i);
      events.text(e.timeNs.toString());
      events.text(e.name);
      events.text(attrsJson(e.attributes));
    }
    for (const l of s.links) {
      links.num(i);
      links.text(l.traceId);
      links.text(l.spanId);
      links.text(attrsJson(l.attributes));
    }
  }
  return { cells: cells.finish(), resources, resourceServices, operations: ops.list, scopes: scopes.list, events: events.finish(), links: links.finish() };
}

/** A resource's attributes as JSON, written once per Resource object (readers share one object among the spans it covers, and across requests). */
const resourceJsons = new WeakMap<Resource, string>();
function resourceJson(r: Resource): string {
  let json = resourceJsons.get(r);
  if (json === undefined) resourceJsons.set(r, (json = stringifyExact(capDepth(r.attributes))));
  return json;
}

/**
 * The scopes of a batch (name and version, two entries each in `list`), each stored once. A batch
 * names a few, found by comparing; past SCOPES_SCANNED a Map is used (hashing a new key string
 * costs ~0.4 µs in Chromium, more than comparing a few scopes).
 */
class BatchScopes {
  readonly list: string[] = [];
  private index: Map<string, number> | null = null;

  of(name: string, version: string): number {
    const list = this.list;
    if (this.index) {
      const key = `${name}\u0000${version}`;
      let k = this.index.get(key);
      if (k === undefined) this.index.set(key, (k = this.add(name, version)));
      return k;
    }
    for (let k = 0; k < list.length; k += 2) if (list[k] === name && list[k + 1] === version) return k / 2;
    const k = this.add(name, version);
    if (k >= SCOPES_SCANNED) this.index = new Map(Array.from({ length: k + 1 }, (_, j) => [`${list[2 * j]}\u0000${list[2 * j + 1]}`, j]));
    return k;
  }

  private add(name: string, version: string): number {
    this.list.push(name, version);
    return this.list.length / 2 - 1;
  }
}

const SCOPES_SCANNED = 16;

/** The operations of a batch, four entries each in `list` (SpanRows.operations), each once. */
class BatchOperations {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  of(s: Span): number {
    const op = spanOperation(s);
    const key = `${s.service}\u0000${op.operation}\u0000${op.peer}`;
    let k = this.index.get(key);
    if (k === undefined) {
      k = this.list.length / 4;
      this.list.push(s.service, op.operation, op.peer, op.rule);
      this.index.set(key, k);
    }
    return k;
  }
}

/** Columns of a log row, in INSERT order. */
export const LOG_COLUMNS = 16;
/** The log row's trace_id_partial column (1: a 64-bit id). */
export const LOG_PARTIAL = 10;
/** The log row's scope column: an index into LogRows.scopes, or null (the store fills in the id). */
export const LOG_SCOPE = 14;

export interface LogRows {
  /** LOG_COLUMNS cells per record; the file column is 0 (the store fills it in). */
  cells: PackedRows;
  /** Scope name and version, two entries per scope. */
  scopes: string[];
}

/** What to transfer (not copy) when posting log rows to another worker. */
export function logRowBuffers(r: LogRows): ArrayBuffer[] {
  return packedBuffers(r.cells);
}

export function toLogRows(logs: readonly LogRecord[]): LogRows {
  const p = new RowPacker(logs.length, LOG_COLUMNS);
  const scopes = new BatchScopes();
  let lastScope: Scope | undefined;
  let lastScopeKey: number | null = null;
  for (const l of logs) {
    p.num(0);
    p.num(l.line);
    p.text(l.timeNs === null ? null : l.timeNs.toString());
    const sev = l.severity === null ? undefined : SEVERITY_INDEX.get(l.severity);
    if (sev === undefined) p.nul();
    else p.num(sev);
    p.text(l.severityText || null);
    p.text(l.service);
    p.text(l.message);
    p.text(l.traceId);
    p.text(l.spanId);
    p.text(l.traceIdPartial && l.traceId ? traceIdLow64(l.traceId) : null); // only partial ids join on it
    p.num(l.traceIdPartial ? 1 : 0);
    // As written, only when that differs from the canonical id (as for spans): most lines write
    // canonical ids, and every string stored costs.
    p.text(l.traceIdRaw !== l.traceId ? l.traceIdRaw : null);
    p.text(l.spanIdRaw !== l.spanId ? l.spanIdRaw : null);
    p.text(attrsJson(l.attributes));
    if (l.scope !== lastScope) {
      lastScope = l.scope;
      lastScopeKey = l.scope && (l.scope.name || l.scope.version) ? scopes.of(l.scope.name, l.scope.version) : null;
    }
    if (lastScopeKey === null) p.nul();
    else p.num(lastScopeKey);
    p.text(l.observedNs == null ? null : l.observedNs.toString());
  }
  return { cells: p.finish(), scopes: scopes.list };
}

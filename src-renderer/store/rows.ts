// Canonical records as the rows the store inserts. Built where the records are read: in the
// engine worker, or in the parse worker when an import is pipelined across both cores, where
// flat arrays of primitives are what crosses cheaply to the store (objects with nested
// attribute maps cost several times more to clone). Store.addSpanRows / addLogRows apply them.

import type { SqlValue } from 'sql.js';
import { KIND_CODES, STATUS_CODES, SEVERITY_CODES } from './schema.ts';
import { stringifyExact } from '../core/base/json.ts';
import { traceIdLow64 } from '../core/base/ids.ts';
import { isErrorSpan, type Span, type Resource } from '../core/model/trace.ts';
import type { LogRecord } from '../core/model/log.ts';

/** Columns of a span row, in INSERT order (see Store). */
export const SPAN_COLUMNS = 20;
/** Where a span row keeps what the store reads back for its summaries. */
export const SPAN = {
  file: 0, traceId: 1, spanId: 2, parent: 3, parentRef: 4, name: 5, service: 6, kind: 7, start: 8, duration: 9, status: 10, isError: 12, resource: 14,
  scope: 15,
} as const;

export interface SpanRows {
  n: number;
  /** SPAN_COLUMNS values per span. The file column is 0, the resource column an index into
   *  `resources` and the scope column an index into `scopes` (or null): the store fills in the ids.
   *  Start times are BigInt. */
  values: SqlValue[];
  /** Scope name and version, two entries per scope. */
  scopes: string[];
  /** Resource attributes as JSON (the store's dedupe key), and the service each names. */
  resources: string[];
  resourceServices: string[];
  /** Four values per event: span index in the batch, time (BigInt ns), name, attributes JSON. */
  events: SqlValue[];
  /** Four values per link: span index in the batch, trace id, span id, attributes JSON. */
  links: SqlValue[];
}

const KIND_INDEX = new Map<string, number>(KIND_CODES.map((k, i) => [k, i]));
const STATUS_INDEX = new Map<string, number>(STATUS_CODES.map((k, i) => [k, i]));
const SEVERITY_INDEX = new Map<string, number>(SEVERITY_CODES.map((k, i) => [k, i]));

export function attrsJson(a: Record<string, unknown>): string | null {
  for (const _ in a) return stringifyExact(a);
  return null;
}

export function toSpanRows(spans: readonly Span[]): SpanRows {
  const n = spans.length;
  const values: SqlValue[] = new Array(n * SPAN_COLUMNS);
  const resources: string[] = [];
  const resourceServices: string[] = [];
  const events: SqlValue[] = [];
  const links: SqlValue[] = [];
  const scopes: string[] = [];
  const scopeIndex = new Map<string, number>();
  let lastResource: Resource | null = null;
  let lastKey = -1;
  const keys = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = spans[i];
    // Importers normalise ids (core/base/ids.ts); readers of the store rely on the widths.
    if (s.traceId.length !== 32 || s.spanId.length !== 16 || (s.parentSpanId !== null && s.parentSpanId.length !== 16)) {
      throw new Error(`span ${s.spanId} of trace ${s.traceId}: ids are not in canonical form (an importer bug)`);
    }
    if (s.resource !== lastResource) {
      lastResource = s.resource;
      const json = stringifyExact(s.resource.attributes);
      let k = keys.get(json);
      if (k === undefined) {
        k = resources.length;
        keys.set(json, k);
        resources.push(json);
        resourceServices.push(s.service);
      }
      lastKey = k;
    }
    const o = i * SPAN_COLUMNS;
    values[o] = 0;
    values[o + 1] = s.traceId;
    values[o + 2] = s.spanId;
    values[o + 3] = s.parentSpanId;
    values[o + 4] = s.parentRef === 'follows_from' ? 1 : 0;
    values[o + 5] = s.name;
    values[o + 6] = s.service;
    values[o + 7] = KIND_INDEX.get(s.kind) ?? 0;
    values[o + 8] = s.startNs as unknown as SqlValue;
    values[o + 9] = s.durationNs;
    values[o + 10] = STATUS_INDEX.get(s.status) ?? 0;
    values[o + 11] = s.statusMessage || null;
    values[o + 12] = isErrorSpan(s) ? 1 : 0;
    values[o + 13] = attrsJson(s.attributes);
    values[o + 14] = lastKey;
    values[o + 15] = s.scope.name || s.scope.version ? scopeOf(scopes, scopeIndex, s.scope.name, s.scope.version) : null;
    values[o + 16] = s.traceIdRaw ?? null;
    values[o + 17] = s.spanIdRaw ?? null;
    values[o + 18] = s.events.length;
    values[o + 19] = s.links.length;
    for (const e of s.events) events.push(i, e.timeNs as unknown as SqlValue, e.name, attrsJson(e.attributes));
    for (const l of s.links) links.push(i, l.traceId, l.spanId, attrsJson(l.attributes));
  }
  return { n, values, resources, resourceServices, scopes, events, links };
}

function scopeOf(scopes: string[], index: Map<string, number>, name: string, version: string): number {
  const key = `${name}\u0000${version}`;
  let k = index.get(key);
  if (k === undefined) {
    k = scopes.length / 2;
    index.set(key, k);
    scopes.push(name, version);
  }
  return k;
}

/** Columns of a log row, in INSERT order. */
export const LOG_COLUMNS = 14;

export interface LogRows {
  n: number;
  /** LOG_COLUMNS values per line; the file column is 0 (the store fills it in). */
  values: SqlValue[];
}

export function toLogRows(logs: readonly LogRecord[]): LogRows {
  const n = logs.length;
  const v: SqlValue[] = new Array(n * LOG_COLUMNS);
  for (let i = 0; i < n; i++) {
    const l = logs[i];
    const o = i * LOG_COLUMNS;
    v[o] = 0;
    v[o + 1] = l.line;
    v[o + 2] = l.timeNs as unknown as SqlValue;
    v[o + 3] = l.severity === null ? null : (SEVERITY_INDEX.get(l.severity) ?? null);
    v[o + 4] = l.severityText || null;
    v[o + 5] = l.service;
    v[o + 6] = l.message;
    v[o + 7] = l.traceId;
    v[o + 8] = l.spanId;
    v[o + 9] = l.traceIdPartial && l.traceId ? traceIdLow64(l.traceId) : null; // only partial ids join on it
    v[o + 10] = l.traceIdPartial ? 1 : 0;
    // As written, only when that differs from the canonical id (as for spans): most lines write
    // canonical ids, and every string bound costs.
    v[o + 11] = l.traceIdRaw !== l.traceId ? l.traceIdRaw : null;
    v[o + 12] = l.spanIdRaw !== l.spanId ? l.spanIdRaw : null;
    v[o + 13] = attrsJson(l.attributes);
  }
  return { n, values: v };
}

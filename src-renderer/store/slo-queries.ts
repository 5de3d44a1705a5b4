// Reads for SLOs: the request durations and error facts of an entry service + operation, the
// data's time range, the spans of the traces holding entry spans (critical-path inputs for
// budget derivation), and service owners from resource attributes. Absolute times leave as
// offsets in ns from a base epoch (bigint), which a double holds exactly for 104 days.

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { kindOfCode, parentRefOfCode, statusOfCode } from '../core/model/span-codes.ts';
import { makeSloEvents, isErrorByRule, type ErrorRule, type SloEvents } from '../core/analysis/slo.ts';
import type { BudgetSpan } from '../core/analysis/budgets.ts';
import type { StatusCode } from '../core/model/trace.ts';
import { operationIds, operationCondition } from './operations.ts';
import { parseEpochNs, type EpochNs } from '../core/base/time.ts';

/** Which spans are the SLO's requests. With no operation: every span of the service that enters it. */
export interface SloSpanFilter {
  service: string;
  operation: string | null;
}

/** The time range of everything imported: earliest trace start, latest trace end (epoch ns). */
export function dataTimeRange(store: Store): { startNs: EpochNs; endNs: EpochNs } | null {
  const r = store.db.exec('SELECT CAST(min(start_ns) AS TEXT), CAST(max(end_ns) AS TEXT) FROM traces')[0]?.values[0];
  if (!r || r[0] === null) return null;
  return { startNs: parseEpochNs(r[0])!, endNs: parseEpochNs(r[1])! };
}

const HTTP_STATUS = `coalesce(json_extract(s.attributes, '$."http.response.status_code"'), json_extract(s.attributes, '$."http.status_code"'))`;
const ERROR_TAG = `json_extract(s.attributes, '$.error')`;
const ENTRY_ONLY = `AND (s.parent_span_id IS NULL OR NOT EXISTS (
  SELECT 1 FROM spans p WHERE p.trace_no = s.trace_no AND p.span_id = s.parent_span_id AND p.service = s.service))`;

function toHttpStatus(v: SqlValue): number | null {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * The SLO's events: end time (offset from `baseNs`), duration, and error under `rule`. Rows come
 * in table order and are sorted in JavaScript (typed arrays; far faster than ORDER BY in sql.js).
 */
export function sloEvents(store: Store, filter: SloSpanFilter, rule: ErrorRule, baseNs: EpochNs): SloEvents {
  const params: SqlValue[] = [baseNs as unknown as SqlValue];
  let where: string;
  if (filter.operation === null) {
    where = `s.service = ? ${ENTRY_ONLY}`;
    params.push(filter.service);
  } else {
    const op = operationCondition(operationIds(store, filter.service, filter.operation), filter.operation);
    where = op.sql;
    params.push(...op.params);
  }
  // Prepared anew: the op_id lists are part of the text.
  const st = store.db.prepare(`SELECT s.start_ns - ? + s.duration_ns, s.duration_ns, s.status, ${ERROR_TAG}, ${HTTP_STATUS} FROM spans s WHERE ${where}`);
  st.bind(params);
  const time: number[] = [];
  const duration: number[] = [];
  const error: number[] = [];
  while (st.step()) {
    const r = st.get();
    time.push(r[0] as number);
    duration.push(r[1] as number);
    const status: StatusCode = statusOfCode(r[2] as number);
    const tag = r[3] === 1 || r[3] === 'true';
    error.push(isErrorByRule({ status, errorTag: tag, httpStatus: toHttpStatus(r[4]) }, rule) ? 1 : 0);
  }
  st.free();
  return makeSloEvents(baseNs, time, duration, error);
}

/**
 * Every span of every trace holding at least one entry span, one trace at a time (offsets from
 * baseNs), with its op_id (store/operations.ts) for the trace's operations and nodes.
 */
export function* budgetTraces(store: Store, filter: { service: string; operation: string }, baseNs: bigint): Generator<(BudgetSpan & { opId: number })[]> {
  const op = operationCondition(operationIds(store, filter.service, filter.operation), filter.operation);
  const st = store.db.prepare(
    `SELECT s.trace_id, s.span_id, s.parent_span_id, s.parent_ref, s.kind, s.start_ns - ?, s.duration_ns, s.service, s.name, s.is_error, coalesce(s.op_id, -1)
     FROM spans s WHERE s.trace_no IN (SELECT DISTINCT trace_no FROM spans s WHERE ${op.sql})
     ORDER BY s.trace_no`,
  );
  try {
    st.bind([baseNs as unknown as SqlValue, ...op.params]);
    let current: string | null = null;
    let batch: (BudgetSpan & { opId: number })[] = [];
    while (st.step()) {
      const r = st.get();
      const traceId = r[0] as string;
      if (traceId !== current) {
        if (batch.length > 0) yield batch;
        batch = [];
        current = traceId;
      }
      batch.push({
        spanId: r[1] as string, parentSpanId: r[2] as string | null, parentRef: parentRefOfCode(r[3] as number),
        kind: kindOfCode(r[4] as number), start: r[5] as number, duration: r[6] as number, service: r[7] as string,
        name: r[8] as string, isError: r[9] === 1, opId: r[10] as number,
      });
    }
    if (batch.length > 0) yield batch;
  } finally {
    st.free();
  }
}

/** Resource attributes that name who owns a service, in order of preference. */
export const OWNER_KEYS = ['service.owner', 'owner', 'team', 'service.team', 'team.name'];

/** Owner of each service, from the first resource that names one. */
export function serviceOwners(store: Store): Map<string, string> {
  const out = new Map<string, string>();
  const st = store.stmt('SELECT service, attributes FROM resources ORDER BY resource_id');
  while (st.step()) {
    const [service, attrs] = st.get() as [string, string];
    if (out.has(service)) continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(attrs) as Record<string, unknown>;
    } catch {
      continue;
    }
    for (const k of OWNER_KEYS) {
      const v = parsed[k];
      if (typeof v === 'string' && v !== '') {
        out.set(service, v);
        break;
      }
    }
  }
  st.reset();
  return out;
}


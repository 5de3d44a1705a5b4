// Trace search in SQL: the terms of a query (core/analysis/trace-query.ts) as WHERE conditions,
// every value bound, never spliced. Span terms become conditions on one row of spans (alias s),
// trace terms conditions on traces (alias t). Patterns for LIKE have %, _ and \ escaped and are
// matched with ESCAPE '\'; a pattern past SQLite's LIKE limit (50,000 bytes) is matched with instr
// on lower-cased text instead (LIKE folds ASCII case only, as lower() does).
//
// Attributes are JSON objects (schema.ts). A condition on an attribute is looked up with
// json_each (any key, whatever characters it holds), after an instr() on the JSON text for the
// key as JSON writes it ("key":), which skips almost every span in C before any JSON is read.
// Resources are few: the ones whose attributes match are found first and named by id.
//
// Attribute terms and free text go through the span search index (span-index.ts) for the spans it
// covers: the same conditions, asked of its distinct entries instead of every span.

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import type { CompareOp, Term, TermBody } from '../core/analysis/trace-query.ts';
import { TRACE_ROW_COLUMNS, traceRowOf, type TraceRow } from './queries.ts';
import { numberOf } from '../core/analysis/trace-query.ts';
import { kindCode, statusCode } from '../core/model/span-codes.ts';
import { spanIndexCoverage, indexedSpanWhere, postingsTraceNos, ENTRY_ATTRIBUTE, ENTRY_TEXT, ENTRY_EVENT_VALUE, ENTRY_RESOURCE } from './span-index.ts';
import type { SpanKind, StatusCode } from '../core/model/trace.ts';

export interface Where {
  sql: string;
  params: SqlValue[];
}

const TRUE: Where = { sql: '1', params: [] };

function and(parts: Where[]): Where {
  const kept = parts.filter((p) => p.sql !== '1');
  if (kept.length === 0) return TRUE;
  return { sql: kept.map((p) => `(${p.sql})`).join(' AND '), params: kept.flatMap((p) => p.params) };
}

/** SQLite refuses LIKE patterns longer than this (SQLITE_MAX_LIKE_PATTERN_LENGTH). */
const LIKE_LIMIT = 50_000;

export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column` contains `text`, ASCII case folded. */
function contains(column: string, text: string): Where {
  const pattern = `%${likeEscape(text)}%`;
  if (new TextEncoder().encode(pattern).length <= LIKE_LIMIT) return { sql: `${column} LIKE ? ESCAPE '\\'`, params: [pattern] };
  return { sql: `instr(lower(${column}), ?) > 0`, params: [asciiLower(text)] };
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** The text JSON writes for a string, without its quotes: what a value looks like inside attributes. */
function jsonInner(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** The value of a json_each row (or an index entry) `j` as text: true/false spelled out, numbers as SQLite prints them. */
function jsonText(j: 'j' | 'e'): string {
  return `CASE ${j}.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN 'null' ELSE CAST(${j}.value AS TEXT) END`;
}

/** Values free text looks into: not objects, arrays or null. */
const TEXT_TYPES = `NOT IN ('object', 'array', 'null')`;

/** A condition on a json_each row (or an index entry) `j` whose key already matched. */
function jsonValueCondition(op: CompareOp | 'exists', value: string, j: 'j' | 'e' = 'j'): Where {
  if (op === 'exists') return TRUE;
  const n = numberOf(value);
  if (op === '=' || op === '!=') {
    const eq: Where = Number.isFinite(n)
      ? { sql: `${jsonText(j)} = ? OR (${j}.type IN ('integer', 'real') AND ${j}.value = ?)`, params: [value, n] }
      : { sql: `${jsonText(j)} = ?`, params: [value] };
    return eq;
  }
  return { sql: `${j}.type IN ('integer', 'real') AND ${j}.value ${op} ?`, params: [n] };
}

/**
 * Whether SQLite's `->` reads `key` as a plain object label: labels holding a quote or a
 * backslash, or starting with `$` (read as a path), go through json_each instead.
 */
function isPlainLabel(key: string): boolean {
  return key !== '' && !/["\\]/.test(key) && !key.startsWith('$');
}

/** The JSON literals of true, false and null: `flag=true` matches a JSON true as well as the text. */
const JSON_WORDS = new Set(['true', 'false', 'null']);

/** A condition on one attribute read by label: `col -> key` (JSON text) and `col ->> key` (SQL value). */
function labelCondition(column: string, key: string, op: CompareOp | 'exists', value: string): Where {
  if (op === 'exists') return { sql: `${column} -> ? IS NOT NULL`, params: [key] };
  const n = numberOf(value);
  if (op === '=' || op === '!=') {
    const parts: Where[] = [{ sql: `${column} ->> ? = ?`, params: [key, value] }];
    if (Number.isFinite(n)) parts.push({ sql: `${column} ->> ? = ?`, params: [key, n] });
    if (JSON_WORDS.has(value)) parts.push({ sql: `${column} -> ? = ?`, params: [key, value] });
    return or(parts);
  }
  // A number, not a boolean (whose ->> is 1 or 0): json_type names the two apart in one lookup,
  // by the path -> makes of a label ($."key": the label holds no quote or backslash).
  return { sql: `json_type(${column}, ?) IN ('integer', 'real') AND ${column} ->> ? ${op} ?`, params: [`$."${key}"`, key, n] };
}

/** Attributes (a JSON column) holding the key with a value meeting op/value. */
function attributesHave(column: string, key: string, op: CompareOp | 'exists', value: string): Where {
  const o = op === '!=' ? '=' : op;
  const keyNeedle = `${JSON.stringify(key)}:`;
  if (isPlainLabel(key)) {
    const c = labelCondition(column, key, o, value);
    return { sql: `instr(${column}, ?) > 0 AND ${c.sql}`, params: [keyNeedle, ...c.params] };
  }
  const v = jsonValueCondition(o, value);
  return {
    sql: `instr(${column}, ?) > 0 AND EXISTS (SELECT 1 FROM json_each(${column}) j WHERE j.key = ?${v.sql === '1' ? '' : ` AND (${v.sql})`})`,
    params: [keyNeedle, key, ...v.params],
  };
}

/** Attributes whose top-level values contain the text as JSON writes them (true, false): the JSON text holds it too, which skips most spans first. */
function attributeValuesContain(column: string, text: string): Where {
  const pre = contains(column, jsonInner(text));
  const inner = contains(jsonText('j'), text);
  return { sql: `${pre.sql} AND EXISTS (SELECT 1 FROM json_each(${column}) j WHERE j.type ${TEXT_TYPES} AND ${inner.sql})`, params: [...pre.params, ...inner.params] };
}

/**
 * The index entries (alias e) of a span attribute meeting op/value: what attributesHave asks of
 * the span's JSON, asked of one (key, type, value). A label read by `->>` gives what json_each's
 * value is, and `->` a JSON word exactly when the type is that word.
 */
function entryHas(key: string, op: CompareOp | 'exists', value: string): Where {
  const has: Where = { sql: `e.kind = ${ENTRY_ATTRIBUTE} AND e.key = ?`, params: [key] };
  if (op === 'exists') return has;
  if (!isPlainLabel(key)) return and([has, jsonValueCondition(op, value, 'e')]);
  const n = numberOf(value);
  if (op === '=' || op === '!=') {
    const parts: Where[] = [{ sql: 'e.value = ?', params: [value] }];
    if (Number.isFinite(n)) parts.push({ sql: 'e.value = ?', params: [n] });
    if (JSON_WORDS.has(value)) parts.push({ sql: 'e.type = ?', params: [value] });
    return and([has, or(parts)]);
  }
  return and([has, { sql: `e.type IN ('integer', 'real') AND e.value ${op} ?`, params: [n] }]);
}

/** The index entries of spans of these resources. */
function resourceEntries(ids: number[]): Where {
  if (ids.length === 0) return { sql: '0', params: [] };
  return { sql: `e.kind = ${ENTRY_RESOURCE} AND e.value IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] };
}

/** Ids of the resources meeting a condition on their attributes (alias r). */
function resourceIds(store: Store, cond: (column: string) => Where): number[] {
  const w = cond('r.attributes');
  return firstColumn<number>(store, `SELECT r.resource_id FROM resources r WHERE ${w.sql}`, w.params);
}

/** The first column of every row of a statement made for this once (its text holds a query's shape). */
function firstColumn<T>(store: Store, sql: string, params: SqlValue[]): T[] {
  const st = store.db.prepare(sql);
  try {
    st.bind(params);
    const out: T[] = [];
    while (st.step()) out.push(st.get()[0] as T);
    return out;
  } finally {
    st.free();
  }
}

function inList(column: string, ids: number[]): Where {
  if (ids.length === 0) return { sql: '0', params: [] };
  return { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] };
}

function or(parts: Where[]): Where {
  const kept = parts.filter((p) => p.sql !== '0');
  if (kept.length === 0) return { sql: '0', params: [] };
  return { sql: kept.map((p) => `(${p.sql})`).join(' OR '), params: kept.flatMap((p) => p.params) };
}

/** An attribute term on the span or its resource. */
function attributeTerm(store: Store, key: string, op: CompareOp | 'exists', value: string): Where {
  const coverage = spanIndexCoverage(store);
  const on = (o: CompareOp | 'exists') => {
    const resources = resourceIds(store, (c) => attributesHave(c, key, o, value));
    // NULL (a span without attributes or resource, a null value) is false, as in the index: `!=` negates it.
    const scan = () => {
      const w = or([attributesHave('s.attributes', key, o, value), inList('s.resource_id', resources)]);
      return { sql: `coalesce((${w.sql}), 0)`, params: w.params };
    };
    return indexedSpanWhere(coverage, or([entryHas(key, o, value), resourceEntries(resources)]), scan);
  };
  if (op !== '!=') return on(op);
  // != : the key is there, and no value of it (on the span or its resource) is the one named.
  const eq = on('=');
  return and([on('exists'), { sql: `NOT (${eq.sql})`, params: eq.params }]);
}

/** Free text: the span's name, its status message, an attribute value (span or resource), or an event's name or attribute values. */
function textTerm(store: Store, text: string): Where {
  const resources = resourceIds(store, (c) => attributeValuesContain(c, text));
  const scan = () => {
    const name = contains('e.name', text);
    const attrs = attributeValuesContain('e.attributes', text);
    const events = {
      sql: `s.event_count > 0 AND EXISTS (SELECT 1 FROM span_events e WHERE e.span_row = s.span_row AND ((${name.sql}) OR (${attrs.sql})))`,
      params: [...name.params, ...attrs.params],
    };
    return or([contains('s.name', text), contains('s.status_message', text), attributeValuesContain('s.attributes', text), inList('s.resource_id', resources), events]);
  };
  return indexedSpanWhere(spanIndexCoverage(store), textEntries(text, resources), scan);
}

/**
 * The index entries of free text: names, status messages and event names are entries of their
 * own; attribute values (of the span or its events) are read as free text reads them from the JSON.
 */
function textEntries(text: string, resources: number[]): Where {
  const texts = contains(jsonText('e'), text);
  const entry: Where = {
    sql: `(e.kind IN (${ENTRY_TEXT}, ${ENTRY_EVENT_VALUE}) OR (e.kind = ${ENTRY_ATTRIBUTE} AND e.type ${TEXT_TYPES})) AND ${texts.sql}`,
    params: texts.params,
  };
  return or([entry, resourceEntries(resources)]);
}

/** The index entries a span term asks for, when it is one the index answers alone (an attribute term but !=, free text), else null. */
function termEntries(store: Store, t: TermBody): Where | null {
  if (t.kind === 'attr' && t.op !== '!=') {
    const { key, op, value } = t;
    return or([entryHas(key, op, value), resourceEntries(resourceIds(store, (c) => attributesHave(c, key, op, value)))]);
  }
  if (t.kind === 'text') return textEntries(t.text, resourceIds(store, (c) => attributeValuesContain(c, t.text)));
  return null;
}

/**
 * A span in the service: its own, or the database, cache or host its call goes to (the
 * operation's peer: a node of the map and the aggregates), by its op_id (column `opId`); a span
 * without an operation row (none once imported or opened) by its service (`service`).
 */
function inService(opId: string, service: string, name: string): Where {
  return { sql: `(${opId} IN (SELECT op_id FROM operations WHERE service = ? OR peer = ?) OR (${opId} IS NULL AND ${service} = ?))`, params: [name, name, name] };
}

function isServiceTerm(t: Term): t is Term & { kind: 'field'; field: 'service'; op: '='; value: string } {
  return t.kind === 'field' && t.field === 'service' && t.op === '=';
}

/**
 * The traces with one span meeting every positive term. Once the index is complete, attribute
 * terms and free text, with service terms beside them, are read from its postings alone (each
 * carries its span's trace and operation): no span row is read. Else the spans are read: all of
 * them, or with `perTrace` those of each trace in turn (through spans_by_trace_no), cheaper when
 * the trace terms leave few traces.
 */
function positiveSpansWhere(store: Store, terms: Term[], perTrace = false): Where {
  const postings = postingsTraceNosOf(store, terms);
  if (postings) return { sql: `t.trace_no IN (${postings.sql})`, params: postings.params };
  const w = and(terms.map((t) => spanTermWhere(store, t)));
  if (perTrace) return { sql: `EXISTS (SELECT 1 FROM spans s WHERE s.trace_no = t.trace_no AND ${w.sql})`, params: w.params };
  return { sql: `t.trace_no IN (SELECT s.trace_no FROM spans s WHERE ${w.sql})`, params: w.params };
}

/** The numbers of the traces with a span meeting every positive term (each any number of times). */
function positiveSpansTraceNos(store: Store, terms: Term[]): Where {
  const postings = postingsTraceNosOf(store, terms);
  if (postings) return postings;
  const w = and(terms.map((t) => spanTermWhere(store, t)));
  return { sql: `SELECT s.trace_no FROM spans s WHERE ${w.sql}`, params: w.params };
}

/** The same from the index's postings alone, when it is complete and holds every term (else null). */
function postingsTraceNosOf(store: Store, terms: Term[]): Where | null {
  if (spanIndexCoverage(store).state !== 'complete' || !terms.every((t) => isServiceTerm(t) || t.kind === 'text' || (t.kind === 'attr' && t.op !== '!='))) return null;
  const entries = terms.flatMap((t) => termEntries(store, t) ?? []);
  const services = terms.filter(isServiceTerm).map((t) => inService('p0.op_id', '(SELECT s.service FROM spans s WHERE s.span_row = p0.span_row)', t.value));
  return entries.length > 0 ? postingsTraceNos(entries, services) : null;
}

/** The condition one span must meet for a span term (negation is the caller's: see matchingTraces). */
export function spanTermWhere(store: Store, t: TermBody): Where {
  switch (t.kind) {
    case 'field': {
      const eq = t.op === '=';
      if (t.field === 'kind' || t.field === 'status') {
        const code = t.field === 'kind' ? kindCode(t.value as SpanKind) : statusCode(t.value as StatusCode);
        return { sql: `s.${t.field} ${eq ? '=' : '<>'} ?`, params: [code] };
      }
      if (t.field === 'parent.service') {
        return { sql: `EXISTS (SELECT 1 FROM spans p WHERE p.trace_no = s.trace_no AND p.span_id = s.parent_span_id AND p.service ${eq ? '=' : '<>'} ?)`, params: [t.value] };
      }
      // A name is only the name as written.
      if (t.field === 'name') return { sql: `s.name ${eq ? '=' : '<>'} ?`, params: [t.value] };
      // A span has an operation by the name it was written with, or by the operation that name is
      // grouped into.
      if (t.field === 'operation') {
        const either = '(s.name = ? OR coalesce(s.op_id IN (SELECT op_id FROM operations WHERE operation = ?), 0))';
        return { sql: eq ? either : `NOT ${either}`, params: [t.value, t.value] };
      }
      // A span's operation row is made from its own service, so a service's spans are found by
      // op_id through spans_by_op instead of reading every span.
      if (eq) return inService('s.op_id', 's.service', t.value);
      // Positive, a NULL from IN is as false as 0; under NOT it must be made 0 first.
      const ops = 's.op_id IN (SELECT op_id FROM operations WHERE service = ? OR peer = ?)';
      return { sql: `NOT (coalesce(${ops}, 0) OR (s.op_id IS NULL AND s.service = ?))`, params: [t.value, t.value, t.value] };
    }
    case 'duration':
      return { sql: `s.duration_ns ${t.op} ?`, params: [t.ns] };
    case 'error':
      // A constant, not a bound value: SQLite uses a partial index (spans_in_error) only for a
      // condition whose text implies the index's own.
      return { sql: t.value ? 's.is_error = 1' : 's.is_error = 0', params: [] };
    case 'attr':
      return attributeTerm(store, t.key, t.op, t.value);
    case 'text':
      return textTerm(store, t.text);
    default:
      throw new Error(`${t.kind} is not a span term`);
  }
}

/** A trace term with its times resolved to epoch ns (decimal text). */
export type ResolvedTraceTerm =
  | { kind: 'duration'; op: Exclude<CompareOp, '!='>; ns: number; negate: boolean }
  | { kind: 'trace-id'; full: string | null; prefix: string | null; low64: string[]; negate: boolean }
  | { kind: 'time'; bound: 'from' | 'to'; ns: string };

function traceTermWhere(t: ResolvedTraceTerm): Where {
  let w: Where;
  if (t.kind === 'time') {
    return { sql: `t.start_ns ${t.bound === 'from' ? '>=' : '<'} CAST(? AS INTEGER)`, params: [t.ns] };
  }
  if (t.kind === 'duration') w = { sql: `t.duration_ns ${t.op} ?`, params: [t.ns] };
  else {
    const parts: Where[] = [];
    if (t.full !== null) parts.push({ sql: 't.trace_id = ?', params: [t.full] });
    // Ids are lower-case hex: every id with the prefix sorts in [prefix, prefix + 'g').
    if (t.prefix !== null) parts.push({ sql: 't.trace_id >= ? AND t.trace_id < ?', params: [t.prefix, `${t.prefix}g`] });
    for (const low of t.low64) parts.push({ sql: 'substr(t.trace_id, 17) = ?', params: [low] });
    w = or(parts);
  }
  return t.negate ? { sql: `NOT (${w.sql})`, params: w.params } : w;
}

/**
 * The condition (on traces, alias t) every trace meeting all the terms meets: its own terms, one
 * span meeting all the positive span terms, and for each negated span term, no span meeting it.
 * With `perTrace`, span terms read the spans of each trace the trace terms leave (see positiveSpansWhere).
 */
export function matchWhere(store: Store, spanTerms: Term[], traceTerms: ResolvedTraceTerm[], perTrace = false): Where {
  const positive = spanTerms.filter((t) => !t.negate);
  const negative = spanTerms.filter((t) => t.negate);
  const parts: Where[] = traceTerms.map(traceTermWhere);
  if (positive.length > 0) parts.push(positiveSpansWhere(store, positive, perTrace));
  for (const t of negative) {
    const w = spanTermWhere(store, t);
    const sql = perTrace ? `NOT EXISTS (SELECT 1 FROM spans s WHERE s.trace_no = t.trace_no AND ${w.sql})` : `t.trace_no NOT IN (SELECT s.trace_no FROM spans s WHERE ${w.sql})`;
    parts.push({ sql, params: w.params });
  }
  return and(parts);
}

/** Trace terms leaving at most this share of the traces are met first, then each one's spans read. */
const FEW_TRACES = 0.2;

/**
 * A SELECT of the numbers of the traces meeting all the terms (each any number of times), the
 * cheapest way found to ask matchWhere's question; null for no terms (every trace). Positive span
 * terms alone are read from the spans or postings without going through traces; with trace terms
 * that leave few traces, the spans of those traces alone are read.
 */
export function matchTraceNos(store: Store, spanTerms: Term[], traceTerms: ResolvedTraceTerm[]): Where | null {
  if (spanTerms.length === 0 && traceTerms.length === 0) return null;
  if (traceTerms.length === 0 && spanTerms.every((t) => !t.negate)) return positiveSpansTraceNos(store, spanTerms);
  let perTrace = false;
  if (traceTerms.length > 0 && spanTerms.length > 0) {
    const w = and(traceTerms.map(traceTermWhere));
    const n = Number(store.db.exec(`SELECT (SELECT count(*) FROM traces t WHERE ${w.sql}) <= ${FEW_TRACES} * (SELECT count(*) FROM traces)`, w.params)[0].values[0][0]);
    perTrace = n === 1;
  }
  const w = matchWhere(store, spanTerms, traceTerms, perTrace);
  return { sql: `SELECT t.trace_no FROM traces t WHERE ${w.sql}`, params: w.params };
}

/** The numbers (traces.trace_no) of the traces meeting `where`, ascending. */
export function matchingTraceNos(store: Store, where: Where): number[] {
  return firstColumn<number>(store, `SELECT t.trace_no FROM traces t WHERE ${where.sql} ORDER BY t.trace_no`, where.params);
}

/** The list rows of the given traces, in the order given. */
export function traceRowsOf(store: Store, ids: readonly string[]): TraceRow[] {
  if (ids.length === 0) return [];
  const st = store.stmt(`SELECT ${TRACE_ROW_COLUMNS} FROM traces t WHERE t.trace_id IN (SELECT value FROM json_each(?))`);
  st.bind([JSON.stringify(ids)]);
  const byId = new Map<string, TraceRow>();
  while (st.step()) {
    const r = traceRowOf(st.get());
    byId.set(r.traceId, r);
  }
  st.reset();
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Where the data begins (the first trace's start, epoch ns as text), or null when there are no traces. */
export function firstTraceStartNs(store: Store): string | null {
  const v = store.db.exec('SELECT CAST(min(start_ns) AS TEXT) FROM traces')[0]?.values[0][0];
  return typeof v === 'string' ? v : null;
}

/** The id of the trace with this number, or null. */
export function traceIdOfNo(store: Store, traceNo: number): string | null {
  const v = store.db.exec('SELECT trace_id FROM traces WHERE trace_no = ?', [traceNo])[0]?.values[0]?.[0];
  return typeof v === 'string' ? v : null;
}

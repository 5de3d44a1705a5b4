// The trace search language: one line of terms, every one of which a trace must satisfy.
//
//   service=checkout error=true trace.duration>2s from=10:10 to=10:20 region="eu west"
//
// Span terms describe ONE span of the trace: all the positive span terms of a query must hold on
// the same span (Jaeger's service + operation + tags, Honeycomb's WHERE over spans):
//   service=S                a span of S, or a call to S where S is a node without spans of its
//                            own (a database, cache or host: the operation's peer)
//   parent.service=P         a span whose parent span is in P (with service=S: the calls P → S)
//   operation=O              the span's grouped operation (redis GET cart:{id}) or its name as written
//   name=N                   the span's name as written
//   kind=server  status=error
//   duration>2s              >, >=, <, <= (and =); units ns us ms s m h
//   error=true|false         the span is in error (status, error tag, HTTP/gRPC codes, exceptions)
//   key=value  key!=value    an attribute of the span or of its resource; != needs the key present
//   key>n  key>=n  key<n  key<=n    numerically
//   key exists
//   word  "a phrase"         in the span's name, an attribute value or its status message
// Trace terms:
//   trace.duration>2s        the trace's own duration (first start to last end)
//   trace.id=ID              the whole id, its first hex digits, or its 64-bit low half (Datadog
//                            decimal, 64-bit B3); a bare 32-hex word or UUID is read as one too
//   from=T  to=T             the trace starts in [from, to): RFC 3339, integer ns since the epoch,
//                            or hh:mm[:ss[.fff]] in UTC on the day the data begins
// A leading "-" negates a term. A negated span term stands alone: -service=redis keeps traces with
// no span in redis, -error=true traces without an error.
//
// Quoting: a value (or key) with spaces or quotes is written in double quotes; inside them \" is a
// quote and \\ a backslash, and any other backslash stays as written. A quoted key is always an
// attribute (`"service"=x` is the attribute named service), as is attr.KEY. A quote left open runs
// to the end of the text. Everything else is taken as written: % and _ are plain characters, never
// wildcards.
//
// Parsing is pure and total: any text gives terms plus errors that say where (start, end) and why;
// a term that cannot be read is left out of the search, never guessed. formatTerm writes a term
// back so that parsing it gives the same term (the tests check the round trip).

import { parseDuration, parseTimeArg, formatIsoNs } from '../base/time.ts';
import { traceIdQuery, type TraceIdQuery } from '../base/ids.ts';

export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type SpanField = 'service' | 'parent.service' | 'operation' | 'name' | 'kind' | 'status';

export const SPAN_KINDS_QUERY = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export const STATUS_QUERY = ['unset', 'ok', 'error'] as const;

/** A time bound: exact epoch ns, or a time of day (ns since midnight UTC) on the day the data begins. */
export type TimeValue = { ns: string } | { clockNs: number };

export type TermBody =
  | { kind: 'field'; field: SpanField; op: '=' | '!='; value: string }
  | { kind: 'duration'; of: 'span' | 'trace'; op: Exclude<CompareOp, '!='>; ns: number }
  | { kind: 'error'; value: boolean }
  | { kind: 'attr'; key: string; op: CompareOp | 'exists'; value: string }
  | { kind: 'text'; text: string }
  | { kind: 'trace-id'; text: string; id: TraceIdQuery }
  | { kind: 'time'; bound: 'from' | 'to'; text: string; at: TimeValue };

/** A term as read: where it stands in the text ([start, end)), and whether it was negated. */
export type Term = TermBody & { negate: boolean; start: number; end: number };

export interface QueryError {
  start: number;
  end: number;
  message: string;
}

export interface TraceQuery {
  terms: Term[];
  errors: QueryError[];
}

/** Keys that name a field rather than an attribute (aliases map to the field). */
const FIELD_KEYS: Record<string, SpanField | 'duration' | 'trace.duration' | 'error' | 'trace.id' | 'from' | 'to'> = {
  service: 'service', 'parent.service': 'parent.service', operation: 'operation', op: 'operation', name: 'name', kind: 'kind', status: 'status',
  duration: 'duration', 'trace.duration': 'trace.duration', error: 'error', 'trace.id': 'trace.id', traceid: 'trace.id',
  from: 'from', to: 'to',
};

/** Whether a bare (unquoted) key names a field; attr.KEY and quoted keys never do. */
export function isFieldKey(key: string): boolean {
  return Object.hasOwn(FIELD_KEYS, key.toLowerCase());
}

const OPS: CompareOp[] = ['!=', '>=', '<=', '=', '>', '<'];

/** A token: a bare run of characters or a quoted string (unquoted). */
export interface Tok {
  text: string;
  quoted: boolean;
  start: number;
  end: number;
  /** Quoted but the closing quote is missing. */
  open?: boolean;
}

export function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0';
}

/** A quoted string starting at `i` (the opening quote): its text and the index after the closing quote. */
export function readQuoted(s: string, i: number): Tok {
  let out = '';
  let j = i + 1;
  while (j < s.length) {
    const c = s[j];
    if (c === '"') return { text: out, quoted: true, start: i, end: j + 1 };
    if (c === '\\' && (s[j + 1] === '"' || s[j + 1] === '\\')) {
      out += s[j + 1];
      j += 2;
      continue;
    }
    out += c;
    j++;
  }
  return { text: out, quoted: true, start: i, end: j, open: true };
}

/** An operator at `i`, or null. */
export function opAt(s: string, i: number): CompareOp | null {
  for (const op of OPS) if (s.startsWith(op, i)) return op;
  return null;
}

/** A bare key: up to white space, a quote or an operator. */
function readKey(s: string, i: number): Tok {
  let j = i;
  while (j < s.length && !isSpace(s[j]) && s[j] !== '"' && opAt(s, j) === null) j++;
  return { text: s.slice(i, j), quoted: false, start: i, end: j };
}

/** A bare value: up to white space. */
function readValue(s: string, i: number): Tok {
  if (s[i] === '"') return readQuoted(s, i);
  let j = i;
  while (j < s.length && !isSpace(s[j])) j++;
  return { text: s.slice(i, j), quoted: false, start: i, end: j };
}

/** A bare word of free text: up to white space (it holds no operator, or it would be a key). */
function readWord(s: string, i: number): Tok {
  let j = i;
  while (j < s.length && !isSpace(s[j])) j++;
  return { text: s.slice(i, j), quoted: false, start: i, end: j };
}

export function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s[i])) i++;
  return i;
}

/** "exists" as a whole word at `i`. */
function existsAt(s: string, i: number): boolean {
  return s.slice(i, i + 6).toLowerCase() === 'exists' && (i + 6 === s.length || isSpace(s[i + 6]));
}

export function parseTraceQuery(text: string): TraceQuery {
  const terms: Term[] = [];
  const errors: QueryError[] = [];
  const s = text;
  let i = skipSpace(s, 0);
  while (i < s.length) {
    const start = i;
    let negate = false;
    if (s[i] === '-' && i + 1 < s.length && !isSpace(s[i + 1])) {
      negate = true;
      i++;
    }
    const key = s[i] === '"' ? readQuoted(s, i) : readKey(s, i);
    const op = key.open ? null : opAt(s, key.end);
    if (op !== null) {
      const valueAt = key.end + op.length;
      const value = valueAt < s.length && !isSpace(s[valueAt]) ? readValue(s, valueAt) : null;
      const end = value ? value.end : valueAt;
      if (key.text === '' && !key.quoted) errors.push({ start, end, message: `a key before "${op}"` });
      else if (value === null) errors.push({ start, end, message: `a value after "${key.text}${op}"` });
      else {
        const r = readComparison(key, op, value);
        if ('message' in r) errors.push({ start, end, message: r.message });
        else if (negate && r.kind === 'time') errors.push({ start, end, message: `"${key.text}" cannot be negated: write the other bound` });
        else terms.push({ ...r, negate, start, end });
      }
      i = skipSpace(s, end);
      continue;
    }
    // `key exists`
    if (!key.open && key.text !== '') {
      const after = skipSpace(s, key.end);
      if (after > key.end && existsAt(s, after)) {
        const end = after + 6;
        const attrKey = attributeKey(key);
        if (attrKey === null) errors.push({ start, end, message: `"${key.text}" is a field, not an attribute: write attr.${key.text} exists` });
        else terms.push({ kind: 'attr', key: attrKey, op: 'exists', value: '', negate, start, end });
        i = skipSpace(s, end);
        continue;
      }
    }
    // Free text: a quoted phrase, or a bare word (a 32-hex word or a UUID is a trace id).
    const word = key.quoted ? key : readWord(s, i);
    if (word.text !== '') {
      const id = word.quoted ? null : bareTraceId(word.text);
      terms.push(id ? { kind: 'trace-id', text: word.text, id, negate, start, end: word.end } : { kind: 'text', text: word.text, negate, start, end: word.end });
    }
    i = skipSpace(s, Math.max(word.end, i + 1));
  }
  return { terms, errors };
}

/** A word that is plainly a whole trace id: 32 hex digits, or a UUID. */
export function bareTraceId(w: string): TraceIdQuery | null {
  if (!/^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/.test(w)) return null;
  const q = traceIdQuery(w);
  return q?.full ? q : null;
}

/** The attribute key a key token names, or null when it names a field. */
function attributeKey(key: Tok): string | null {
  if (key.quoted) return key.text;
  if (key.text.toLowerCase().startsWith('attr.') && key.text.length > 5) return key.text.slice(5);
  return isFieldKey(key.text) ? null : key.text;
}

function readComparison(key: Tok, op: CompareOp, value: Tok): TermBody | { message: string } {
  const attrKey = attributeKey(key);
  if (attrKey !== null) {
    if (op !== '=' && op !== '!=' && !Number.isFinite(numberOf(value.text))) return { message: `a number after "${key.text}${op}"` };
    return { kind: 'attr', key: attrKey, op, value: value.text };
  }
  const field = FIELD_KEYS[key.text.toLowerCase()];
  const v = value.text;
  switch (field) {
    case 'service':
    case 'parent.service':
    case 'operation':
    case 'name':
      if (op !== '=' && op !== '!=') return { message: `${field} takes = or !=` };
      return { kind: 'field', field, op, value: v };
    case 'kind':
    case 'status': {
      if (op !== '=' && op !== '!=') return { message: `${field} takes = or !=` };
      const allowed: readonly string[] = field === 'kind' ? SPAN_KINDS_QUERY : STATUS_QUERY;
      const lower = v.toLowerCase();
      if (!allowed.includes(lower)) return { message: `${field} is one of ${allowed.join(', ')}` };
      return { kind: 'field', field, op, value: lower };
    }
    case 'duration':
    case 'trace.duration': {
      if (op === '!=') return { message: `${field} takes >, >=, <, <= or =` };
      const ns = parseDuration(v);
      if (ns === null) return { message: `a duration after "${key.text}${op}" (250ms, 2s, 1.5m)` };
      return { kind: 'duration', of: field === 'duration' ? 'span' : 'trace', op, ns };
    }
    case 'error': {
      if (op !== '=' && op !== '!=') return { message: 'error takes = or !=' };
      const b = readBool(v);
      if (b === null) return { message: 'error is true or false' };
      return { kind: 'error', value: op === '=' ? b : !b };
    }
    case 'trace.id': {
      if (op !== '=') return { message: 'trace.id takes =' };
      const id = traceIdQuery(v);
      if (id === null) return { message: `"${v}" is not a trace id (hex, decimal, base64 or a UUID)` };
      return { kind: 'trace-id', text: v, id };
    }
    case 'from':
    case 'to': {
      if (op !== '=') return { message: `${field} takes =` };
      const at = readTime(v);
      if (at === null) return { message: `"${v}" is not a time (RFC 3339, ns since the epoch, or hh:mm[:ss] UTC)` };
      return { kind: 'time', bound: field, text: v, at };
    }
  }
  return { message: `unknown field ${key.text}` };
}

function readBool(v: string): boolean | null {
  const l = v.toLowerCase();
  if (l === 'true' || l === 'yes' || l === '1') return true;
  if (l === 'false' || l === 'no' || l === '0') return false;
  return null;
}

/** A number as written (decimal, optional sign, fraction and exponent), NaN otherwise. */
export function numberOf(text: string): number {
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
}

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** A time bound as written: RFC 3339, integer ns since the epoch, or a UTC time of day. */
export function readTime(v: string): TimeValue | null {
  const at = parseTimeArg(v);
  if (at !== null) return { ns: at.toString() };
  if (/^-?\d+$/.test(v)) return null;
  const m = CLOCK.exec(v);
  if (!m) return null;
  const h = +m[1], mi = +m[2], sec = m[3] === undefined ? 0 : +m[3];
  if (h > 23 || mi > 59 || sec > 59) return null;
  const frac = m[4] === undefined ? 0 : Number(m[4].padEnd(9, '0'));
  return { clockNs: ((h * 60 + mi) * 60 + sec) * 1e9 + frac };
}

/** A time bound as epoch ns: a time of day falls on the UTC day of `dayOfNs` (the data's first start). */
export function resolveTime(at: TimeValue, dayOfNs: string | null): string | null {
  if ('ns' in at) return at.ns;
  if (dayOfNs === null) return null;
  const day = 86_400_000_000_000n;
  const t = BigInt(dayOfNs);
  const midnight = t - (((t % day) + day) % day);
  return (midnight + BigInt(at.clockNs)).toString();
}

// ---- writing terms back

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A duration the parser reads back exactly: the largest unit that divides it. */
export function formatDurationValue(ns: number): string {
  for (const [unit, size] of [['h', 3600e9], ['m', 60e9], ['s', 1e9], ['ms', 1e6], ['us', 1e3]] as const) {
    if (ns !== 0 && ns % size === 0) return `${ns / size}${unit}`;
  }
  return `${Math.round(ns)}ns`;
}

/** An epoch time the parser reads back exactly, as short as that allows (2026-11-20T10:10:00.5Z). */
export function formatTimeValue(ns: string): string {
  return formatIsoNs(ns).replace(/\.?0+Z$/, 'Z');
}

/** `text` as a value: bare when that reads back the same, quoted otherwise. */
function valueText(v: string): string {
  if (v === '' || /[\s"\u00a0]/.test(v)) return quote(v);
  return v;
}

/** The text of one term, such that parseTraceQuery reads the same term back. */
export function formatTerm(t: TermBody & { negate?: boolean }): string {
  const neg = t.negate ? '-' : '';
  switch (t.kind) {
    case 'field':
      return `${neg}${t.field}${t.op}${valueText(t.value)}`;
    case 'duration':
      return `${neg}${t.of === 'span' ? 'duration' : 'trace.duration'}${t.op}${formatDurationValue(t.ns)}`;
    case 'error':
      return `${neg}error=${t.value}`;
    case 'trace-id':
      return `${neg}trace.id=${valueText(t.text)}`;
    case 'time':
      return `${t.bound}=${valueText('ns' in t.at ? formatTimeValue(t.at.ns) : t.text)}`;
    case 'attr': {
      const write = (key: string) => (t.op === 'exists' ? `${neg}${key} exists` : `${neg}${key}${t.op}${valueText(t.value)}`);
      const bare = write(t.key);
      return readsBack(bare, t) ? bare : write(quote(t.key));
    }
    case 'text': {
      const bare = `${neg}${t.text}`;
      return readsBack(bare, t) ? bare : `${neg}${quote(t.text)}`;
    }
  }
}

/** Whether `text` parses to exactly the term `t` (the bare spelling is used only then). */
function readsBack(text: string, t: TermBody & { negate?: boolean }): boolean {
  const q = parseTraceQuery(text);
  if (q.errors.length > 0 || q.terms.length !== 1) return false;
  const { start: _s, end: _e, negate, ...back } = q.terms[0];
  const { negate: _n, ...want } = t;
  return negate === !!t.negate && sameFields(back, want);
}

function sameFields(a: object, b: object): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && JSON.stringify((a as Record<string, unknown>)[k]) === JSON.stringify((b as Record<string, unknown>)[k]));
}

/**
 * The query with the terms `match` selects replaced by `replacement` (written where the first of
 * them stood, or at the end). Other terms, and text that could not be read, stay as written.
 */
export function replaceTerms(text: string, match: (t: Term) => boolean, replacement: Array<TermBody & { negate?: boolean }>): string {
  const q = parseTraceQuery(text);
  const gone = q.terms.filter(match);
  const insert = replacement.map(formatTerm).join(' ');
  const pieces: string[] = [];
  let last = 0;
  for (const [k, t] of gone.entries()) {
    pieces.push(text.slice(last, t.start).trim());
    if (k === 0) pieces.push(insert);
    last = t.end;
  }
  pieces.push(text.slice(last).trim());
  if (gone.length === 0) pieces.push(insert);
  return pieces.filter((p) => p !== '').join(' ');
}

/** The positive span terms of a query (those that must hold on one span). */
export function isSpanTerm(t: TermBody): boolean {
  return t.kind === 'field' || t.kind === 'error' || t.kind === 'attr' || t.kind === 'text' || (t.kind === 'duration' && t.of === 'span');
}

// ---- the order of results

/** What a list of traces can be sorted by: each column of the list. */
export const TRACE_SORT_KEYS = ['start', 'duration', 'spans', 'errors', 'services', 'service', 'operation'] as const;
export type TraceSortKey = (typeof TRACE_SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export function isTraceSortKey(s: unknown): s is TraceSortKey {
  return typeof s === 'string' && (TRACE_SORT_KEYS as readonly string[]).includes(s);
}

/** The direction a column sorts in when first chosen: counts and durations largest first, names and times in order. */
export function defaultSortDir(key: TraceSortKey): SortDir {
  return key === 'start' || key === 'service' || key === 'operation' ? 'asc' : 'desc';
}

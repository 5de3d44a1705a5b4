// The log search language: words, phrases and fields combined with AND, OR, NOT and parentheses.
//
//   checkout -info ("statement timeout" OR status=502) service=payment
//
//   word  "a phrase"     in the message (whole words, any case; word* is a prefix), in an attribute
//                        value (anywhere in it), or the line's level name (`info`, `ERROR`)
//   a b  /  a AND b      both (adjacent terms are ANDed)
//   a OR b               either; AND binds tighter: a b OR c is (a b) OR c
//   NOT a  /  -a         lines without a; -(a OR b) negates a group
//   ( … )                grouping
//   level=error          the parsed level; level>=warn, level<info compare by severity order;
//                        severity= and lvl= are the same field
//   service=S            the parsed service (any case); service!=S
//   trace=ID             lines of a trace, whatever encoding they wrote its id in (hex in any case,
//                        a UUID, base64, the 64-bit low half, Datadog's decimal); an id written
//                        in the message text is found too. A bare 32-hex word, UUID, padded base64
//                        id or 16-20 digit decimal is read as a trace id (and as text).
//   span=ID              the span id
//   key=value  key!=value  key>n  key>=n  key<n  key<=n  key exists
//                        an attribute (nested keys with dots: err.status), any case for text; a
//                        line that wrote `key=value` in its message matches key=value too
//
// AND, OR and NOT are operators only in capitals (lower-case "or" is a word). Quoting as in the
// trace search (core/analysis/trace-query.ts): \" and \\ inside quotes; % and _ are plain text.
// Parsing is total: any text gives an expression plus errors that say where and why.

import { traceIdQuery, normalizeId, type TraceIdQuery } from '../base/ids.ts';
import { severityFromText } from '../import/logs/severity.ts';
import { SEVERITIES, type Severity } from '../model/log.ts';
import { bareTraceId, isSpace, numberOf, opAt, readQuoted, skipSpace, type CompareOp, type QueryError, type Tok } from './trace-query.ts';

export type LogField = 'level' | 'service' | 'trace' | 'span';

export type LogExpr =
  | { kind: 'and' | 'or'; items: LogExpr[] }
  | { kind: 'not'; item: LogExpr }
  | { kind: 'all' }
  /** Free text; `prefix` when it was written with a trailing *. */
  | { kind: 'text'; text: string; phrase: boolean; prefix: boolean }
  /** Lines whose level is one of these (an index into SEVERITIES), or unknown when `unknown`. */
  | { kind: 'level'; levels: Severity[]; unknown: boolean }
  | { kind: 'service'; op: '=' | '!='; value: string }
  | { kind: 'trace-id'; text: string; id: TraceIdQuery }
  | { kind: 'span-id'; hex: string }
  | { kind: 'attr'; key: string; op: CompareOp | 'exists'; value: string };

export interface LogQuery {
  expr: LogExpr;
  errors: QueryError[];
}

const FIELDS: Record<string, LogField> = {
  level: 'level', severity: 'level', lvl: 'level', service: 'service', svc: 'service',
  trace: 'trace', trace_id: 'trace', traceid: 'trace', 'trace.id': 'trace', span: 'span', span_id: 'span', spanid: 'span', 'span.id': 'span',
};

/** Nesting beyond this is an error: the evaluator walks the expression recursively. */
const MAX_DEPTH = 32;

type Token =
  | { t: '(' | ')' | 'AND' | 'OR' | 'NOT'; start: number; end: number }
  | { t: 'term'; expr: LogExpr; start: number; end: number };

/** A bare run: up to white space, a parenthesis, a quote or (for keys) an operator. */
function readBare(s: string, i: number, stopAtOp: boolean): Tok {
  let j = i;
  while (j < s.length && !isSpace(s[j]) && s[j] !== '(' && s[j] !== ')' && s[j] !== '"' && !(stopAtOp && opAt(s, j) !== null)) j++;
  return { text: s.slice(i, j), quoted: false, start: i, end: j };
}

/** A word that is plainly a trace id: what the trace search reads, plus padded base64 and long decimals. */
function bareLogTraceId(w: string): TraceIdQuery | null {
  const id = bareTraceId(w);
  if (id) return id;
  if (/^[A-Za-z0-9+/_-]{22}==$/.test(w) || (/^\d{16,20}$/.test(w) && BigInt(w) < 2n ** 64n)) return traceIdQuery(w);
  return null;
}

function textTerm(tok: Tok): LogExpr {
  // Runs of white space are one space: a phrase is words in a row, however it was typed.
  if (tok.quoted) return { kind: 'text', text: tok.text.replace(/\s+/g, ' ').trim(), phrase: true, prefix: false };
  const id = bareLogTraceId(tok.text);
  if (id) return { kind: 'trace-id', text: tok.text, id };
  const prefix = tok.text.length > 1 && tok.text.endsWith('*');
  return { kind: 'text', text: prefix ? tok.text.slice(0, -1) : tok.text, phrase: false, prefix };
}

/** The levels `op level` selects, in severity order. */
function levelsOf(op: CompareOp, level: Severity): Severity[] {
  const i = SEVERITIES.indexOf(level);
  const keep: Record<CompareOp, (j: number) => boolean> = {
    '=': (j) => j === i, '!=': (j) => j !== i, '>': (j) => j > i, '>=': (j) => j >= i, '<': (j) => j < i, '<=': (j) => j <= i,
  };
  return SEVERITIES.filter((_, j) => keep[op](j));
}

function comparison(key: Tok, op: CompareOp, value: Tok): LogExpr | { message: string } {
  const field = key.quoted ? undefined : FIELDS[key.text.toLowerCase()];
  const v = value.text;
  switch (field) {
    case 'level': {
      if (v.toLowerCase() === 'unknown' && (op === '=' || op === '!=')) {
        return op === '=' ? { kind: 'level', levels: [], unknown: true } : { kind: 'level', levels: [...SEVERITIES], unknown: false };
      }
      const level = severityFromText(v);
      if (level === null) return { message: `"${v}" is not a level (${SEVERITIES.join(', ')}, unknown)` };
      return { kind: 'level', levels: levelsOf(op, level), unknown: op === '!=' };
    }
    case 'service':
      if (op !== '=' && op !== '!=') return { message: 'service takes = or !=' };
      return { kind: 'service', op, value: v };
    case 'trace': {
      const id = op === '=' ? traceIdQuery(v) : null;
      if (op !== '=') return { message: 'trace takes =' };
      if (id === null) return { message: `"${v}" is not a trace id (hex, decimal, base64 or a UUID)` };
      return { kind: 'trace-id', text: v, id };
    }
    case 'span': {
      const id = normalizeId(v, 'span');
      if (op !== '=') return { message: 'span takes =' };
      if (id === null) return { message: `"${v}" is not a span id` };
      return { kind: 'span-id', hex: id.hex };
    }
  }
  if (op !== '=' && op !== '!=' && !Number.isFinite(numberOf(v))) return { message: `a number after "${key.text}${op}"` };
  return { kind: 'attr', key: key.text, op, value: v };
}

function tokenize(s: string, errors: QueryError[]): Token[] {
  const out: Token[] = [];
  let i = skipSpace(s, 0);
  while (i < s.length) {
    const start = i;
    const c = s[i];
    if (c === '(' || c === ')') {
      out.push({ t: c, start, end: i + 1 });
      i = skipSpace(s, i + 1);
      continue;
    }
    // A leading "-" negates what follows it (a term or a group); alone it is a word.
    if (c === '-' && i + 1 < s.length && !isSpace(s[i + 1]) && s[i + 1] !== ')') {
      out.push({ t: 'NOT', start, end: i + 1 });
      i++;
      continue;
    }
    // A trace id may hold "=" (base64 padding) and "/" : read as a whole word before any key=value.
    const whole = c === '"' ? null : readBare(s, i, false);
    if (whole && bareLogTraceId(whole.text)) {
      out.push({ t: 'term', expr: textTerm(whole), start, end: whole.end });
      i = skipSpace(s, whole.end);
      continue;
    }
    const key = c === '"' ? readQuoted(s, i) : readBare(s, i, true);
    const op = key.open ? null : opAt(s, key.end);
    if (op !== null && (key.text !== '' || key.quoted)) {
      const at = key.end + op.length;
      const value = at < s.length && !isSpace(s[at]) && s[at] !== ')' ? (s[at] === '"' ? readQuoted(s, at) : readBare(s, at, false)) : null;
      const end = value ? value.end : at;
      const r = value === null ? { message: `a value after "${key.text}${op}"` } : comparison(key, op, value);
      if ('message' in r) errors.push({ start, end, message: r.message });
      else out.push({ t: 'term', expr: r, start, end });
      i = skipSpace(s, Math.max(end, i + 1));
      continue;
    }
    if (!key.open && key.text !== '' && !key.quoted) {
      const after = skipSpace(s, key.end);
      if (after > key.end && s.slice(after, after + 6).toLowerCase() === 'exists' && (after + 6 === s.length || isSpace(s[after + 6]) || s[after + 6] === ')')) {
        out.push({ t: 'term', expr: { kind: 'attr', key: key.text, op: 'exists', value: '' }, start, end: after + 6 });
        i = skipSpace(s, after + 6);
        continue;
      }
    }
    const word = key.quoted ? key : readBare(s, i, false);
    if (!word.quoted && (word.text === 'AND' || word.text === 'OR' || word.text === 'NOT')) out.push({ t: word.text, start, end: word.end });
    else if (word.text !== '') out.push({ t: 'term', expr: textTerm(word), start, end: word.end });
    i = skipSpace(s, Math.max(word.end, i + 1));
  }
  return out;
}

/** Parse a log query. Precedence: NOT, then AND (also implicit), then OR. */
export function parseLogQuery(text: string): LogQuery {
  const errors: QueryError[] = [];
  const toks = tokenize(text, errors);
  let p = 0;

  function or(depth: number): LogExpr | null {
    const items: LogExpr[] = [];
    for (;;) {
      const a = and(depth);
      if (a) items.push(a);
      if (toks[p]?.t !== 'OR') break;
      const orTok = toks[p++];
      if (!a || p >= toks.length || toks[p].t === ')' || toks[p].t === 'OR') errors.push({ start: orTok.start, end: orTok.end, message: 'OR needs a term on both sides' });
    }
    return items.length === 0 ? null : items.length === 1 ? items[0] : { kind: 'or', items };
  }

  function and(depth: number): LogExpr | null {
    const items: LogExpr[] = [];
    while (p < toks.length && toks[p].t !== 'OR' && toks[p].t !== ')') {
      if (toks[p].t === 'AND') {
        p++;
        continue;
      }
      const u = unary(depth);
      if (u) items.push(u);
    }
    return items.length === 0 ? null : items.length === 1 ? items[0] : { kind: 'and', items };
  }

  function unary(depth: number): LogExpr | null {
    let negations = 0;
    const first = toks[p];
    while (toks[p]?.t === 'NOT') {
      negations++;
      p++;
    }
    const e = primary(depth);
    if (e === null) {
      if (negations > 0) errors.push({ start: first.start, end: first.end, message: 'NOT needs a term after it' });
      return null;
    }
    return negations % 2 === 1 ? { kind: 'not', item: e } : e;
  }

  function primary(depth: number): LogExpr | null {
    const tok = toks[p];
    if (!tok || tok.t === ')' || tok.t === 'OR') return null;
    p++;
    if (tok.t === 'term') return tok.expr;
    if (tok.t !== '(') return null;
    if (depth >= MAX_DEPTH) {
      errors.push({ start: tok.start, end: tok.end, message: `groups nest at most ${MAX_DEPTH} deep` });
      return null;
    }
    const inner = or(depth + 1);
    if (toks[p]?.t === ')') p++;
    else errors.push({ start: tok.start, end: tok.end, message: 'a "(" without its ")"' });
    return inner;
  }

  const parts: LogExpr[] = [];
  while (p < toks.length) {
    const e = or(0);
    if (e) parts.push(e);
    if (toks[p]?.t === ')') {
      errors.push({ start: toks[p].start, end: toks[p].end, message: 'a ")" without its "("' });
      p++;
    }
  }
  const expr: LogExpr = parts.length === 0 ? { kind: 'all' } : parts.length === 1 ? parts[0] : { kind: 'and', items: parts };
  return { expr, errors };
}

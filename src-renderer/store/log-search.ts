// The log search language (core/analysis/log-query.ts) run on the store. Each term is one
// parameter-bound query giving the log_row ids it matches; AND, OR and NOT are merges of those
// sorted id lists in JavaScript. FTS4 has its own AND/OR/NOT, but only for words in the message,
// and here a term may be a level, an attribute or a trace id in any encoding, each with its own
// index or scan; a merge of two sorted Int32Arrays costs a few ms per million ids.

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { SEVERITY_CODES } from './schema.ts';
import { ftsRows, ftsPhrase } from './log-view-fts.ts';
import type { LogExpr } from '../core/analysis/log-query.ts';
import { severityFromText } from '../core/import/logs/severity.ts';
import { idEncodings } from '../core/base/ids.ts';

function rows(store: Store, sql: string, params: SqlValue[]): Int32Array {
  const st = store.db.prepare(sql);
  try {
    st.bind(params);
    const out: number[] = [];
    while (st.step()) out.push(st.get()[0] as number);
    return Int32Array.from(out).sort();
  } finally {
    st.free();
  }
}

/** Ascending ids without repeats. */
function unique(a: Int32Array): Int32Array {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) a[n++] = a[i];
  return a.subarray(0, n);
}

export function unionRows(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0, j = 0, n = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (n === 0 || out[n - 1] !== x) out[n++] = x;
  }
  return out.subarray(0, n);
}

export function intersectRows(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0, j = 0, n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      out[n++] = a[i];
      i++;
      j++;
    }
  }
  return out.subarray(0, n);
}

export function differenceRows(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length);
  let i = 0, j = 0, n = 0;
  while (i < a.length) {
    while (j < b.length && b[j] < a[i]) j++;
    if (j >= b.length || b[j] !== a[i]) out[n++] = a[i];
    i++;
  }
  return out.subarray(0, n);
}

/** Text in the message, written as words (FTS4 phrase) and checked as the literal text too. */
function messageRows(store: Store, text: string, prefix = false, literal: string | null = null): Int32Array {
  const phrase = ftsPhrase(text, prefix);
  if (phrase === null) return new Int32Array(0);
  return ftsRows(store, phrase, text, literal);
}

function levelRows(store: Store, codes: number[], unknown: boolean): Int32Array {
  const or: string[] = [];
  if (codes.length > 0) or.push(`severity IN (${codes.map(() => '?').join(',')})`);
  if (unknown) or.push('severity IS NULL');
  if (or.length === 0) return new Int32Array(0);
  return rows(store, `SELECT log_row FROM logs WHERE ${or.join(' OR ')}`, codes);
}

/** A bare word that names a level ("info", "WARNING") matches lines of that level. */
function levelWordRows(store: Store, word: string): Int32Array {
  const level = severityFromText(word);
  if (level === null) return new Int32Array(0);
  return rows(store, 'SELECT log_row FROM logs WHERE severity = ?', [(SEVERITY_CODES as readonly string[]).indexOf(level)]);
}

function traceRows(store: Store, e: Extract<LogExpr, { kind: 'trace-id' }>): Int32Array {
  const { full, prefix, low64 } = e.id;
  let out: Int32Array = new Int32Array(0);
  if (full !== null) {
    out = unionRows(out, rows(store, 'SELECT log_row FROM logs WHERE trace_id = ?', [full]));
    // A 64-bit id (Datadog, 64-bit B3) is stored as its low half, zero-padded: such lines join on it.
    out = unionRows(out, rows(store, 'SELECT log_row FROM logs WHERE trace_id = ? AND trace_id_partial = 1', [full.slice(16).padStart(32, '0')]));
  }
  if (prefix !== null && full === null) out = unionRows(out, rows(store, 'SELECT log_row FROM logs WHERE substr(trace_id, 1, ?) = ?', [prefix.length, prefix]));
  for (const low of low64) {
    out = unionRows(out, rows(store, 'SELECT log_row FROM logs WHERE substr(trace_id, 17) = ?', [low]));
  }
  // The id written in the message, in each encoding a producer may use.
  const hex = full ?? (low64.length > 0 ? low64[0].padStart(32, '0') : null);
  if (hex !== null) for (const form of idEncodings(hex)) out = unionRows(out, messageRows(store, form));
  if (full === null && prefix !== null) out = unionRows(out, messageRows(store, prefix, true));
  return out;
}

/**
 * Keys that stand for others: `status` is how people ask for an HTTP status, which access logs
 * and OpenTelemetry's semantic conventions write as http.response.status_code (http.status_code
 * before 1.21).
 */
const KEY_ALIASES: Record<string, string[]> = { status: ['http.response.status_code', 'http.status_code', 'status_code'] };

function attrRows(store: Store, e: Extract<LogExpr, { kind: 'attr' }>): Int32Array {
  const keys = [e.key, ...(KEY_ALIASES[e.key.toLowerCase()] ?? [])];
  // A top-level key may hold dots (http.status_code: json_tree writes it quoted); err.status is a nested path.
  const keyMatch = `(${keys.map(() => `j.fullkey = '$.' || ? OR j.fullkey = '$."' || ? || '"'`).join(' OR ')})`;
  const keyParams = keys.flatMap((k) => [k, k]);
  // Booleans are atoms 1 and 0 in json_tree: compare their type's name, so error=true reads as written.
  const text = `lower(CASE WHEN j.type IN ('true', 'false') THEN j.type ELSE CAST(j.atom AS TEXT) END)`;
  const test =
    e.op === 'exists' ? { sql: '', params: [] as SqlValue[] }
    : e.op === '=' || e.op === '!=' ? { sql: `AND j.atom IS NOT NULL AND ${text} ${e.op === '=' ? '=' : '<>'} ?`, params: [e.value.toLowerCase()] }
    : { sql: `AND j.type IN ('integer', 'real') AND j.atom ${e.op} ?`, params: [Number(e.value)] };
  const phrase = e.op === '=' && !/^(true|false)$/i.test(e.value) ? ftsPhrase(e.value) : null;
  // Only rows whose JSON names a key are walked: `status"` is in both "status" and "err.status".
  const names = [...new Set(keys.map((k) => JSON.stringify(k.slice(k.lastIndexOf('.') + 1)).slice(1)))];
  const named = `l.attributes IS NOT NULL AND (${names.map(() => 'instr(l.attributes, ?) > 0').join(' OR ')})`;
  let found: Int32Array;
  if (phrase !== null) {
    // key=value: the value is in the full-text index (values are indexed), so only the lines that
    // hold its words are walked, in chunks of bound ids.
    const candidates = ftsRows(store, phrase, e.value);
    const out: Int32Array[] = [];
    for (let i = 0; i < candidates.length; i += 500) {
      const ids = Array.from(candidates.subarray(i, i + 500));
      out.push(rows(
        store,
        `SELECT l.log_row FROM logs l, json_tree(l.attributes) j WHERE l.log_row IN (${ids.map(() => '?').join(',')}) AND ${named} AND ${keyMatch} ${test.sql}`,
        [...ids, ...names, ...keyParams, ...test.params],
      ));
    }
    found = unique(out.reduce(unionRows, new Int32Array(0)));
  } else {
    found = unique(rows(
      store,
      `SELECT l.log_row FROM logs l, json_tree(l.attributes) j WHERE ${named} AND ${keyMatch} ${test.sql}`,
      [...names, ...keyParams, ...test.params],
    ));
  }
  // Text logs that wrote key=value in the message (logfmt-like lines a format did not split).
  if (e.op === '=') found = unionRows(found, messageRows(store, `${e.key} ${e.value}`, false, `${e.key}=${e.value}`));
  return found;
}

/**
 * The log_rows an expression matches, ascending. `universe` gives the lines a NOT is taken from
 * (ascending); it is asked for only when the expression has a NOT, and what a positive expression
 * matches outside it is left for the caller to drop (the view maps rows to its own positions).
 */
export function logQueryRows(store: Store, expr: LogExpr, universe: () => Int32Array): Int32Array {
  let all: Int32Array | null = null;
  const lines = () => (all ??= universe());
  // Recursive over the expression: the parser bounds its nesting (MAX_DEPTH groups).
  const run = (e: LogExpr): Int32Array => {
    switch (e.kind) {
      case 'all':
        return lines();
      case 'and': {
        const pos = e.items.filter((x) => x.kind !== 'not');
        let acc = pos.length > 0 ? run(pos[0]) : lines();
        for (const x of pos.slice(1)) acc = intersectRows(acc, run(x));
        for (const x of e.items) if (x.kind === 'not') acc = differenceRows(acc, run(x.item));
        return acc;
      }
      case 'or':
        return e.items.map(run).reduce(unionRows);
      case 'not':
        return differenceRows(lines(), run(e.item));
      case 'text': {
        const out = messageRows(store, e.text, e.prefix);
        return e.phrase || e.prefix ? out : unionRows(out, levelWordRows(store, e.text));
      }
      case 'level':
        return levelRows(store, e.levels.map((l) => (SEVERITY_CODES as readonly string[]).indexOf(l)), e.unknown);
      case 'service':
        return e.op === '='
          ? rows(store, 'SELECT log_row FROM logs WHERE service = ? COLLATE NOCASE', [e.value])
          : rows(store, 'SELECT log_row FROM logs WHERE service IS NOT NULL AND service <> ? COLLATE NOCASE', [e.value]);
      case 'trace-id':
        return traceRows(store, e);
      case 'span-id':
        return rows(store, 'SELECT log_row FROM logs WHERE span_id = ?', [e.hex]);
      case 'attr':
        return attrRows(store, e);
    }
  };
  const found = run(expr);
  return all === null ? found : intersectRows(found, all);
}

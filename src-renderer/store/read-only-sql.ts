// SQL a person typed (the command line's query, the SQL console), run so that it can only read.
//
// `PRAGMA query_only` alone is not enough: SQLite still runs ATTACH and DETACH under it (DETACH
// of the workspace's schema would drop every table from the connection), transaction statements
// (BEGIN would swallow the store's savepoints) and PRAGMAs that change the connection
// (query_only=0 itself, writable_schema). sql.js exports neither sqlite3_set_authorizer nor
// sqlite3_stmt_readonly, so the statement is checked here before it runs:
//   - exactly one statement (`SELECT 1; DELETE …` is refused, not half-run);
//   - it begins with SELECT, WITH, VALUES or EXPLAIN, or is a PRAGMA from a list of ones that only
//     report (table_info, index_list, …), without `=`;
// and query_only stays on while it runs, so a WITH … DELETE or a write hidden anywhere else is
// still refused by SQLite itself.

import type { SqlValue, Statement } from 'sql.js';
import type { Store } from './store.ts';

export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

/** Thrown for SQL that is not a single read: the message says what is allowed. */
export class ReadOnlySqlError extends Error {
  constructor(message: string) {
    super(`read-only SQL: ${message}`);
    this.name = 'ReadOnlySqlError';
  }
}

const READ_STARTS = new Set(['select', 'with', 'values', 'explain']);

/** PRAGMAs that only report; `PRAGMA name` and `PRAGMA name(arg)` forms. */
const READ_PRAGMAS = new Set([
  'table_info', 'table_xinfo', 'table_list', 'index_list', 'index_info', 'index_xinfo', 'foreign_key_list', 'database_list',
  'collation_list', 'function_list', 'module_list', 'pragma_list', 'compile_options', 'page_count', 'page_size', 'freelist_count',
  'schema_version', 'user_version', 'data_version', 'encoding', 'quick_check', 'integrity_check',
]);

/** The text after leading white space and SQL comments. */
function skipSpaceAndComments(sql: string): string {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i])) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else return sql.slice(i);
  }
}

/** Why this one statement may not run read-only, or null when it may. */
export function readOnlyRefusal(statement: string): string | null {
  const text = skipSpaceAndComments(statement);
  const word = /^[A-Za-z_]+/.exec(text)?.[0].toLowerCase() ?? '';
  if (READ_STARTS.has(word)) return null;
  if (word === 'pragma') {
    const m = /^pragma\s+(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)?([A-Za-z_]+)\s*(\(\s*[^()=;]*\)\s*)?;?\s*$/i.exec(text);
    if (m && READ_PRAGMAS.has(m[1].toLowerCase())) return null;
    return `only PRAGMAs that report are allowed (${[...READ_PRAGMAS].slice(0, 6).join(', ')}, …), and never with "="`;
  }
  if (word === 'attach' || word === 'detach') return `${word.toUpperCase()} is not allowed: the SQL reads the open workspace only`;
  return `only a read is allowed (SELECT, WITH, VALUES, EXPLAIN or a reporting PRAGMA), not ${word ? word.toUpperCase() : 'this'}`;
}

/** sql.js reads integers as BigInt with this option; @types/sql.js does not know it yet. */
function getBig(st: Statement): unknown[] {
  return (st.get as (p: null, o: { useBigInt: boolean }) => unknown[])(null, { useBigInt: true });
}

export interface ReadOnlyLimits {
  /** Stop (with an error) after this many rows: a console shows a page, not a million rows. */
  maxRows?: number;
  /** Called between rows; returning true stops the query (a deadline, a cancel flag). */
  shouldStop?: () => boolean;
}

/**
 * Run one statement a user typed, read-only, with its parameters bound. 64-bit integers beyond
 * 2^53 come back as BigInt, so nothing is silently rounded.
 */
export function runReadOnlySql(store: Store, sql: string, params: SqlValue[] = [], limits: ReadOnlyLimits = {}): SqlResult {
  const db = store.db;
  // The iterator prepares the first statement only; what follows it is left as text.
  const it = db.iterateStatements(sql);
  let first: string;
  let rest: string;
  try {
    const r = it.next();
    if (r.done) throw new ReadOnlySqlError('no SQL statement given');
    first = r.value.getSQL();
    rest = it.getRemainingSQL();
  } finally {
    // Frees the prepared statement and the iterator's copy of the text (not in @types/sql.js).
    (it as unknown as { return(): void }).return();
  }
  const refusal = readOnlyRefusal(first);
  if (refusal) throw new ReadOnlySqlError(refusal);
  if (skipSpaceAndComments(rest.replace(/;/g, ' ')) !== '') throw new ReadOnlySqlError('one statement at a time: remove what follows the first ";"');
  const st = db.prepare(first);
  db.exec('PRAGMA query_only = 1');
  try {
    st.bind(params);
    const rows: unknown[][] = [];
    while (st.step()) {
      rows.push(getBig(st).map((v) => (typeof v === 'bigint' && v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v)));
      if (limits.maxRows !== undefined && rows.length > limits.maxRows) throw new ReadOnlySqlError(`more than ${limits.maxRows} rows: add a LIMIT`);
      if (limits.shouldStop?.()) throw new ReadOnlySqlError('the query was stopped');
    }
    return { columns: st.getColumnNames(), rows };
  } finally {
    st.free();
    db.exec('PRAGMA query_only = 0');
  }
}

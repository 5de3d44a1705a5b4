// The span search index: what trace search's attribute terms and free text look up instead of
// reading every span's JSON. A dictionary of distinct entries, each pointing at the spans that
// have it:
//
//   entries   kind 0  a span attribute: (key, JSON type, value as json_each reads it)
//             kind 1  a text of the span: its name, its status message, an event's name
//             kind 2  an event attribute's value (type, value; free text only, so no key)
//             kind 3  the span's resource (value = resources.resource_id)
//   postings  (entry_id, span_row): which spans have the entry, with the span's trace_no and op_id
//             (copies: neither changes once a span is stored), so that a search for an attribute
//             in a service reads no span row
//
// Real data has far fewer distinct entries than spans (1M generated spans: ~17,000 entries for
// ~4M postings), so a term scans the dictionary with the same conditions the span scan uses and
// reads the spans of the entries found.
//
// It lives in an attached in-memory database (`span_index`), never in the workspace file: at a
// million spans the postings alone would add about a fifth to the file and to its save time. It is
// built after an import or an open, a batch of span rows at a time (the engine runs batches in
// steps between requests, engine/span-index-step.ts, as it builds the log full-text index), over
// span rows in order up to state.last_row.
// A search uses the index for the rows it covers and reads the rest as before, so results never
// depend on how far it got, or whether it is there at all: its memory counts in the workspace's
// budget (Store.budget), and the engine leaves it out when the workspace is near full. Spans are never changed after import, so what it holds stays right;
// an import that is rolled back rolls back whatever step ran inside it with it. Saving copies the
// workspace's database alone (SQLite's backup API, in Store.export and in sql.js's export()), and
// leaves the connection and this attachment as they were.

import type { Store } from './store.ts';
import type { Where } from './trace-search.ts';

const DB = 'span_index';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${DB}.entries (
  entry_id INTEGER PRIMARY KEY,
  kind     INTEGER NOT NULL,
  key      TEXT NOT NULL,          -- the attribute's key (kind 0); '' otherwise
  type     TEXT NOT NULL,          -- json_each's type of the value; 'text' (kind 1), 'resource' (kind 3)
  value    NOT NULL,               -- json_each's value (1/0 for true/false), x'' for a JSON null; no type, so no affinity changes it
  UNIQUE (kind, key, type, value)
);
CREATE TABLE IF NOT EXISTS ${DB}.postings (
  entry_id INTEGER NOT NULL,
  span_row INTEGER NOT NULL,
  trace_no INTEGER NOT NULL,       -- spans.trace_no
  op_id    INTEGER,                -- spans.op_id
  PRIMARY KEY (entry_id, span_row)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${DB}.state (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  last_row INTEGER NOT NULL        -- spans with span_row up to this are indexed
);
`;

export const ENTRY_ATTRIBUTE = 0;
export const ENTRY_TEXT = 1;
export const ENTRY_EVENT_VALUE = 2;
export const ENTRY_RESOURCE = 3;

/** The entries of span rows (lo, hi], with their span rows: a batch's worth, gathered before they are interned. */
const SPAN = 's.span_row, s.trace_no, s.op_id';
const GATHER = `
INSERT INTO temp.span_index_batch (kind, key, type, value, span_row, trace_no, op_id)
  SELECT ${ENTRY_ATTRIBUTE}, j.key, j.type, coalesce(j.value, x''), ${SPAN} FROM spans s, json_each(s.attributes) j WHERE s.span_row > ?1 AND s.span_row <= ?2
  UNION ALL SELECT ${ENTRY_TEXT}, '', 'text', s.name, ${SPAN} FROM spans s WHERE s.span_row > ?1 AND s.span_row <= ?2
  UNION ALL SELECT ${ENTRY_TEXT}, '', 'text', s.status_message, ${SPAN} FROM spans s WHERE s.span_row > ?1 AND s.span_row <= ?2 AND s.status_message IS NOT NULL
  UNION ALL SELECT ${ENTRY_RESOURCE}, '', 'resource', s.resource_id, ${SPAN} FROM spans s WHERE s.span_row > ?1 AND s.span_row <= ?2 AND s.resource_id IS NOT NULL
  UNION ALL SELECT ${ENTRY_TEXT}, '', 'text', e.name, ${SPAN} FROM span_events e JOIN spans s ON s.span_row = e.span_row WHERE e.span_row > ?1 AND e.span_row <= ?2
  UNION ALL SELECT ${ENTRY_EVENT_VALUE}, '', j.type, j.value, ${SPAN} FROM span_events e JOIN spans s ON s.span_row = e.span_row, json_each(e.attributes) j
    WHERE e.span_row > ?1 AND e.span_row <= ?2 AND j.type NOT IN ('object', 'array', 'null')`;

function isAttached(store: Store): boolean {
  return store.db.exec(`SELECT 1 FROM pragma_database_list WHERE name = '${DB}'`).length > 0;
}

/** The index's database, attached and its tables made when missing. */
function attach(store: Store): void {
  if (!isAttached(store)) store.db.exec(`ATTACH ':memory:' AS ${DB}; PRAGMA ${DB}.cache_size=-200000;`);
  store.db.exec(SCHEMA);
}

/** Span rows indexed so far (0 when there is no index). */
export function spanIndexUpTo(store: Store): number {
  if (!isAttached(store)) return 0;
  const r = store.db.exec(`SELECT last_row FROM ${DB}.state WHERE id = 1`);
  return r.length > 0 ? Number(r[0].values[0][0]) : 0;
}

function lastSpanRow(store: Store): number {
  return Number(store.db.exec('SELECT coalesce(max(span_row), 0) FROM spans')[0].values[0][0]);
}

/**
 * Index up to `maxRows` more span rows. Returns true while rows remain, so that a caller can go
 * on until it returns false.
 */
export function buildSpanIndexBatch(store: Store, maxRows: number): boolean {
  attach(store);
  const db = store.db;
  const from = spanIndexUpTo(store);
  const last = lastSpanRow(store);
  if (from >= last) return false;
  const to = Math.min(last, from + Math.max(1, Math.floor(maxRows)));
  db.exec('SAVEPOINT span_index');
  try {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS span_index_batch (kind INTEGER NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL, value NOT NULL,
      span_row INTEGER NOT NULL, trace_no INTEGER NOT NULL, op_id INTEGER)`);
    db.run(GATHER, [from, to]);
    db.exec(`
      INSERT OR IGNORE INTO ${DB}.entries (kind, key, type, value) SELECT DISTINCT kind, key, type, value FROM temp.span_index_batch;
      INSERT OR IGNORE INTO ${DB}.postings (entry_id, span_row, trace_no, op_id)
        SELECT e.entry_id, b.span_row, b.trace_no, b.op_id FROM temp.span_index_batch b
        JOIN ${DB}.entries e ON e.kind = b.kind AND e.key = b.key AND e.type = b.type AND e.value = b.value;
      DELETE FROM temp.span_index_batch;`);
    db.run(`INSERT INTO ${DB}.state (id, last_row) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET last_row = excluded.last_row`, [to]);
    db.exec('RELEASE span_index');
  } catch (e) {
    db.exec('ROLLBACK TO span_index; RELEASE span_index');
    throw e;
  }
  return to < last;
}

export interface SpanIndexProgress {
  /** Span rows indexed, of `total` (the highest span row). */
  indexed: number;
  total: number;
  done: boolean;
}

export function spanIndexProgress(store: Store): SpanIndexProgress {
  const total = lastSpanRow(store);
  const indexed = Math.min(spanIndexUpTo(store), total);
  return { indexed, total, done: indexed >= total };
}

/** What an indexed span row is taken to cost in memory until enough are indexed to measure it (generated spans: ~70 B). */
const GUESSED_ROW_BYTES = 128;
const MEASURED_AFTER_ROWS = 10_000;

/** The bytes the index will take once it covers every span: as measured per row so far, or guessed. */
export function spanIndexFullBytes(store: Store): number {
  const { indexed, total } = spanIndexProgress(store);
  return total * (indexed >= MEASURED_AFTER_ROWS ? spanIndexBytes(store) / indexed : GUESSED_ROW_BYTES);
}

/** Drop the index, giving its memory back (searches read every span without it). Not inside a transaction. */
export function dropSpanIndex(store: Store): void {
  if (isAttached(store)) store.db.exec(`DETACH ${DB}`);
}

/** Bytes the index takes in memory. */
export function spanIndexBytes(store: Store): number {
  if (!isAttached(store)) return 0;
  return Number(store.db.exec(`SELECT c.page_count * s.page_size FROM pragma_page_count('${DB}') c, pragma_page_size('${DB}') s`)[0].values[0][0]);
}

/** How much of the spans the index covers now: none, some (rows up to `upto`), or all. */
export type SpanIndexCoverage = { state: 'absent' } | { state: 'partial'; upto: number } | { state: 'complete' };

export function spanIndexCoverage(store: Store): SpanIndexCoverage {
  const upto = spanIndexUpTo(store);
  if (upto === 0) return { state: 'absent' };
  return upto >= lastSpanRow(store) ? { state: 'complete' } : { state: 'partial', upto };
}

/**
 * A condition on a span (alias s) from one on the index's entries (alias e): the span has an
 * entry meeting `entry`. Spans past the index are met by `scan`, the same condition read from the
 * span itself.
 */
export function indexedSpanWhere(coverage: SpanIndexCoverage, entry: Where, scan: () => Where): Where {
  if (coverage.state === 'absent') return scan();
  const viaIndex: Where = {
    sql: `s.span_row IN (SELECT p.span_row FROM ${DB}.postings p WHERE p.entry_id IN (SELECT e.entry_id FROM ${DB}.entries e WHERE ${entry.sql}))`,
    params: entry.params,
  };
  if (coverage.state === 'complete') return viaIndex;
  const rest = scan();
  return {
    sql: `(s.span_row <= ? AND ${viaIndex.sql}) OR (s.span_row > ? AND (${rest.sql}))`,
    params: [coverage.upto, ...viaIndex.params, coverage.upto, ...rest.params],
  };
}

/**
 * The numbers of the traces (each any number of times) with a span that has an entry meeting each
 * of `entries` (conditions on alias e) and meets each of `spanConds`, conditions on its posting
 * (alias p0: its span_row, trace_no and op_id). Only for a complete index: no span row is read
 * unless a condition reads one.
 */
export function postingsTraceNos(entries: Where[], spanConds: Where[]): Where {
  const ids = (w: Where) => `SELECT e.entry_id FROM ${DB}.entries e WHERE ${w.sql}`;
  const [first, ...rest] = entries;
  const conds = [
    `p0.entry_id IN (${ids(first)})`,
    ...rest.map((w, i) => `EXISTS (SELECT 1 FROM ${DB}.postings p${i + 1} WHERE p${i + 1}.entry_id IN (${ids(w)}) AND p${i + 1}.span_row = p0.span_row)`),
    ...spanConds.map((w) => `(${w.sql})`),
  ];
  return {
    sql: `SELECT p0.trace_no FROM ${DB}.postings p0 WHERE ${conds.join(' AND ')}`,
    params: [...entries.flatMap((w) => w.params), ...spanConds.flatMap((w) => w.params)],
  };
}

// Full-text search for the log view: FTS4 over messages (sql.js has FTS4, not FTS5), with
// external content (the text is stored once, in logs), built after import in batches up to
// logs_fts_state.last_row. The engine worker calls ftsStep between the view's requests, so each
// step must end quickly for the view to stay usable while a million lines are indexed. Until the
// index is complete, lines past it are matched by their text: results are right while it builds.

import type { Store } from './store.ts';

/** FTS4 query for user text: each word quoted (no operator injection), a trailing * kept as prefix. */
export function toFtsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => {
      const prefix = w.endsWith('*');
      const core = w.replace(/["*]/g, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      return core ? `"${core}${prefix ? '*' : ''}"` : '';
    })
    .filter((w) => w);
  return words.length > 0 ? words.join(' ') : null;
}

/**
 * What a line's index entry holds: its message, then its attribute values (not their keys: a word
 * should find lines that say it, not every line with a field of that name). The index's content
 * table is `logs`, but only docids are ever read back from it, so the indexed text may be more
 * than the message column.
 */
const INDEXED_TEXT = `message || coalesce((SELECT ' ' || group_concat(atom, ' ') FROM json_tree(logs.attributes) WHERE atom IS NOT NULL), '')`;

export function ftsIndexedUpTo(store: Store): number {
  const r = store.db.exec('SELECT last_row FROM logs_fts_state WHERE id = 1');
  return r.length > 0 ? (r[0].values[0][0] as number) : 0;
}

/**
 * Index up to `maxRows` more log lines in FTS4. Returns true while lines remain to index, so
 * the worker can call it between queries until it returns false.
 */
export function buildFtsBatch(store: Store, maxRows: number): boolean {
  const db = store.db;
  const from = ftsIndexedUpTo(store);
  const last = db.exec('SELECT max(log_row) FROM (SELECT log_row FROM logs WHERE log_row > ? ORDER BY log_row LIMIT ?)', [from, maxRows])[0].values[0][0];
  if (last === null) return false;
  db.exec('SAVEPOINT fts');
  try {
    db.run(`INSERT INTO logs_fts (docid, message) SELECT log_row, ${INDEXED_TEXT} FROM logs WHERE log_row > ? AND log_row <= ?`, [from, last as number]);
    db.run('INSERT INTO logs_fts_state (id, last_row) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET last_row = excluded.last_row', [last as number]);
    db.exec('RELEASE fts');
  } catch (e) {
    db.exec('ROLLBACK TO fts; RELEASE fts');
    throw e;
  }
  return db.exec('SELECT EXISTS (SELECT 1 FROM logs WHERE log_row > ?)', [last as number])[0].values[0][0] === 1;
}


export interface FtsProgress {
  /** Index progress in log_row ids (see ftsProgress). */
  indexed: number;
  total: number;
  done: boolean;
}

const tuned = new WeakSet<Store>();

/**
 * FTS4 merges 16 segments of a level at once by default; on 1M lines the step that triggers such
 * a merge stalled ~350 ms. automerge=8 spreads merging over later inserts (measured: slowest
 * step ~150 ms, whole build ~7 s instead of ~10 s with 250-line batches).
 */
function tune(store: Store): void {
  if (tuned.has(store)) return;
  store.db.exec(`INSERT INTO logs_fts(logs_fts) VALUES ('automerge=8')`);
  tuned.add(store);
}

/**
 * Progress in log_row ids: rows are numbered densely in arrival order (a rolled-back import
 * frees its ids for the next one), so the watermark over the largest id is the share indexed,
 * without counting a million rows at every step.
 */
export function ftsProgress(store: Store): FtsProgress {
  const upto = ftsIndexedUpTo(store);
  const total = store.db.exec('SELECT coalesce(max(log_row), 0) FROM logs')[0].values[0][0] as number;
  return { indexed: Math.min(upto, total), total, done: upto >= total };
}

/** Index batches of `batch` lines until `budgetMs` has passed or nothing is left. */
export function ftsStep(store: Store, budgetMs = 40, batch = 250): FtsProgress {
  const t0 = performance.now();
  if (ftsIndexedUpTo(store) < (store.db.exec('SELECT coalesce(max(log_row), 0) FROM logs')[0].values[0][0] as number)) {
    tune(store);
    while (buildFtsBatch(store, batch) && performance.now() - t0 < budgetMs);
  }
  return ftsProgress(store);
}

/** An FTS4 phrase of the text's words ("statement timeout" → `"statement timeout"`), the last a prefix when asked. */
export function ftsPhrase(text: string, prefix = false): string | null {
  const words = text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  return words.length > 0 ? `"${words.join(' ')}${prefix ? '*' : ''}"` : null;
}

/**
 * log_row ids whose message or attribute values match, ascending: indexed lines through the FTS4
 * query, lines not indexed yet by containing `needle` (case-insensitive for ASCII, as LIKE is), so a search during
 * indexing is complete, only slower. When `literal` is given every line must also contain it as
 * written (any case). instr, not LIKE: SQLite refuses LIKE patterns past 50,000 bytes ("LIKE or
 * GLOB pattern too complex"), and a pasted search may be longer.
 */
export function ftsRows(store: Store, ftsQuery: string, needle: string, literal: string | null = null): Int32Array {
  const upto = ftsIndexedUpTo(store);
  const lit = literal === null ? [] : [literal.toLowerCase()];
  const also = literal === null ? '' : 'AND instr(lower(l.message), ?) > 0';
  // Unindexed lines: the needle in the message, or (as the index holds values) in the attribute map's text.
  const inAttributes = literal === null ? 'OR (l.attributes IS NOT NULL AND instr(lower(l.attributes), ?) > 0)' : '';
  const st = store.db.prepare(
    `SELECT f.docid FROM logs_fts f ${literal === null ? '' : 'JOIN logs l ON l.log_row = f.docid'} WHERE f.logs_fts MATCH ? ${also}
     UNION ALL SELECT l.log_row FROM logs l WHERE l.log_row > ? AND (instr(lower(l.message), ?) > 0 ${inAttributes}) ${also}`,
  );
  try {
    const n = needle.trim().toLowerCase();
    st.bind([ftsQuery, ...lit, upto, n, ...(literal === null ? [n] : []), ...lit]);
    const out: number[] = [];
    while (st.step()) out.push(st.get()[0] as number);
    return Int32Array.from(out).sort();
  } finally {
    st.free();
  }
}

/** log_row ids whose message holds every word of the text (a trailing * as a prefix), ascending. */
export function ftsMatch(store: Store, text: string): Int32Array {
  const query = toFtsQuery(text);
  return query === null ? new Int32Array(0) : ftsRows(store, query, text);
}

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
    db.run('INSERT INTO logs_fts (docid, message) SELECT log_row, message FROM logs WHERE log_row > ? AND log_row <= ?', [from, last as number]);
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

/**
 * log_row ids whose message matches, ascending: indexed lines through FTS4 (every word, a
 * trailing * as a prefix), lines not indexed yet by the whole text (case-insensitive for ASCII,
 * as LIKE is), so a search during indexing is complete, only slower. instr, not LIKE: SQLite
 * refuses LIKE patterns past 50,000 bytes ("LIKE or GLOB pattern too complex"), and a pasted
 * search may be longer.
 */
export function ftsMatch(store: Store, text: string): Int32Array {
  const query = toFtsQuery(text);
  if (query === null) return new Int32Array(0);
  const upto = ftsIndexedUpTo(store);
  const st = store.db.prepare(
    `SELECT docid FROM logs_fts WHERE logs_fts MATCH ?
     UNION ALL SELECT log_row FROM logs WHERE log_row > ? AND instr(lower(message), ?) > 0`,
  );
  try {
    st.bind([query, upto, text.trim().toLowerCase()]);
    const out: number[] = [];
    while (st.step()) out.push(st.get()[0] as number);
    return Int32Array.from(out).sort();
  } finally {
    st.free();
  }
}

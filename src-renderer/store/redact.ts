// Redaction of a workspace's text, in place: run on a copy of the workspace that is then
// exported (engine/redact.ts). Every column that holds text from the files is passed through the
// Redactor; ids, times and numbers are not touched, so joins and critical paths stay as they were.
// The full-text index of log messages is rebuilt from the redacted messages (its old terms would
// otherwise keep the originals).

import type { Store } from './store.ts';
import type { Redactor } from '../core/analysis/redact.ts';
import { parseExact, stringifyExact } from '../core/base/json.ts';
import { buildFtsBatch } from './log-view-fts.ts';
import { rebuildKeptMap } from './map-summary.ts';

const FTS_BATCH = 50_000;

type Kind = 'text' | 'attrs' | 'json' | 'view';

/**
 * table → its primary key (columns, which may be redacted too: the row is found by their old values)
 * and the columns redacted, with how to read each. Grouped operations and their peers are names and
 * hosts taken from the spans, so they go through the same rules as the spans' names.
 */
const COLUMNS: [table: string, key: string[], cols: [string, Kind][]][] = [
  ['spans', ['span_row'], [['name', 'text'], ['service', 'text'], ['status_message', 'text'], ['attributes', 'attrs']]],
  ['span_events', ['rowid'], [['name', 'text'], ['attributes', 'attrs']]],
  ['span_links', ['rowid'], [['attributes', 'attrs']]],
  ['resources', ['resource_id'], [['service', 'text'], ['attributes', 'attrs']]],
  ['logs', ['log_row'], [['message', 'text'], ['service', 'text'], ['severity_text', 'text'], ['attributes', 'attrs']]],
  ['traces', ['trace_id'], [['root_service', 'text'], ['root_name', 'text']]],
  ['files', ['file_id'], [['name', 'text'], ['service', 'text'], ['errors', 'json'], ['notes', 'json']]],
  ['import_findings', ['finding_id'], [['message', 'text'], ['data', 'json']]],
  ['catalog_aliases', ['service'], [['service', 'text'], ['entry', 'text']]],
  ['operations', ['op_id'], [['service', 'text'], ['operation', 'text'], ['peer', 'text']]],
  ['operation_settings', ['service', 'operation'], [['service', 'text'], ['operation', 'text']]],
  ['scopes', ['scope_id'], [['name', 'text'], ['version', 'text']]],
  ['service_catalog', ['entry_id'], [
    ['name', 'text'], ['title', 'text'], ['description', 'text'], ['owner', 'text'], ['system', 'text'], ['lifecycle', 'text'],
    ['on_call', 'text'], ['chat', 'text'], ['pagerduty', 'text'], ['links', 'json'], ['depends_on', 'json'], ['source', 'json'],
  ]],
  ['report_drafts', ['id'], [['title', 'text'], ['summary', 'text'], ['actions', 'json']]],
  ['slos', ['slo_id'], [['definition', 'json'], ['warnings', 'json'], ['source', 'json']]],
  ['notes', ['note_id'], [['label', 'text'], ['body', 'text']]],
  ['view_state', ['id'], [['state', 'view']]],
];

function redactCell(r: Redactor, kind: Kind, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (kind === 'text') return r.text(v);
  let parsed: unknown;
  try {
    parsed = parseExact(v);
  } catch {
    return r.text(v);
  }
  if (kind === 'attrs' && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return stringifyExact(r.attributes(parsed as Record<string, unknown>));
  if (kind === 'view' && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    // The view (state/navigation.svelte.ts ViewState): the route is a URL whose query values are
    // percent-encoded, so a rule would not see them as written; what each screen kept is plain JSON.
    const { route, ...rest } = parsed as Record<string, unknown>;
    return stringifyExact({ ...(typeof route === 'string' ? { route: r.route(route) } : {}), ...(r.value(rest) as Record<string, unknown>) });
  }
  return stringifyExact(r.value(parsed));
}

/** The first pass: attribute values replaced whole (user ids, credentials, chosen keys) are learned. */
function learnWholeValues(store: Store, r: Redactor): void {
  for (const [table, , cols] of COLUMNS) {
    for (const [col, kind] of cols) {
      if (kind !== 'attrs') continue;
      const st = store.db.prepare(`SELECT ${col} FROM ${table} WHERE ${col} IS NOT NULL`);
      try {
        while (st.step()) {
          const v = st.get()[0];
          if (typeof v !== 'string') continue;
          try {
            const m = parseExact(v);
            if (typeof m === 'object' && m !== null && !Array.isArray(m)) r.learnAttributes(m as Record<string, unknown>);
          } catch {
            // not JSON: nothing to learn from
          }
        }
      } finally {
        st.free();
      }
    }
  }
}

/** Redact every text column of the store; returns the number of cells changed. */
export function redactStore(store: Store, r: Redactor): number {
  let changed = 0;
  learnWholeValues(store, r);
  store.db.exec('SAVEPOINT redact');
  try {
    for (const [table, key, cols] of COLUMNS) {
      const names = cols.map(([c]) => c);
      // A scan that walks an index whose values the UPDATE changes meets the moved row again (and
      // would redact its pseudonym): rows are read from the table itself, and where the key itself
      // is redacted (a WITHOUT ROWID table is its key's index) the writes wait until the scan ends.
      const rekeyed = key.some((k) => names.includes(k));
      const read = store.db.prepare(`SELECT ${[...key, ...names].join(', ')} FROM ${table} NOT INDEXED`);
      const write = store.db.prepare(`UPDATE ${table} SET ${names.map((c) => `${c} = ?`).join(', ')} WHERE ${key.map((k) => `${k} = ?`).join(' AND ')}`);
      const pending: (string | number | null)[][] = [];
      try {
        while (read.step()) {
          const row = (read.get as (p: null, o: { useBigInt: boolean }) => unknown[])(null, { useBigInt: true });
          const next = cols.map(([, kind], i) => redactCell(r, kind, row[i + key.length]));
          if (next.some((v, i) => v !== row[i + key.length])) {
            const args = [...next, ...row.slice(0, key.length)] as (string | number | null)[];
            if (rekeyed) pending.push(args);
            else write.run(args);
            changed++;
          }
        }
        for (const args of pending) write.run(args);
      } finally {
        read.free();
        write.free();
      }
    }
    // The full-text index is derived (messages and attribute values): emptied and built again from
    // what is left, the way the log view builds it, so it holds no original term.
    const made = String(store.db.exec(`SELECT sql FROM sqlite_schema WHERE name = 'logs_fts'`)[0].values[0][0]);
    store.db.exec(`DROP TABLE logs_fts; DELETE FROM logs_fts_state;`);
    store.db.exec(made);
    while (buildFtsBatch(store, FTS_BATCH));
    // The kept service map names its nodes by service and peer: made again from the redacted operations.
    rebuildKeptMap(store, true);
    store.db.exec('RELEASE redact');
  } catch (e) {
    store.db.exec('ROLLBACK TO redact; RELEASE redact');
    throw e;
  }
  return changed;
}

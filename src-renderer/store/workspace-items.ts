// The user's work kept in the workspace beside the data: SLO definitions, notes and stars, and
// the view state (schema.ts: slos, notes, view_state). Small tables, read whole.

import type { Store } from './store.ts';
import { parseJsonCell } from './json-cell.ts';
import { readSloDefinition, type SloDefinition } from '../core/analysis/slo.ts';

export interface SavedSlo {
  id: number;
  definition: SloDefinition;
  warnings: string[];
  source?: Record<string, unknown>;
}

/** The SLOs stored, and the ids of rows that are not SLO definitions (a hand-edited or damaged file). */
function readSlos(store: Store): { slos: SavedSlo[]; unreadable: number[] } {
  const st = store.stmt('SELECT slo_id, definition, warnings, source FROM slos ORDER BY slo_id');
  const slos: SavedSlo[] = [];
  const unreadable: number[] = [];
  while (st.step()) {
    const r = st.get();
    const id = Number(r[0]);
    const definition = readSloDefinition(parseJsonCell<unknown>(r[1], undefined));
    if (!definition) {
      unreadable.push(id);
      continue;
    }
    const warnings = parseJsonCell<unknown>(r[2], []);
    const slo: SavedSlo = { id, definition, warnings: Array.isArray(warnings) ? warnings.map(String) : [] };
    const source = parseJsonCell<unknown>(r[3], undefined);
    if (typeof source === 'object' && source !== null && !Array.isArray(source)) slo.source = source as Record<string, unknown>;
    slos.push(slo);
  }
  st.reset();
  return { slos, unreadable };
}

/** The SLOs kept in the workspace; rows that are not SLO definitions are left out (workspaceProblems names them). */
export function listSlos(store: Store): SavedSlo[] {
  return readSlos(store).slos;
}

/** What of the user's work in an opened workspace cannot be read, in words naming the file: left out, the rest opens. */
export function workspaceProblems(store: Store, name: string): string[] {
  const { unreadable } = readSlos(store);
  return unreadable.length === 0
    ? []
    : [`${name}: ${unreadable.length === 1 ? 'SLO definition' : 'SLO definitions'} ${unreadable.join(', ')} ${unreadable.length === 1 ? 'is' : 'are'} not a readable SLO and ${unreadable.length === 1 ? 'was' : 'were'} left out`];
}

/** Store SLOs; returns their ids, in order. */
export function addSlos(store: Store, items: readonly Omit<SavedSlo, 'id'>[]): number[] {
  const st = store.stmt('INSERT INTO slos (definition, warnings, source) VALUES (?, ?, ?) RETURNING slo_id');
  return items.map((it) => {
    const id = Number(st.get([JSON.stringify(it.definition), JSON.stringify(it.warnings), it.source ? JSON.stringify(it.source) : null])[0]);
    st.reset();
    return id;
  });
}

export function removeSlo(store: Store, id: number): void {
  store.db.run('DELETE FROM slos WHERE slo_id = ?', [id]);
}

export type NoteTarget = 'span' | 'trace' | 'log' | 'range';

/** What a note is on: a span (trace and span id), a trace, a log line (its row), a time range (epoch ns as decimal strings). */
export interface NoteAnchor {
  target: NoteTarget;
  traceId?: string | null;
  spanId?: string | null;
  logRow?: number | null;
  fromNs?: string | null;
  toNs?: string | null;
  /** What it points at as shown when it was made (a span's name, a line's message). */
  label?: string;
}

export interface Note extends Required<NoteAnchor> {
  id: number;
  starred: boolean;
  body: string;
  /** When it was made, ms since the epoch. */
  createdMs: number;
}

const NOTE_COLUMNS = 'note_id, target, trace_id, span_id, log_row, CAST(from_ns AS TEXT), CAST(to_ns AS TEXT), label, starred, body, created_ms';

export function listNotes(store: Store): Note[] {
  const st = store.stmt(`SELECT ${NOTE_COLUMNS} FROM notes ORDER BY created_ms, note_id`);
  const out: Note[] = [];
  while (st.step()) {
    const r = st.get();
    out.push({
      id: r[0] as number, target: r[1] as NoteTarget, traceId: r[2] as string | null, spanId: r[3] as string | null, logRow: r[4] as number | null,
      fromNs: r[5] as string | null, toNs: r[6] as string | null, label: r[7] as string, starred: r[8] === 1, body: r[9] as string, createdMs: r[10] as number,
    });
  }
  st.reset();
  return out;
}

/** The note on exactly this anchor (a span, a trace, a line, a range), if there is one. */
export function findNote(store: Store, a: NoteAnchor): number | null {
  const st = store.stmt(
    `SELECT note_id FROM notes WHERE target = ? AND trace_id IS ? AND span_id IS ? AND log_row IS ? AND from_ns IS CAST(? AS INTEGER) AND to_ns IS CAST(? AS INTEGER)`,
  );
  const r = st.get([a.target, a.traceId ?? null, a.spanId ?? null, a.logRow ?? null, a.fromNs ?? null, a.toNs ?? null]);
  st.reset();
  return r.length > 0 ? Number(r[0]) : null;
}

export function addNote(store: Store, a: NoteAnchor, starred: boolean, body: string, createdMs: number): number {
  const st = store.stmt(
    'INSERT INTO notes (target, trace_id, span_id, log_row, from_ns, to_ns, label, starred, body, created_ms) VALUES (?, ?, ?, ?, CAST(? AS INTEGER), CAST(? AS INTEGER), ?, ?, ?, ?) RETURNING note_id',
  );
  const id = Number(
    st.get([a.target, a.traceId ?? null, a.spanId ?? null, a.logRow ?? null, a.fromNs ?? null, a.toNs ?? null, a.label ?? '', starred ? 1 : 0, body, createdMs])[0],
  );
  st.reset();
  return id;
}

export function updateNote(store: Store, id: number, changes: { starred?: boolean; body?: string }): void {
  if (changes.starred !== undefined) store.db.run('UPDATE notes SET starred = ? WHERE note_id = ?', [changes.starred ? 1 : 0, id]);
  if (changes.body !== undefined) store.db.run('UPDATE notes SET body = ? WHERE note_id = ?', [changes.body, id]);
}

export function removeNote(store: Store, id: number): void {
  store.db.run('DELETE FROM notes WHERE note_id = ?', [id]);
}

export function viewState(store: Store): unknown {
  const r = store.db.exec('SELECT state FROM view_state WHERE id = 1');
  return r.length === 0 ? null : parseJsonCell<unknown>(r[0].values[0][0], null);
}

export function setViewState(store: Store, state: unknown): void {
  store.db.run('INSERT INTO view_state (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state', [JSON.stringify(state)]);
}

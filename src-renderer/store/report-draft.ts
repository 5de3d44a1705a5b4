// The report the user is writing (the report view's window, title, summary and actions), kept in
// the workspace so it is saved with it and comes back when the workspace is opened.

import { parseJsonCell } from './json-cell.ts';
import type { Store } from './store.ts';

export interface ReportDraft {
  /** As typed: RFC 3339 or epoch ns. */
  from: string;
  to: string;
  title: string;
  summary: string;
  actions: string[];
}

export function reportDraft(store: Store): ReportDraft | null {
  const r = store.db.exec('SELECT from_text, to_text, title, summary, actions FROM report_drafts WHERE id = 1')[0]?.values[0];
  if (!r) return null;
  // A damaged list reads as none.
  const a = parseJsonCell<unknown>(r[4], []);
  const actions = Array.isArray(a) ? a.map(String) : [];
  return { from: String(r[0]), to: String(r[1]), title: String(r[2]), summary: String(r[3]), actions };
}

export function saveReportDraft(store: Store, d: ReportDraft): void {
  store.db.run(
    `INSERT INTO report_drafts (id, from_text, to_text, title, summary, actions) VALUES (1, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET from_text = excluded.from_text, to_text = excluded.to_text, title = excluded.title, summary = excluded.summary, actions = excluded.actions`,
    [d.from, d.to, d.title, d.summary, JSON.stringify(d.actions)],
  );
}

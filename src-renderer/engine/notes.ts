// Notes and stars as the engine sets them: one note per anchor (a span, a trace, a log line or a
// time range), written by store/workspace-items.ts.

import type { Store } from '../store/store.ts';
import * as items from '../store/workspace-items.ts';
import type { Note, NoteAnchor } from '../store/workspace-items.ts';

/** Star, unstar or write the note on an anchor; a note neither starred nor written is removed. Returns every note. */
export function setNote(store: Store, anchor: NoteAnchor, changes: { starred?: boolean; body?: string }): Note[] {
  const id = items.findNote(store, anchor);
  if (id === null) {
    if (changes.starred || changes.body?.trim()) items.addNote(store, anchor, changes.starred ?? false, changes.body?.trim() ?? '', Date.now());
  } else {
    items.updateNote(store, id, { ...changes, body: changes.body?.trim() });
    const n = items.listNotes(store).find((x) => x.id === id);
    if (n && !n.starred && n.body === '') items.removeNote(store, id);
  }
  return items.listNotes(store);
}

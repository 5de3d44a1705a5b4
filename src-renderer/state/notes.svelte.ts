// Notes and stars (the Bookmarks screen, and the star and note of a span, a trace, a log line or
// a time range where they are shown). They live in the workspace (store/workspace-items.ts), so
// they are saved and exported with it; this keeps the engine's list and asks it for changes.

import type { Workspace } from './workspace.svelte.ts';
import type { Route } from './route.ts';
import type { Note, NoteAnchor } from '../store/workspace-items.ts';
import { perWorkspace } from './per-workspace.svelte.ts';

export type { Note, NoteAnchor, NoteTarget } from '../store/workspace-items.ts';

/** One key per anchor: a note is found by what it is on. */
export function anchorKey(a: NoteAnchor): string {
  return [a.target, a.traceId ?? '', a.spanId ?? '', a.logRow ?? '', a.fromNs ?? '', a.toNs ?? ''].join('|');
}

/** Where a note's link goes: the span or trace in the waterfall, the line or the range in the logs. */
export function noteRoute(n: NoteAnchor): Route {
  if (n.target === 'span' && n.traceId) return { screen: 'trace', params: n.spanId ? { trace: n.traceId, span: n.spanId } : { trace: n.traceId } };
  if (n.target === 'trace' && n.traceId) return { screen: 'trace', params: { trace: n.traceId } };
  if (n.target === 'log' && n.logRow != null) return { screen: 'logs', params: { line: String(n.logRow) } };
  return { screen: 'logs', params: { ...(n.fromNs ? { from: n.fromNs } : {}), ...(n.toNs ? { to: n.toNs } : {}) } };
}

export class NotesState {
  notes = $state.raw<Note[]>([]);
  error = $state<string | null>(null);
  private readonly byKey = $derived(new Map(this.notes.map((n) => [anchorKey(n), n])));
  /** The workspace whose notes `notes` holds (Workspace.generation). */
  private loaded = -1;

  constructor(private readonly ws: Workspace) {}

  /** Read the notes of a workspace just opened (or at start). */
  async sync(): Promise<void> {
    if (this.loaded === this.ws.generation) return;
    this.loaded = this.ws.generation;
    this.notes = await this.ws.engine.call('notes');
  }

  on(anchor: NoteAnchor): Note | null {
    return this.byKey.get(anchorKey(anchor)) ?? null;
  }

  /** Star or unstar, or write the note; a note neither starred nor written goes. */
  async set(anchor: NoteAnchor, changes: { starred?: boolean; body?: string }): Promise<void> {
    try {
      this.notes = await this.ws.engine.call('noteSet', { ...anchor }, changes);
      this.ws.changed();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async remove(id: number): Promise<void> {
    this.notes = await this.ws.engine.call('noteRemove', id);
    this.ws.changed();
  }
}

/** The notes of a workspace: one instance, shared by every view. */
export const notesOf = perWorkspace((ws) => new NotesState(ws));

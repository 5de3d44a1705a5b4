// The workspace kept on disk as the user works (the host's KeptWorkspaceStore: the browser's
// Origin Private File System), so a crash or a reload loses nothing: the next start offers it
// back ("Restore the workspace from 10:42?"). Written after an import and after edits, debounced (3 s)
// so a burst of changes is one write; never during an import (the engine is busy with it, and a
// copy of half a file is no use). The copy is written by the engine worker (its saveWorkspace
// request streams it into the host's file), so the UI thread does not hold it.

import type { Workspace } from './workspace.svelte.ts';
import type { KeptWorkspaceInfo, KeptWorkspaceStore } from '../host/host.ts';

/**
 * Quiet time after the last change before the copy is written: the export holds the engine
 * worker for a while (about a second per million spans), so it waits for a pause.
 */
export const KEEP_AFTER_MS = 3000;

export class KeptWorkspace {
  /** The copy found at start, offered until it is restored or dismissed, or other data is loaded. */
  offer = $state<KeptWorkspaceInfo | null>(null);
  restoring = $state(false);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: Workspace,
    private readonly store: KeptWorkspaceStore | null,
  ) {
    if (!store) return;
    ws.onChanged = () => this.schedule();
    void store.info().then((info) => {
      if (ws.totals.files === 0) this.offer = info;
    });
  }

  /** Whether a copy is kept at all here (the UI says so when it is not). */
  get available(): boolean {
    return this.store !== null;
  }

  schedule(): void {
    if (!this.store) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.ws.importing) return this.schedule();
      this.writing = this.writing.then(() => this.write());
    }, KEEP_AFTER_MS);
  }

  private async write(): Promise<void> {
    if (!this.store || this.ws.totals.files === 0) return;
    try {
      await this.store.write(this.ws.writer(), { savedAt: Date.now(), name: this.ws.fileName });
      this.offer = null; // the copy is now this session's
    } catch (e) {
      this.ws.error = `The workspace could not be kept for a restore: ${(e as Error).message}`;
    }
  }

  /** Open the kept copy, as it was (unsaved changes stay marked unsaved). */
  async restore(): Promise<void> {
    const info = this.offer;
    if (!this.store || !info) return;
    this.restoring = true;
    try {
      const bytes = await this.store.read();
      if (!bytes) {
        this.ws.error = 'The kept workspace is no longer there.';
        this.offer = null;
        return;
      }
      if (await this.ws.openWorkspaceBytes(bytes, info.name ?? 'Restored workspace', { dirty: true, keepName: info.name !== null })) this.offer = null;
    } finally {
      this.restoring = false;
    }
  }

  async dismiss(): Promise<void> {
    this.offer = null;
    await this.store?.clear();
  }
}

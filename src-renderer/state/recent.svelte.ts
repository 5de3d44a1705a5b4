// Recent files and workspaces, for the start screen. What can be opened again depends on the
// platform. Where the host keeps the list (host.recent: the desktop app by path, Chromium by file
// handle) entries open again as long as the file is there, and a file that is gone is shown
// greyed. A browser without file handles keeps no access to a file after it was read (only to the
// copy it keeps in its Origin Private File System), so there the list is names and times in
// localStorage, never data: reminders, greyed, that say so.

import type { ByteSource } from '../engine/client.ts';
import type { RecentFilesHost } from '../host/host.ts';

export interface RecentEntry {
  /** The host's id when the host keeps the list (the entry can be opened through it). */
  id?: string;
  name: string;
  /** Where it is, when the host says (the desktop app; a browser does not know). */
  folder?: string;
  kind: 'workspace' | 'files';
  openedAt: number;
  /** Whether the host can open it again now (while the file is there). */
  reopenable: boolean;
}

const KEY = 'tracedeck.recent';
const MAX = 12;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage refused (a sandboxed frame, some privacy settings)
  }
}

function read(): RecentEntry[] {
  try {
    const x = JSON.parse(storage()?.getItem(KEY) ?? '[]') as unknown;
    if (!Array.isArray(x)) return [];
    return x
      .filter((e): e is RecentEntry => typeof e?.name === 'string' && (e.kind === 'workspace' || e.kind === 'files') && typeof e.openedAt === 'number')
      .map((e) => ({ name: e.name, kind: e.kind, openedAt: e.openedAt, reopenable: false }))
      .slice(0, MAX);
  } catch {
    return [];
  }
}

export class RecentFiles {
  entries = $state.raw<RecentEntry[]>([]);

  constructor(private readonly host: RecentFilesHost | null = null) {
    if (host) void this.reload();
    else this.entries = read();
  }

  /** Whether entries open again from the list (the desktop app, a browser that keeps file handles). */
  get reopens(): boolean {
    return this.host !== null;
  }

  /** The host's list again (after a file was opened or saved). */
  async reload(): Promise<void> {
    if (!this.host) return;
    try {
      this.entries = (await this.host.list()).map((e) => ({ id: e.id, name: e.name, folder: e.folder, kind: e.kind, openedAt: e.openedAt, reopenable: e.exists }));
    } catch {
      // the list could not be read: the start screen goes without it
    }
  }

  /**
   * A file was opened or saved. Where the host keeps the list, it was told already (the source's
   * remember, by path, which the page never sees; a save by the host itself): the list is read
   * again once `remembered` settles. Else the name is kept here.
   */
  add(name: string, kind: RecentEntry['kind'], remembered?: Promise<void>): void {
    if (this.host) {
      void (remembered ?? Promise.resolve()).then(() => this.reload());
      return;
    }
    this.save([{ name, kind, openedAt: Date.now(), reopenable: false }, ...this.entries.filter((e) => e.name !== name || e.kind !== kind)].slice(0, MAX));
  }

  /** The file of an entry, to read again; null when it cannot be (gone, or a browser's reminder). Throws when access is refused. */
  async open(entry: RecentEntry): Promise<ByteSource | null> {
    if (!this.host || entry.id === undefined) return null;
    const src = await this.host.open(entry.id);
    if (!src) await this.reload();
    return src;
  }

  remove(entry: RecentEntry): void {
    if (this.host && entry.id !== undefined) {
      void this.host.remove(entry.id).then(() => this.reload());
      return;
    }
    this.save(this.entries.filter((e) => e !== entry));
  }

  private save(entries: RecentEntry[]): void {
    this.entries = entries;
    try {
      storage()?.setItem(KEY, JSON.stringify(entries.map(({ name, kind, openedAt }) => ({ name, kind, openedAt }))));
    } catch {
      // full or refused: the list stays for this session
    }
  }
}

// Recent files and workspaces, for the start screen. What can be opened again depends on the
// platform: a web page keeps no access to a file after it was read (only to the copy it keeps in
// its Origin Private File System), so in a browser older entries are a reminder of names, greyed,
// and say so. The list lives in localStorage: names and times only, never data.

export interface RecentEntry {
  name: string;
  kind: 'workspace' | 'files';
  openedAt: number;
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
      .slice(0, MAX);
  } catch {
    return [];
  }
}

export class RecentFiles {
  entries = $state.raw<RecentEntry[]>(read());

  add(name: string, kind: RecentEntry['kind']): void {
    this.save([{ name, kind, openedAt: Date.now() }, ...this.entries.filter((e) => e.name !== name || e.kind !== kind)].slice(0, MAX));
  }

  remove(entry: RecentEntry): void {
    this.save(this.entries.filter((e) => e !== entry));
  }

  private save(entries: RecentEntry[]): void {
    this.entries = entries;
    try {
      storage()?.setItem(KEY, JSON.stringify(entries));
    } catch {
      // full or refused: the list stays for this session
    }
  }
}

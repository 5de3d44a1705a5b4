// Recent files and workspaces of the desktop app, by path: the main process keeps the list in the
// app's data folder (one small JSON file), so the start screen can open them again. The renderer
// never sees a path: entries go to it with an id and a display name, and opening one registers
// its path as a file handle for that window, as the Open dialog does. Plain Node, tested without
// Electron.
import { promises as fsp } from 'node:fs';
import path from 'node:path';

export type RecentKind = 'workspace' | 'files';

/** One entry as kept on disk. */
interface StoredEntry {
  path: string;
  kind: RecentKind;
  openedAt: number;
}

/** One entry as the renderer sees it. */
export interface RecentItem {
  /** Stable while the entry is in the list: a hash of its path and kind. */
  id: string;
  /** The file's name (no folder), and its folder for telling two of the same name apart. */
  name: string;
  folder: string;
  kind: RecentKind;
  openedAt: number;
  /** Whether the file is there now (a missing one is shown greyed and cannot be opened). */
  exists: boolean;
}

export const MAX_RECENT = 12;
const FILE = 'recent.json';

function idOf(e: Pick<StoredEntry, 'path' | 'kind'>): string {
  // FNV-1a over the kind and path: short, stable, and no path in the renderer.
  let h = 0x811c9dc5;
  const s = `${e.kind}\u0000${e.path}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function readEntries(x: unknown): StoredEntry[] {
  if (!Array.isArray(x)) return [];
  const out: StoredEntry[] = [];
  for (const e of x as unknown[]) {
    if (typeof e !== 'object' || e === null) continue;
    const o = e as Record<string, unknown>;
    if (typeof o.path !== 'string' || !path.isAbsolute(o.path)) continue;
    if (o.kind !== 'workspace' && o.kind !== 'files') continue;
    if (typeof o.openedAt !== 'number' || !Number.isFinite(o.openedAt)) continue;
    out.push({ path: o.path, kind: o.kind, openedAt: o.openedAt });
  }
  return out.slice(0, MAX_RECENT);
}

export class RecentFilesStore {
  private entries: StoredEntry[] | null = null;

  constructor(private readonly dir: string) {}

  private async load(): Promise<StoredEntry[]> {
    if (this.entries) return this.entries;
    try {
      this.entries = readEntries(JSON.parse(await fsp.readFile(path.join(this.dir, FILE), 'utf8')));
    } catch {
      this.entries = []; // none yet, or a file that is not ours: start again
    }
    return this.entries;
  }

  private async save(entries: StoredEntry[]): Promise<void> {
    this.entries = entries;
    await fsp.mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, FILE);
    await fsp.writeFile(`${file}.writing`, JSON.stringify(entries));
    await fsp.rename(`${file}.writing`, file);
  }

  /** A file was opened or saved: it goes to the top. */
  async add(filePath: string, kind: RecentKind, now = Date.now()): Promise<void> {
    const p = path.resolve(filePath);
    const rest = (await this.load()).filter((e) => e.path !== p || e.kind !== kind);
    await this.save([{ path: p, kind, openedAt: now }, ...rest].slice(0, MAX_RECENT));
  }

  async remove(id: string): Promise<void> {
    const entries = await this.load();
    await this.save(entries.filter((e) => idOf(e) !== id));
  }

  /** The path of an entry, or null when the id names none. */
  async pathOf(id: string): Promise<{ path: string; kind: RecentKind } | null> {
    const e = (await this.load()).find((x) => idOf(x) === id);
    return e ? { path: e.path, kind: e.kind } : null;
  }

  async list(): Promise<RecentItem[]> {
    const entries = await this.load();
    return Promise.all(
      entries.map(async (e) => ({
        id: idOf(e),
        name: path.basename(e.path),
        folder: path.dirname(e.path),
        kind: e.kind,
        openedAt: e.openedAt,
        exists: await fsp.stat(e.path).then((s) => s.isFile(), () => false),
      })),
    );
  }
}

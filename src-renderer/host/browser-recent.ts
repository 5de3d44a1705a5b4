// Recent files in a browser that has the File System Access API (Chromium): the handles of files
// the user picked, dropped or saved are kept in IndexedDB, which stores them as they are
// (https://wicg.github.io/file-system-access/#api-filesystemhandle: handles are serializable).
// Reading one again after a reload needs the user's permission, asked when they click the entry
// (a click is the user activation requestPermission wants). A file that is gone is marked so and
// greyed on the list. A file read without a handle (through a file input, or a drop the browser
// gave no handle for) is listed by name as a greyed reminder. Nothing of a file's content is kept.
import type { RecentFilesHost, RecentItem } from './host.ts';
import { blobSource } from './host.ts';
import type { ByteSource } from '../engine/client.ts';

type Kind = RecentItem['kind'];

/** What the File System Access API adds to FileSystemHandle, absent from TypeScript's DOM types. */
interface PermissionHandle extends FileSystemFileHandle {
  queryPermission?(d: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(d: { mode: 'read' }): Promise<PermissionState>;
}

interface Stored {
  id: string;
  name: string;
  kind: Kind;
  openedAt: number;
  /** Null for a reminder: a file read without a handle. */
  handle: FileSystemFileHandle | null;
  /** Set when reading it failed because it is no longer there. */
  missing?: boolean;
}

const DB = 'tracedeck';
const STORE = 'recent';
const MAX = 12;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function openDb(): Promise<IDBDatabase> {
  const r = indexedDB.open(DB, 1);
  r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'id' });
  return request(r);
}

async function withStore<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => Promise<T>): Promise<T> {
  const db = await openDb();
  try {
    const tx = db.transaction(STORE, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
    const out = await fn(tx.objectStore(STORE));
    await done;
    return out;
  } finally {
    db.close();
  }
}

const all = (s: IDBObjectStore) => request(s.getAll() as IDBRequest<Stored[]>);

function newest(entries: Stored[]): Stored[] {
  return entries.sort((a, b) => b.openedAt - a.openedAt);
}

/** Whether this browser can keep file handles across reloads. */
export function canKeepHandles(): boolean {
  return typeof indexedDB !== 'undefined' && typeof FileSystemFileHandle !== 'undefined' && 'requestPermission' in FileSystemFileHandle.prototype;
}

export interface BrowserRecent extends RecentFilesHost {
  /** Put a file's handle at the top of the list (the same file again replaces its entry). */
  add(handle: FileSystemFileHandle, kind: Kind): Promise<void>;
  /** Put a file read without a handle at the top of the list, by name: a reminder, greyed. */
  remind(name: string, kind: Kind): Promise<void>;
}

/** `entry` at the top of the list in place of `same`, the oldest dropped past MAX. */
async function put(entries: Stored[], same: Stored[], entry: Stored): Promise<void> {
  const keep = entries.filter((e) => !same.includes(e));
  await withStore('readwrite', async (s) => {
    for (const e of same) s.delete(e.id);
    for (const e of keep.slice(MAX - 1)) s.delete(e.id);
    s.put(entry);
  });
}

export function browserRecent(): BrowserRecent {
  return {
    async list() {
      const entries = newest(await withStore('readonly', all));
      return entries.map((e) => ({ id: e.id, name: e.name, folder: '', kind: e.kind, openedAt: e.openedAt, exists: e.handle !== null && !e.missing }));
    },
    async add(handle, kind) {
      // isSameEntry is asynchronous, so the list is read first and written in a second transaction.
      // A reminder of the same name goes: the file can be opened again now.
      const entries = newest(await withStore('readonly', all));
      const same: Stored[] = [];
      for (const e of entries) if (e.handle === null ? e.name === handle.name : await e.handle.isSameEntry(handle).catch(() => false)) same.push(e);
      await put(entries, same, { id: same[0]?.id ?? crypto.randomUUID(), name: handle.name, kind, openedAt: Date.now(), handle });
    },
    async remind(name, kind) {
      const entries = newest(await withStore('readonly', all));
      const same = entries.filter((e) => e.handle === null && e.name === name && e.kind === kind);
      await put(entries, same, { id: same[0]?.id ?? crypto.randomUUID(), name, kind, openedAt: Date.now(), handle: null });
    },
    async open(id) {
      const e = await withStore('readonly', (s) => request(s.get(id) as IDBRequest<Stored | undefined>));
      if (!e?.handle) return null;
      const handle = e.handle as PermissionHandle;
      if ((await handle.queryPermission?.({ mode: 'read' })) !== 'granted' && (await handle.requestPermission?.({ mode: 'read' })) !== 'granted') {
        throw new Error(`This browser was not allowed to read ${e.name} again: allow it when asked, or open the file with Open files…`);
      }
      let file: File;
      try {
        file = await handle.getFile();
      } catch (err) {
        if ((err as DOMException).name !== 'NotFoundError') throw err;
        await withStore('readwrite', async (s) => void s.put({ ...e, missing: true }));
        return null;
      }
      if (e.missing) await withStore('readwrite', async (s) => void s.put({ ...e, missing: false }));
      return handleSource(handle, file, this);
    },
    async remove(id) {
      await withStore('readwrite', async (s) => void s.delete(id));
    },
  };
}

/** A file read through its handle: reading it again puts it at the top of the list. */
export function handleSource(handle: FileSystemFileHandle, file: File, recent: BrowserRecent): ByteSource {
  return { ...blobSource(file, file.name), remember: (kind) => recent.add(handle, kind) };
}

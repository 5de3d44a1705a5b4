// The kept workspace in a browser: the Origin Private File System (https://fs.spec.whatwg.org/),
// private to this origin, kept across reloads and crashes. Two files: the workspace's bytes, and
// a small JSON of what it is (so the start screen can offer it without reading it).
import type { KeptWorkspaceInfo, KeptWorkspaceStore } from './host.ts';

const DATA = 'kept.tracedeck';
const INFO = 'kept.json';

async function dir(): Promise<FileSystemDirectoryHandle | null> {
  try {
    return await navigator.storage.getDirectory();
  } catch {
    return null; // no OPFS (an old browser, a private window that refuses it)
  }
}

async function writeFile(d: FileSystemDirectoryHandle, name: string, data: string): Promise<void> {
  const w = await (await d.getFileHandle(name, { create: true })).createWritable();
  await w.write(data);
  await w.close();
}

function readInfo(x: unknown): KeptWorkspaceInfo | null {
  if (typeof x !== 'object' || x === null) return null;
  const o = x as Record<string, unknown>;
  if (typeof o.savedAt !== 'number' || typeof o.sizeBytes !== 'number') return null;
  return { savedAt: o.savedAt, sizeBytes: o.sizeBytes, name: typeof o.name === 'string' ? o.name : null };
}

export function opfsKeptWorkspace(): KeptWorkspaceStore | null {
  if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) return null;
  return {
    async write(save, info) {
      const d = await dir();
      if (!d) return;
      // The info goes last: a crash while writing the data leaves no info, and no copy is offered.
      // The data is written in place by the engine worker (engine/save-targets.ts), whose pages
      // the browser's files already hold.
      await d.removeEntry(INFO).catch(() => {});
      const sizeBytes = await save.to({ kind: 'opfs', name: DATA });
      await writeFile(d, INFO, JSON.stringify({ ...info, sizeBytes }));
    },
    async info() {
      const d = await dir();
      if (!d) return null;
      try {
        const info = readInfo(JSON.parse(await (await (await d.getFileHandle(INFO)).getFile()).text()));
        const data = await (await d.getFileHandle(DATA)).getFile();
        return info && data.size === info.sizeBytes ? info : null;
      } catch {
        return null;
      }
    },
    async read() {
      const d = await dir();
      if (!d) return null;
      try {
        return new Uint8Array(await (await (await d.getFileHandle(DATA)).getFile()).arrayBuffer());
      } catch {
        return null;
      }
    },
    async clear() {
      const d = await dir();
      if (!d) return;
      await d.removeEntry(INFO).catch(() => {});
      await d.removeEntry(DATA).catch(() => {});
    },
  };
}

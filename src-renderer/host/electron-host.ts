// The Electron host: the preload's window.tracedeck (src-main/ipc/contract.ts). Files chosen in
// the Open dialog are read in chunks through files:read; dropped files use the File API directly.
// The kept workspace lives in the app's data folder (keep:*), and so does the list of recent files,
// by path (recent:*); the main process is told when there is unsaved work so that closing the
// window asks first.
import type { TracedeckApi, OpenedFile } from '../../src-main/ipc/contract.ts';
import { MAX_READ_BYTES } from '../../src-main/ipc/contract.ts';
import { droppedSources, type Host } from './host.ts';
import type { ByteSource } from '../engine/client.ts';

const CHUNK = Math.min(4 * 1024 * 1024, MAX_READ_BYTES);

function openedSource(api: TracedeckApi, f: OpenedFile): ByteSource {
  return {
    name: f.name,
    size: f.size,
    remember: async (kind) => void (await api.recentAdd(f.handle, kind)),
    async *chunks() {
      try {
        for (let offset = 0; offset < f.size; offset += CHUNK) {
          const bytes = await api.readFile({ handle: f.handle, offset, length: Math.min(CHUNK, f.size - offset) });
          if (bytes.length === 0) break;
          yield bytes;
        }
      } finally {
        await api.closeFile(f.handle);
      }
    },
  };
}

export function createElectronHost(api: TracedeckApi): Host {
  return {
    kind: 'electron',
    async pickFiles() {
      return (await api.openFileDialog()).map((f) => openedSource(api, f));
    },
    fromDrop: droppedSources,
    keep: {
      write: async (bytes, info) => void (await api.keepWrite(bytes, info)),
      info: () => api.keepInfo(),
      read: () => api.keepRead(),
      clear: async () => void (await api.keepClear()),
    },
    recent: {
      list: () => api.recentList(),
      async open(id) {
        const f = await api.recentOpen(id);
        return f === null ? null : openedSource(api, f);
      },
      remove: async (id) => void (await api.recentRemove(id)),
    },
    setUnsaved: (unsaved) => void api.setUnsaved(unsaved),
    async saveFile(suggestedName, bytes) {
      return (await api.saveWorkspace({ suggestedName, bytes })).saved;
    },
    async saveWorkspace(bytes, suggestedName, saveAs) {
      const again = saveAs ? null : await api.saveWorkspaceAgain(bytes);
      if (again?.saved) return again.name ?? suggestedName;
      const r = await api.saveWorkspace({ suggestedName, bytes });
      return r.saved ? (r.name ?? suggestedName) : null;
    },
    async openExternal(url) {
      return (await api.openExternal(url)).opened; // main asks the user to confirm
    },
    onCommand: (cb) => api.onMenuCommand(cb),
    onFilesFromOs: (cb) => api.onFilesOpenedByOs((files) => cb(files.map((f) => openedSource(api, f)))),
  };
}

// The Electron host: the preload's window.tracedeck (src-main/ipc/contract.ts). Files chosen in
// the Open dialog are read in chunks through files:read; dropped files use the File API directly.
// Saves and the kept workspace are streamed by the engine to the main process in chunks
// (workspace:write-*); the kept copy lives in the app's data folder (keep:*), and so does the list of recent files,
// by path (recent:*); the main process is told when there is unsaved work so that closing the
// window asks first.
import type { TracedeckApi, OpenedFile, WriteBegun } from '../../src-main/ipc/contract.ts';
import { MAX_READ_BYTES } from '../../src-main/ipc/contract.ts';
import { droppedSources, type Host, type WorkspaceWriter } from './host.ts';
import { relayChunks } from './chunk-relay.ts';
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

/**
 * Have the engine stream the workspace to a write the main process began: the chunks come from
 * the worker on a port and go on over IPC (chunk-relay.ts); the main process writes a temporary
 * file and puts it in place at the end, or drops it if the save fails.
 */
async function streamThrough(api: TracedeckApi, begun: WriteBegun, save: WorkspaceWriter): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const { token } = begun;
  relayChunks(port1, {
    write: (position, bytes) => api.writeChunk({ token, position, bytes }),
    end: (size) => api.writeEnd(token, size),
    abort: () => api.writeAbort(token),
  });
  try {
    return await save.to({ kind: 'port', port: port2, name: begun.name });
  } catch (e) {
    await api.writeAbort(token); // if the engine failed before it said so itself
    throw e;
  } finally {
    port1.close();
  }
}

export function createElectronHost(api: TracedeckApi): Host {
  return {
    kind: 'electron',
    async pickFiles() {
      return (await api.openFileDialog()).map((f) => openedSource(api, f));
    },
    fromDrop: droppedSources,
    keep: {
      async write(save, info) {
        const begun = await api.writeBegin({ to: 'keep', savedAt: info.savedAt, name: info.name });
        if (begun) await streamThrough(api, begun, save);
      },
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
    async saveWorkspace(save, suggestedName, saveAs) {
      const begun = (saveAs ? null : await api.writeBegin({ to: 'again' })) ?? (await api.writeBegin({ to: 'dialog', suggestedName }));
      if (!begun) return null;
      await streamThrough(api, begun, save);
      return begun.name;
    },
    async openExternal(url) {
      return (await api.openExternal(url)).opened; // main asks the user to confirm
    },
    onCommand: (cb) => api.onMenuCommand(cb),
    onFilesFromOs: (cb) => api.onFilesOpenedByOs((files) => cb(files.map((f) => openedSource(api, f)))),
  };
}

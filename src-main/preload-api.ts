// The object the preload exposes as window.tracedeck, built from an ipcRenderer-like object so
// the contract test can check it in plain Node. Exactly one method per channel of contract.ts;
// ipcRenderer itself and its event objects never reach the page (an event carries `sender`,
// which is ipcRenderer, and would hand the page every channel there is).
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, TracedeckApi } from './ipc/contract.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildTracedeckApi(ipc: IpcRendererLike): TracedeckApi {
  function invoke<C extends InvokeChannel>(channel: C, request: InvokeChannels[C]['request']): Promise<InvokeChannels[C]['response']> {
    return ipc.invoke(channel, request) as Promise<InvokeChannels[C]['response']>;
  }
  function subscribe<C extends EventChannel>(channel: C, cb: (payload: EventChannels[C]) => void): () => void {
    if (typeof cb !== 'function') throw new TypeError(`${channel}: callback must be a function`);
    const listener = (_event: unknown, payload: unknown): void => cb(payload as EventChannels[C]);
    ipc.on(channel, listener);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(channel, listener);
    };
  }
  const api: TracedeckApi = {
    openFileDialog: () => invoke('files:open-dialog', null),
    readFile: (req) => invoke('files:read', { handle: req.handle, offset: req.offset, length: req.length }),
    closeFile: (handle) => invoke('files:close', { handle }),
    saveWorkspace: (req) => invoke('workspace:save-dialog', { suggestedName: req.suggestedName, bytes: req.bytes }),
    writeBegin: (t) =>
      invoke('workspace:write-begin', t.to === 'dialog' ? { to: 'dialog', suggestedName: t.suggestedName } : t.to === 'keep' ? { to: 'keep', savedAt: t.savedAt, name: t.name } : { to: 'again' }),
    writeChunk: (c) => invoke('workspace:write-chunk', { token: c.token, position: c.position, bytes: c.bytes }),
    writeEnd: (token, size) => invoke('workspace:write-end', { token, size }),
    writeAbort: (token) => invoke('workspace:write-abort', { token }),
    openExternal: (url) => invoke('shell:open-external', { url }),
    setUnsaved: (unsaved) => invoke('workspace:set-unsaved', { unsaved }),
    keepInfo: () => invoke('keep:info', null),
    keepRead: () => invoke('keep:read', null),
    keepClear: () => invoke('keep:clear', null),
    recentList: () => invoke('recent:list', null),
    recentAdd: (handle, kind) => invoke('recent:add', { handle, kind }),
    recentOpen: (id) => invoke('recent:open', { id }),
    recentRemove: (id) => invoke('recent:remove', { id }),
    onMenuCommand: (cb) => subscribe('menu:command', cb),
    onFilesOpenedByOs: (cb) => subscribe('files:opened-by-os', cb),
  };
  return Object.freeze(api);
}

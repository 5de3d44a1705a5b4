// The desktop app end to end without the Electron binary: the renderer's Electron host
// (host/electron-host.ts) over the preload's api and the main process's handlers, on real files
// in a folder of their own. Only Electron's IPC transport is left out: the api's invoke calls the
// handler table as ipcMain would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HandleRegistry } from '../../src-main/ipc/file-tokens.ts';
import { createHandlers, type HandlerDeps } from '../../src-main/ipc/handlers.ts';
import type { InvokeChannel } from '../../src-main/ipc/contract.ts';
import { buildTracedeckApi } from '../../src-main/preload-api.ts';
import { RecentFilesStore } from '../../src-main/recent.ts';
import { WorkspaceWrites } from '../../src-main/workspace-writes.ts';
import { createElectronHost } from '../../src-renderer/host/electron-host.ts';

export function desktop(prefix = 'tracedeck-desktop-') {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const deps: HandlerDeps = {
    registry: new HandleRegistry(),
    chooseFilesToOpen: async () => [],
    chooseSavePath: async () => path.join(dir, 'saved.tracedeck'),
    external: { confirm: async () => false, open: async () => {} },
    unsaved: new Map(),
    keepDir: path.join(dir, 'data', 'kept-workspace'),
    recent: new RecentFilesStore(path.join(dir, 'data')),
    writes: new WorkspaceWrites(),
  };
  const handlers = createHandlers(deps);
  const owner = 1;
  const api = buildTracedeckApi({
    invoke: (channel, ...args) => (handlers[channel as InvokeChannel] as (ctx: { owner: number }, p: unknown) => Promise<unknown>)({ owner }, args[0]),
    on: () => {},
    removeListener: () => {},
  });
  return { dir, deps, owner, api, host: createElectronHost(api) };
}

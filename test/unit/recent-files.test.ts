// The start screen's recent list in the desktop app, end to end without the Electron binary: the
// renderer's state (state/recent.svelte.ts) over the Electron host (host/electron-host.ts), the
// preload's api and the main process's handlers over real files in a data folder. Only Electron's
// IPC transport is left out: the api's invoke calls the handler table as ipcMain would.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HandleRegistry } from '../../src-main/ipc/file-tokens.ts';
import { createHandlers, registerPaths, type HandlerDeps } from '../../src-main/ipc/handlers.ts';
import type { InvokeChannel } from '../../src-main/ipc/contract.ts';
import { buildTracedeckApi } from '../../src-main/preload-api.ts';
import { RecentFilesStore } from '../../src-main/recent.ts';
import { createElectronHost } from '../../src-renderer/host/electron-host.ts';
import { RecentFiles } from '../../src-renderer/state/recent.svelte.ts';

function desktop() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracedeck-recent-app-'));
  const deps: HandlerDeps = {
    registry: new HandleRegistry(),
    chooseFilesToOpen: async () => [],
    chooseSavePath: async () => path.join(dir, 'saved.tracedeck'),
    external: { confirm: async () => false, open: async () => {} },
    unsaved: new Map(),
    keepDir: path.join(dir, 'data', 'kept-workspace'),
    recent: new RecentFilesStore(path.join(dir, 'data')),
  };
  const handlers = createHandlers(deps);
  const owner = 1;
  const api = buildTracedeckApi({
    invoke: (channel, ...args) => (handlers[channel as InvokeChannel] as (ctx: { owner: number }, p: unknown) => Promise<unknown>)({ owner }, args[0]),
    on: () => {},
    removeListener: () => {},
  });
  return { dir, deps, owner, host: createElectronHost(api) };
}

async function text(src: { chunks(): AsyncIterable<Uint8Array> }): Promise<string> {
  let s = '';
  for await (const c of src.chunks()) s += new TextDecoder().decode(c);
  return s;
}

describe('recent files in the desktop app', () => {
  it('lists a file the app read and a workspace it saved, opens one again by its entry, greys one that is gone', async () => {
    const { dir, deps, host } = desktop();
    const log = path.join(dir, 'app.log');
    writeFileSync(log, 'level=info msg=hello\n');
    const recent = new RecentFiles(host.recent);
    expect(recent.reopens).toBe(true);
    await recent.reload();
    expect(recent.entries).toEqual([]);

    // The user picks a file in the Open dialog; the app reads it and tells the host what it was.
    deps.chooseFilesToOpen = async () => [log];
    const [picked] = await host.pickFiles();
    const remembered = picked.remember!('files');
    expect(await text(picked)).toBe('level=info msg=hello\n');
    recent.add(picked.name, 'files', remembered);
    await expect.poll(() => recent.entries.map((e) => e.name)).toEqual(['app.log']);
    // A save through the host is put on the list by the main process.
    expect(await host.saveWorkspace(new Uint8Array([1, 2, 3]), 'incident.tracedeck', true)).toBe('saved.tracedeck');
    await recent.reload();
    expect(recent.entries.map((e) => [e.name, e.kind, e.reopenable, e.folder])).toEqual([
      ['saved.tracedeck', 'workspace', true, dir],
      ['app.log', 'files', true, dir],
    ]);

    // Opened again from the list: the same bytes, through a new handle; it goes back to the top.
    const again = await recent.open(recent.entries[1]);
    expect(again?.name).toBe('app.log');
    expect(await text(again!)).toBe('level=info msg=hello\n');

    // Gone from disk: greyed, and opening it gives nothing.
    rmSync(log);
    await recent.reload();
    expect(recent.entries.map((e) => [e.name, e.reopenable])).toEqual([['app.log', false], ['saved.tracedeck', true]]);
    expect(await recent.open(recent.entries[0])).toBeNull();
    recent.remove(recent.entries[0]);
    await expect.poll(() => recent.entries.map((e) => e.name)).toEqual(['saved.tracedeck']);
  });

  it('in a browser, the list is names only and says it cannot reopen them', () => {
    const recent = new RecentFiles(null);
    expect(recent.reopens).toBe(false);
    recent.add('app.log', 'files');
    expect(recent.entries.map((e) => [e.name, e.reopenable])).toEqual([['app.log', false]]);
  });
});

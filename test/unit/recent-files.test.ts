// The start screen's recent list in the desktop app, end to end without the Electron binary: the
// renderer's state (state/recent.svelte.ts) over the Electron host (host/electron-host.ts), the
// preload's api and the main process's handlers over real files in a data folder. Only Electron's
// IPC transport is left out: the api's invoke calls the handler table as ipcMain would.
import { describe, it, expect } from 'vitest';
import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { RecentFiles } from '../../src-renderer/state/recent.svelte.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { desktop } from './desktop-harness.ts';
import type { SaveTarget } from '../../src-renderer/engine/protocol.ts';

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
    const core = new EngineCore(Store.create(await loadSqlJs()));
    const save = { to: (t: SaveTarget) => core.saveWorkspace(t), bytes: async () => core.exportWorkspace() };
    expect(await host.saveWorkspace(save, 'incident.tracedeck', true)).toBe('saved.tracedeck');
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

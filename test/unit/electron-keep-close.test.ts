// Electron, without the binary: the kept workspace in the app's data folder (written through
// workspace:write-*, read through keep:* handlers over real files), recent files by path (recent:* handlers), the renderer telling main it holds unsaved
// work, and the close handler's decision.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandleRegistry } from '../../src-main/ipc/file-tokens.ts';
import { createHandlers, registerPaths, type HandlerDeps, type HandlerTable } from '../../src-main/ipc/handlers.ts';
import { mayClose, CLOSE_BUTTONS } from '../../src-main/close-guard.ts';
import { RecentFilesStore } from '../../src-main/recent.ts';
import { WorkspaceWrites } from '../../src-main/workspace-writes.ts';

function deps(): HandlerDeps {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracedeck-keep-'));
  return {
    registry: new HandleRegistry(),
    chooseFilesToOpen: async () => [],
    chooseSavePath: async () => null,
    external: { confirm: async () => false, open: async () => {} },
    unsaved: new Map(),
    keepDir: path.join(dir, 'data', 'kept-workspace'),
    recent: new RecentFilesStore(path.join(dir, 'data')),
    writes: new WorkspaceWrites(),
  };
}

/** The kept copy written as the renderer writes it: begun, in one chunk here, ended. */
async function keep(h: HandlerTable, ctx: { owner: number }, bytes: Uint8Array, info: { savedAt: number; name: string | null }): Promise<void> {
  const begun = (await h['workspace:write-begin'](ctx, { to: 'keep', ...info }))!;
  await h['workspace:write-chunk'](ctx, { token: begun.token, position: 0, bytes });
  await h['workspace:write-end'](ctx, { token: begun.token, size: bytes.length });
}

describe('recent files through the handlers', () => {
  it('records what a window opened and saved, lists it without paths, opens it again as a handle, removes it', async () => {
    const d = deps();
    const h = createHandlers(d);
    const ctx = { owner: 7 };
    const dir = path.dirname(path.dirname(d.keepDir));
    const log = path.join(dir, 'app.log');
    writeFileSync(log, 'a line\n');
    const [opened] = await registerPaths(d.registry, 7, [log]);
    await h['recent:add'](ctx, { handle: opened.handle, kind: 'files' });
    await expect(h['recent:add'](ctx, { handle: 'f'.repeat(32), kind: 'files' })).rejects.toThrow(/unknown handle/);
    await expect(h['recent:add'](ctx, { handle: opened.handle, kind: 'folder' })).rejects.toThrow(/kind/);
    const saved = path.join(dir, 'incident.tracedeck');
    d.chooseSavePath = async () => saved;
    await h['workspace:save-dialog'](ctx, { suggestedName: 'incident.tracedeck', bytes: new Uint8Array([1, 2]) });
    const list = await h['recent:list'](ctx, null);
    expect(list.map((e) => [e.name, e.kind, e.exists])).toEqual([['incident.tracedeck', 'workspace', true], ['app.log', 'files', true]]);
    expect(JSON.stringify(list)).not.toContain('"path"');

    // Opened again in another window: a fresh handle for that window, reading the same bytes.
    const again = await h['recent:open']({ owner: 8 }, { id: list[1].id });
    expect(again?.name).toBe('app.log');
    expect(d.registry.pathOf(8, again!.handle)).toBe(log);
    expect(d.registry.pathOf(7, again!.handle)).toBeNull();
    await expect(h['recent:open'](ctx, { id: '../etc/passwd' })).rejects.toThrow(/recent file id/);
    expect(await h['recent:open'](ctx, { id: '00000000' })).toBeNull();

    // A file that is gone is listed as such and opens as nothing; removing takes it off the list.
    rmSync(log);
    expect((await h['recent:list'](ctx, null)).map((e) => e.exists)).toEqual([false, true]);
    expect(await h['recent:open'](ctx, { id: list[1].id })).toBeNull();
    await h['recent:remove'](ctx, { id: list[1].id });
    expect((await h['recent:list'](ctx, null)).map((e) => e.name)).toEqual(['incident.tracedeck']);
  });
});

describe('the kept workspace in the data folder', () => {
  it('is written, described, read back and cleared', async () => {
    const d = deps();
    const h = createHandlers(d);
    const ctx = { owner: 1 };
    expect(await h['keep:info'](ctx, null)).toBeNull();
    expect(await h['keep:read'](ctx, null)).toBeNull();
    const bytes = new Uint8Array([83, 81, 76, 105, 116, 101, 1, 2, 3]);
    await keep(h, ctx, bytes, { savedAt: 1765100000000, name: 'incident.tracedeck' });
    expect(await h['keep:info'](ctx, null)).toEqual({ savedAt: 1765100000000, name: 'incident.tracedeck', sizeBytes: 9 });
    expect([...((await h['keep:read'](ctx, null)) ?? [])]).toEqual([...bytes]);
    await h['keep:clear'](ctx, undefined);
    expect(await h['keep:info'](ctx, null)).toBeNull();
  });

  it('does not offer a copy whose size does not match its description (cut short), nor a hostile description', async () => {
    const d = deps();
    const h = createHandlers(d);
    const ctx = { owner: 1 };
    await keep(h, ctx, new Uint8Array(10), { savedAt: 5, name: null });
    writeFileSync(path.join(d.keepDir, 'kept.tracedeck'), new Uint8Array(4));
    expect(await h['keep:info'](ctx, null)).toBeNull();
    writeFileSync(path.join(d.keepDir, 'kept.tracedeck'), new Uint8Array(10));
    writeFileSync(path.join(d.keepDir, 'kept.json'), JSON.stringify({ savedAt: 5, name: '../../etc/passwd', sizeBytes: 10 }));
    expect(await h['keep:info'](ctx, null)).toEqual({ savedAt: 5, name: 'passwd', sizeBytes: 10 });
    writeFileSync(path.join(d.keepDir, 'kept.json'), '{"savedAt":"soon"}');
    expect(await h['keep:info'](ctx, null)).toBeNull();
  });

  it('is not offered while it is being written, nor after a write that was dropped; refuses what does not add up', async () => {
    const d = deps();
    const h = createHandlers(d);
    const ctx = { owner: 1 };
    await keep(h, ctx, new Uint8Array(10), { savedAt: 5, name: null });
    const begun = (await h['workspace:write-begin'](ctx, { to: 'keep', savedAt: 6, name: null }))!;
    expect(await h['keep:info'](ctx, null)).toBeNull();
    await h['workspace:write-abort'](ctx, { token: begun.token });
    expect(await h['keep:info'](ctx, null)).toBeNull();
    await expect(h['workspace:write-begin'](ctx, { to: 'keep', savedAt: -1, name: null })).rejects.toThrow(/savedAt/);
    await expect(h['workspace:write-begin'](ctx, { to: 'keep', savedAt: 1, name: null, sizeBytes: 3 })).rejects.toThrow(/unexpected field/);
    await expect(h['keep:info'](ctx, { path: '/etc' })).rejects.toThrow(/takes no payload/);
  });
});

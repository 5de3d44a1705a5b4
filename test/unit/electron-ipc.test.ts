// The IPC contract end to end without Electron: payload validation (good and hostile), the
// handle registry, the handlers reading real files, the sender check, and completeness: every
// invoke channel has a handler and a preload method, every event channel a subscription.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, MAX_READ_BYTES } from '../../src-main/ipc/contract.ts';
import type { MenuCommand, OpenedFile } from '../../src-main/ipc/contract.ts';
import { RecentFilesStore } from '../../src-main/recent.ts';
import { WorkspaceWrites } from '../../src-main/workspace-writes.ts';
import { HandleRegistry, MAX_OPEN_HANDLES } from '../../src-main/ipc/file-tokens.ts';
import {
  createHandlers,
  isTrustedSender,
  registerIpcHandlers,
  readChunk,
  type HandlerDeps,
  type InvokeEventLike,
} from '../../src-main/ipc/handlers.ts';
import { parseCloseRequest, parseReadRequest, parseSaveRequest, safeFileName } from '../../src-main/ipc/validate.ts';
import { buildTracedeckApi, type IpcRendererLike } from '../../src-main/preload-api.ts';

const CORPUS_TRACE = path.resolve(__dirname, '../fixtures/corpus/opentelemetry-proto/examples/trace.json');
const HANDLE = '0123456789abcdef0123456789abcdef';

describe('payload validation', () => {
  it('accepts well-formed requests', () => {
    expect(parseReadRequest({ handle: HANDLE, offset: 0, length: 1024 })).toEqual({ handle: HANDLE, offset: 0, length: 1024 });
    expect(parseReadRequest({ handle: HANDLE, offset: 2 ** 40, length: MAX_READ_BYTES })).toEqual({
      handle: HANDLE,
      offset: 2 ** 40,
      length: MAX_READ_BYTES,
    });
    expect(parseCloseRequest({ handle: HANDLE })).toEqual({ handle: HANDLE });
    const bytes = new Uint8Array([1, 2, 3]);
    expect(parseSaveRequest({ suggestedName: 'incident.sqlite', bytes })).toEqual({ suggestedName: 'incident.sqlite', bytes });
  });

  it.each([
    ['not an object', 'x'],
    ['null', null],
    ['an array', [HANDLE, 0, 10]],
    ['negative offset', { handle: HANDLE, offset: -1, length: 10 }],
    ['fractional offset', { handle: HANDLE, offset: 1.5, length: 10 }],
    ['NaN length', { handle: HANDLE, offset: 0, length: NaN }],
    ['Infinity offset', { handle: HANDLE, offset: Infinity, length: 1 }],
    ['too long a read', { handle: HANDLE, offset: 0, length: MAX_READ_BYTES + 1 }],
    ['offset as string', { handle: HANDLE, offset: '0', length: 10 }],
    ['a path instead of a handle', { handle: '/etc/passwd', offset: 0, length: 10 }],
    ['an upper-case handle', { handle: HANDLE.toUpperCase(), offset: 0, length: 10 }],
    ['a missing field', { handle: HANDLE, offset: 0 }],
    ['an extra field', { handle: HANDLE, offset: 0, length: 1, path: '/etc/passwd' }],
    ['a class instance', Object.assign(new (class X {})(), { handle: HANDLE, offset: 0, length: 1 })],
  ])('rejects a read with %s', (_what, payload) => {
    expect(() => parseReadRequest(payload)).toThrow(/^files:read: /);
  });

  it('rejects hostile saves and cuts names down to a file name', () => {
    expect(() => parseSaveRequest({ suggestedName: 'a', bytes: [1, 2, 3] })).toThrow(/Uint8Array/);
    expect(() => parseSaveRequest({ suggestedName: 'a'.repeat(256), bytes: new Uint8Array(1) })).toThrow(/at most 255/);
    expect(() => parseSaveRequest({ suggestedName: 7, bytes: new Uint8Array(1) })).toThrow(/suggestedName/);
    expect(parseSaveRequest({ suggestedName: '../../.bashrc', bytes: new Uint8Array(1) }).suggestedName).toBe('.bashrc');
    expect(safeFileName('C:\\Windows\\system32\\evil.dll')).toBe('evil.dll');
    expect(safeFileName('a<b>:c?.sqlite')).toBe('a_b__c_.sqlite');
    expect(safeFileName('..')).toBe('workspace.sqlite');
    expect(safeFileName('')).toBe('workspace.sqlite');
  });
});

describe('handle registry', () => {
  it('gives unguessable handles that only their window can use', () => {
    const r = new HandleRegistry();
    const a = r.register(1, '/data/a.json', 'a.json', 10);
    const b = r.register(1, '/data/b.json', 'b.json', 20);
    expect(a.handle).toMatch(/^[0-9a-f]{32}$/);
    expect(a.handle).not.toBe(b.handle);
    expect(a).toEqual({ handle: a.handle, name: 'a.json', size: 10 });
    expect(r.pathOf(1, a.handle)).toBe('/data/a.json');
    expect(r.pathOf(2, a.handle)).toBeNull();
    expect(r.close(2, a.handle)).toBe(false);
    expect(r.close(1, a.handle)).toBe(true);
    expect(r.pathOf(1, a.handle)).toBeNull();
    expect(r.close(1, a.handle)).toBe(false);
    r.register(2, '/data/c.json', 'c.json', 1);
    expect(r.closeAll(1)).toBe(1);
    expect(r.size).toBe(1);
  });

  it('caps the number of open handles', () => {
    const r = new HandleRegistry();
    for (let i = 0; i < MAX_OPEN_HANDLES; i++) r.register(1, `/f${i}`, 'f', 0);
    expect(() => r.register(1, '/one-more', 'f', 0)).toThrow(/too many open files/);
  });
});

interface World {
  dir: string;
  deps: HandlerDeps;
  chosen: string[];
  saveTo: string | null;
  confirmAnswer: boolean;
  opened: string[];
}

/** Handlers over a real registry and real files; the dialogs answer what the test says the user picked. */
function world(): World {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracedeck-ipc-'));
  const w: World = {
    dir,
    chosen: [],
    saveTo: null,
    confirmAnswer: false,
    opened: [],
    deps: undefined as unknown as HandlerDeps,
  };
  w.deps = {
    registry: new HandleRegistry(),
    chooseFilesToOpen: async () => w.chosen,
    chooseSavePath: async () => w.saveTo,
    external: { confirm: async () => w.confirmAnswer, open: async (u) => void w.opened.push(u) },
    unsaved: new Map(),
    keepDir: path.join(dir, 'kept'),
    recent: new RecentFilesStore(path.join(dir, 'data')),
    writes: new WorkspaceWrites(),
  };
  return w;
}

describe('handlers', () => {
  let w: World;
  beforeAll(() => {
    w = world();
  });

  it('names files opened together by their path relative to the folder they share', async () => {
    const h = createHandlers(w.deps);
    for (const host of ['web-1', 'web-2']) {
      mkdirSync(path.join(w.dir, 'logs', host), { recursive: true });
      writeFileSync(path.join(w.dir, 'logs', host, 'access.log'), 'x');
    }
    w.chosen = [path.join(w.dir, 'logs/web-1/access.log'), path.join(w.dir, 'logs/web-2/access.log')];
    const files = await h['files:open-dialog']({ owner: 7 }, undefined);
    expect(files.map((f) => f.name)).toEqual(['web-1/access.log', 'web-2/access.log']);
    // The renderer still sees no path: nothing above the shared folder.
    expect(files.some((f) => f.name.includes(w.dir))).toBe(false);
  });

  it('opens the chosen files only, and reads them back in chunks byte for byte', async () => {
    const h = createHandlers(w.deps);
    const folder = path.join(w.dir, 'folder');
    mkdirSync(folder);
    w.chosen = [CORPUS_TRACE, folder, path.join(w.dir, 'vanished.json')];
    const files = await h['files:open-dialog']({ owner: 7 }, undefined);
    const expected = readFileSync(CORPUS_TRACE);
    expect(files).toHaveLength(1);
    expect(files[0].name).toBe('trace.json');
    expect(files[0].size).toBe(expected.length);

    const parts: Uint8Array[] = [];
    const chunk = 1000;
    for (let off = 0; off < files[0].size; off += chunk) {
      parts.push(await h['files:read']({ owner: 7 }, { handle: files[0].handle, offset: off, length: chunk }));
    }
    expect(parts.length).toBe(Math.ceil(expected.length / chunk));
    expect(parts[parts.length - 1].length).toBe(expected.length - chunk * (parts.length - 1));
    expect(Buffer.concat(parts).equals(expected)).toBe(true);
    // Past the end: empty, not an error.
    expect((await h['files:read']({ owner: 7 }, { handle: files[0].handle, offset: expected.length + 5, length: 10 })).length).toBe(0);

    // Another window cannot use the handle; after close, nobody can.
    await expect(h['files:read']({ owner: 8 }, { handle: files[0].handle, offset: 0, length: 1 })).rejects.toThrow(/unknown handle/);
    expect(await h['files:close']({ owner: 7 }, { handle: files[0].handle })).toBeNull();
    await expect(h['files:read']({ owner: 7 }, { handle: files[0].handle, offset: 0, length: 1 })).rejects.toThrow(/unknown handle/);
  });

  it('refuses a payload on the open dialog and a guessed handle on read', async () => {
    const h = createHandlers(w.deps);
    await expect(h['files:open-dialog']({ owner: 1 }, { path: '/etc/passwd' })).rejects.toThrow(/takes no payload/);
    await expect(h['files:read']({ owner: 1 }, { handle: HANDLE, offset: 0, length: 1 })).rejects.toThrow(/unknown handle/);
  });

  it('writes the workspace where the user chose, and nothing when cancelled', async () => {
    const h = createHandlers(w.deps);
    const bytes = new Uint8Array([0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0, 1, 2, 255]);
    w.saveTo = null;
    expect(await h['workspace:save-dialog']({ owner: 1 }, { suggestedName: 'ws.sqlite', bytes })).toEqual({ saved: false });
    w.saveTo = path.join(w.dir, 'ws.sqlite');
    expect(await h['workspace:save-dialog']({ owner: 1 }, { suggestedName: 'ws.sqlite', bytes })).toEqual({ saved: true, name: 'ws.sqlite' });
    expect([...readFileSync(w.saveTo)]).toEqual([...bytes]);
  });

  it('writes a workspace in chunks: a temporary file put in place at the end, Save again without a dialog, nothing left by an abort', async () => {
    const h = createHandlers(w.deps);
    const target = path.join(w.dir, 'ws.tracedeck');
    w.saveTo = null;
    expect(await h['workspace:write-begin']({ owner: 1 }, { to: 'dialog', suggestedName: 'ws.tracedeck' })).toBeNull();
    expect(await h['workspace:write-begin']({ owner: 1 }, { to: 'again' })).toBeNull(); // saved nowhere yet
    w.saveTo = target;
    const begun = (await h['workspace:write-begin']({ owner: 1 }, { to: 'dialog', suggestedName: 'ws.tracedeck' }))!;
    expect(begun.name).toBe('ws.tracedeck');
    // Chunks in any order, at their positions; the target is not there until the end.
    await h['workspace:write-chunk']({ owner: 1 }, { token: begun.token, position: 4, bytes: new Uint8Array([5, 6, 7]) });
    await h['workspace:write-chunk']({ owner: 1 }, { token: begun.token, position: 0, bytes: new Uint8Array([1, 2, 3, 4]) });
    expect(existsSync(target)).toBe(false);
    // Another window cannot write with this token.
    await expect(h['workspace:write-chunk']({ owner: 2 }, { token: begun.token, position: 0, bytes: new Uint8Array(1) })).rejects.toThrow(/no such workspace write/);
    expect(await h['workspace:write-end']({ owner: 1 }, { token: begun.token, size: 7 })).toEqual({ saved: true, name: 'ws.tracedeck' });
    expect([...readFileSync(target)]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await expect(h['workspace:write-end']({ owner: 1 }, { token: begun.token, size: 7 })).rejects.toThrow(/no such workspace write/);

    // Save again: the same file, no dialog; an abort leaves it as it was, and no temporary file.
    w.saveTo = null;
    const again = (await h['workspace:write-begin']({ owner: 1 }, { to: 'again' }))!;
    expect(again.name).toBe('ws.tracedeck');
    await h['workspace:write-chunk']({ owner: 1 }, { token: again.token, position: 0, bytes: new Uint8Array([9, 9]) });
    await h['workspace:write-abort']({ owner: 1 }, { token: again.token });
    expect([...readFileSync(target)]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(readdirSync(w.dir).filter((f) => f.endsWith('.partial'))).toEqual([]);

    // Hostile payloads.
    await expect(h['workspace:write-begin']({ owner: 1 }, { to: 'path', path: '/etc/passwd' })).rejects.toThrow(/to must be/);
    await expect(h['workspace:write-begin']({ owner: 1 }, { to: 'again', path: '/etc/passwd' })).rejects.toThrow(/unexpected field/);
    await expect(h['workspace:write-chunk']({ owner: 1 }, { token: '../x', position: 0, bytes: new Uint8Array(1) })).rejects.toThrow(/token/);
    await expect(h['workspace:write-chunk']({ owner: 1 }, { token: again.token, position: -1, bytes: new Uint8Array(1) })).rejects.toThrow(/position/);
    await expect(h['workspace:write-chunk']({ owner: 1 }, { token: again.token, position: 0, bytes: [1] })).rejects.toThrow(/Uint8Array/);
    await expect(h['workspace:write-end']({ owner: 1 }, { token: again.token, size: 1.5 })).rejects.toThrow(/size/);
  });

  it('opens web links only after a yes', async () => {
    const h = createHandlers(w.deps);
    w.confirmAnswer = false;
    expect(await h['shell:open-external']({ owner: 1 }, { url: 'https://example.com/' })).toEqual({ opened: false });
    w.confirmAnswer = true;
    expect(await h['shell:open-external']({ owner: 1 }, { url: 'file:///etc/passwd' })).toEqual({ opened: false });
    expect(await h['shell:open-external']({ owner: 1 }, { url: 'https://example.com/' })).toEqual({ opened: true });
    expect(w.opened).toEqual(['https://example.com/']);
  });

  it('reads a file that is longer than one maximal chunk', async () => {
    const p = path.join(w.dir, 'big.bin');
    const big = Buffer.alloc(MAX_READ_BYTES + 3, 0x61);
    big[MAX_READ_BYTES] = 0x62;
    writeFileSync(p, big);
    const first = await readChunk(p, 0, MAX_READ_BYTES);
    const rest = await readChunk(p, MAX_READ_BYTES, MAX_READ_BYTES);
    expect(first.length).toBe(MAX_READ_BYTES);
    expect([...rest]).toEqual([0x62, 0x61, 0x61]);
    expect(statSync(p).size).toBe(first.length + rest.length);
  });
});

/** An ipcMain stand-in: records handlers and lets the test invoke them as a given sender. */
class FakeIpcMain {
  readonly handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h(event, ...args);
  }
}

const appSender = (id: number, url = 'app://tracedeck/index.html'): InvokeEventLike => ({ sender: { id }, senderFrame: { url } });

describe('sender check and registration', () => {
  it('registers exactly one handler per invoke channel', () => {
    const ipc = new FakeIpcMain();
    const table = createHandlers(world().deps);
    registerIpcHandlers(ipc, table);
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(table).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('refuses callers that are not the app page', async () => {
    expect(isTrustedSender(appSender(1))).toBe(true);
    expect(isTrustedSender(appSender(1, 'https://evil.example/'))).toBe(false);
    expect(isTrustedSender(appSender(1, 'file:///tmp/x.html'))).toBe(false);
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: null })).toBe(false);

    const w = world();
    w.chosen = [CORPUS_TRACE];
    const ipc = new FakeIpcMain();
    registerIpcHandlers(ipc, createHandlers(w.deps));
    for (const channel of INVOKE_CHANNELS) {
      await expect(ipc.invoke(channel, appSender(3, 'https://evil.example/'), null)).rejects.toThrow(/not the app's own page/);
    }
    expect(w.deps.registry.size).toBe(0);
    const files = (await ipc.invoke('files:open-dialog', appSender(3))) as OpenedFile[];
    expect(files.map((f) => f.name)).toEqual(['trace.json']);
    await expect(ipc.invoke('files:read', appSender(3), { handle: files[0].handle, offset: 0, length: 1 }, 'extra')).rejects.toThrow(/at most one argument/);
    const first = (await ipc.invoke('files:read', appSender(3), { handle: files[0].handle, offset: 0, length: 1 })) as Uint8Array;
    expect(String.fromCharCode(first[0])).toBe('{');
  });
});

/** An ipcRenderer stand-in over an EventEmitter: invoke records calls, events arrive as from main. */
class FakeIpcRenderer extends EventEmitter implements IpcRendererLike {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return null;
  }
}

describe('preload api', () => {
  it('has exactly one method per channel, covering every channel', async () => {
    const ipc = new FakeIpcRenderer();
    const api = buildTracedeckApi(ipc);
    expect(Object.keys(api).sort()).toEqual(
      [
        'closeFile', 'onFilesOpenedByOs', 'onMenuCommand', 'openExternal', 'openFileDialog', 'readFile', 'saveWorkspace', 'writeBegin', 'writeChunk', 'writeEnd', 'writeAbort', 'setUnsaved', 'keepInfo',
        'keepRead', 'keepClear', 'recentList', 'recentAdd', 'recentOpen', 'recentRemove',
      ].sort(),
    );
    expect(Object.keys(api)).toHaveLength(INVOKE_CHANNELS.length + EVENT_CHANNELS.length);
    expect(Object.isFrozen(api)).toBe(true);

    await api.openFileDialog();
    await api.readFile({ handle: HANDLE, offset: 5, length: 10 });
    await api.closeFile(HANDLE);
    await api.saveWorkspace({ suggestedName: 'w.sqlite', bytes: new Uint8Array(2) });
    await api.openExternal('https://example.com/');
    await api.writeBegin({ to: 'again' });
    await api.writeChunk({ token: HANDLE, position: 0, bytes: new Uint8Array(1) });
    await api.writeEnd(HANDLE, 1);
    await api.writeAbort(HANDLE);
    await api.setUnsaved(true);
    await api.keepInfo();
    await api.keepRead();
    await api.keepClear();
    await api.recentList();
    await api.recentAdd(HANDLE, 'workspace');
    await api.recentOpen('0123abcd');
    await api.recentRemove('0123abcd');
    expect(ipc.invoked.map((c) => c.channel).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(ipc.invoked[1].args).toEqual([{ handle: HANDLE, offset: 5, length: 10 }]);

    const offs = [api.onMenuCommand(() => {}), api.onFilesOpenedByOs(() => {})];
    expect(ipc.eventNames().sort()).toEqual([...EVENT_CHANNELS].sort());
    for (const off of offs) off();
    expect(ipc.eventNames()).toEqual([]);
  });

  it('passes only the payload to subscribers (never the IPC event) and stops after unsubscribe', () => {
    const ipc = new FakeIpcRenderer();
    const api = buildTracedeckApi(ipc);
    const got: unknown[][] = [];
    const off = api.onMenuCommand((...args: unknown[]) => got.push(args));
    const event = { sender: ipc };
    ipc.emit('menu:command', event, 'open-demo' satisfies MenuCommand);
    ipc.emit('menu:command', event, 'find' satisfies MenuCommand);
    off();
    off();
    ipc.emit('menu:command', event, 'show-logs' satisfies MenuCommand);
    expect(got).toEqual([['open-demo'], ['find']]);
  });

  it('sends only the contract fields of a read, whatever the page passes', async () => {
    const ipc = new FakeIpcRenderer();
    const api = buildTracedeckApi(ipc);
    const sneaky = { handle: HANDLE, offset: 0, length: 1, path: '/etc/passwd' };
    await api.readFile(sneaky);
    expect(ipc.invoked[0].args[0]).toEqual({ handle: HANDLE, offset: 0, length: 1 });
  });
});

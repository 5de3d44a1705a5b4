// One validated handler per invoke channel of contract.ts. Each call is checked twice before it
// does anything: the sender must be a frame showing the app's own origin, and the payload must
// pass its parser in validate.ts. Files are only located and read here, never parsed: parsing
// happens in the renderer's engine worker, so a hostile file cannot reach the privileged process.
// The OS pieces (dialogs, the browser) are passed in, so the table runs in plain Node under test.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { INVOKE_CHANNELS } from './contract.ts';
import type { InvokeChannel, InvokeChannels, OpenedFile } from './contract.ts';
import type { HandleRegistry } from './file-tokens.ts';
import {
  IpcPayloadError,
  parseCloseRequest,
  parseNullPayload,
  parseOpenExternalRequest,
  parseReadRequest,
  parseSaveRequest,
  parseSetUnsaved,
  parseWriteTarget,
  parseWriteChunk,
  parseWriteEnd,
  parseWriteAbort,
  parseKeptInfo,
  parseRecentAdd,
  parseRecentId,
} from './validate.ts';
import type { RecentFilesStore } from '../recent.ts';
import type { WorkspaceWrites } from '../workspace-writes.ts';
import { isAppUrl, openExternalConfirmed } from '../security.ts';
import type { ExternalOpener } from '../security.ts';

/** Who is calling: the id of the sending window's webContents (handles belong to one window). */
export interface CallContext {
  owner: number;
}

export interface HandlerDeps {
  registry: HandleRegistry;
  /** Shows the Open dialog (several files allowed) for the owner's window; [] when cancelled. */
  chooseFilesToOpen(owner: number): Promise<string[]>;
  /** Shows the Save dialog pre-filled with a bare file name; null when cancelled. */
  chooseSavePath(owner: number, suggestedName: string): Promise<string | null>;
  external: ExternalOpener;
  /** Windows (by owner) that hold unsaved work; the close handler asks before closing those. */
  unsaved: Map<number, boolean>;
  /** The folder of the kept workspace (the app's data folder). */
  keepDir: string;
  /** Recent files by path, kept in the app's data folder. */
  recent: RecentFilesStore;
  /** Workspace files being written in chunks, by token. */
  writes: WorkspaceWrites;
}

const KEPT_DATA = 'kept.tracedeck';
const KEPT_INFO = 'kept.json';

/** Write a file whole or not at all: a crash mid-write leaves the previous copy. */
async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.writing`;
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, file);
}

export type Handler<C extends InvokeChannel> = (ctx: CallContext, payload: unknown) => Promise<InvokeChannels[C]['response']>;
export type HandlerTable = { [C in InvokeChannel]: Handler<C> };

/**
 * Registers the given paths for a window. Only regular files are accepted; a path that vanished or
 * is a folder is skipped (the dialog or the OS named it, so there is no one to blame but the race).
 * Each file is named by its path relative to the folder the files opened together share, so two
 * `access.log` from two folders can be told apart (the command line names its inputs the same way).
 */
export async function registerPaths(registry: HandleRegistry, owner: number, paths: readonly string[]): Promise<OpenedFile[]> {
  const files: { p: string; size: number }[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await fsp.stat(p);
    } catch {
      continue;
    }
    if (st.isFile()) files.push({ p: path.resolve(p), size: st.size });
  }
  const shared = sharedFolder(files.map((f) => f.p));
  return files.map((f) => registry.register(owner, f.p, path.relative(shared, f.p).split(path.sep).join('/'), f.size));
}

/** The deepest folder holding every one of these absolute file paths. */
function sharedFolder(files: readonly string[]): string {
  let dir = files.length > 0 ? path.dirname(files[0]) : '';
  for (const f of files) while (path.relative(dir, f).startsWith('..')) dir = path.dirname(dir);
  return dir;
}

/** Reads up to length bytes at offset; shorter at the end of the file, empty past it. */
export async function readChunk(filePath: string, offset: number, length: number): Promise<Uint8Array> {
  const fh = await fsp.open(filePath, 'r');
  try {
    const { size } = await fh.stat();
    const n = Math.max(0, Math.min(length, size - offset));
    if (n === 0) return new Uint8Array(0);
    const buf = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await fh.read(buf, done, n - done, offset + done);
      if (bytesRead === 0) break; // the file shrank while we read
      done += bytesRead;
    }
    return done === n ? buf : buf.subarray(0, done);
  } finally {
    await fh.close();
  }
}

export function createHandlers(deps: HandlerDeps): HandlerTable {
  const { registry } = deps;
  /** The file each window (owner) last saved its workspace to, chosen in the save dialog: Save writes there again. */
  const savedPaths = new Map<number, string>();
  return {
    'files:open-dialog': async (ctx, payload) => {
      parseNullPayload('files:open-dialog', payload);
      const paths = await deps.chooseFilesToOpen(ctx.owner);
      return registerPaths(registry, ctx.owner, paths);
    },
    'files:read': async (ctx, payload) => {
      const req = parseReadRequest(payload);
      const p = registry.pathOf(ctx.owner, req.handle);
      if (p === null) throw new IpcPayloadError('files:read', 'unknown handle');
      return readChunk(p, req.offset, req.length);
    },
    'files:close': async (ctx, payload) => {
      const { handle } = parseCloseRequest(payload);
      // Closing twice is harmless; an unknown handle is not an error worth a rejected promise.
      registry.close(ctx.owner, handle);
      return null;
    },
    'workspace:save-dialog': async (ctx, payload) => {
      const req = parseSaveRequest(payload);
      const target = await deps.chooseSavePath(ctx.owner, req.suggestedName);
      if (target === null) return { saved: false };
      await fsp.writeFile(target, req.bytes);
      savedPaths.set(ctx.owner, target);
      await deps.recent.add(target, 'workspace');
      return { saved: true, name: path.basename(target) };
    },
    'workspace:write-begin': async (ctx, payload) => {
      const t = parseWriteTarget(payload);
      if (t.to === 'keep') {
        await fsp.mkdir(deps.keepDir, { recursive: true });
        // The info goes last and names the size: a copy cut short is never offered.
        await fsp.rm(path.join(deps.keepDir, KEPT_INFO), { force: true });
        const info = (size: number) => writeAtomically(path.join(deps.keepDir, KEPT_INFO), JSON.stringify({ savedAt: t.savedAt, name: t.name, sizeBytes: size }));
        return { token: await deps.writes.begin(ctx.owner, path.join(deps.keepDir, KEPT_DATA), info), name: KEPT_DATA };
      }
      const target = t.to === 'again' ? (savedPaths.get(ctx.owner) ?? null) : await deps.chooseSavePath(ctx.owner, t.suggestedName);
      if (target === null) return null;
      const saved = async () => {
        savedPaths.set(ctx.owner, target);
        await deps.recent.add(target, 'workspace');
      };
      return { token: await deps.writes.begin(ctx.owner, target, saved), name: path.basename(target) };
    },
    'workspace:write-chunk': async (ctx, payload) => {
      const c = parseWriteChunk(payload);
      await deps.writes.write(ctx.owner, c.token, c.position, c.bytes);
      return null;
    },
    'workspace:write-end': async (ctx, payload) => {
      const { token, size } = parseWriteEnd(payload);
      return { saved: true, name: path.basename(await deps.writes.end(ctx.owner, token, size)) };
    },
    'workspace:write-abort': async (ctx, payload) => {
      await deps.writes.abort(ctx.owner, parseWriteAbort(payload).token);
      return null;
    },
    'shell:open-external': async (_ctx, payload) => {
      const { url } = parseOpenExternalRequest(payload);
      return openExternalConfirmed(url, deps.external);
    },
    'workspace:set-unsaved': async (ctx, payload) => {
      deps.unsaved.set(ctx.owner, parseSetUnsaved(payload).unsaved);
      return null;
    },
    'keep:info': async (_ctx, payload) => {
      parseNullPayload('keep:info', payload);
      try {
        const info = parseKeptInfo('keep:info', JSON.parse(await fsp.readFile(path.join(deps.keepDir, KEPT_INFO), 'utf8')));
        const { size } = await fsp.stat(path.join(deps.keepDir, KEPT_DATA));
        return size === info.sizeBytes ? info : null;
      } catch {
        return null; // none kept, or a copy that does not add up
      }
    },
    'keep:read': async (_ctx, payload) => {
      parseNullPayload('keep:read', payload);
      try {
        return new Uint8Array(await fsp.readFile(path.join(deps.keepDir, KEPT_DATA)));
      } catch {
        return null;
      }
    },
    'keep:clear': async (_ctx, payload) => {
      parseNullPayload('keep:clear', payload);
      await fsp.rm(path.join(deps.keepDir, KEPT_INFO), { force: true });
      await fsp.rm(path.join(deps.keepDir, KEPT_DATA), { force: true });
      return null;
    },
    'recent:list': async (_ctx, payload) => {
      parseNullPayload('recent:list', payload);
      return deps.recent.list();
    },
    'recent:add': async (ctx, payload) => {
      const { handle, kind } = parseRecentAdd(payload);
      const p = registry.pathOf(ctx.owner, handle);
      if (p === null) throw new IpcPayloadError('recent:add', 'unknown handle');
      await deps.recent.add(p, kind);
      return null;
    },
    'recent:open': async (ctx, payload) => {
      const { id } = parseRecentId('recent:open', payload);
      const entry = await deps.recent.pathOf(id);
      if (entry === null) return null;
      const [file] = await registerPaths(registry, ctx.owner, [entry.path]);
      if (file === undefined) return null;
      await deps.recent.add(entry.path, entry.kind);
      return file;
    },
    'recent:remove': async (_ctx, payload) => {
      await deps.recent.remove(parseRecentId('recent:remove', payload).id);
      return null;
    },
  };
}

/** The parts of an IpcMainInvokeEvent the wrapper looks at. */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
}

/** Only the app's own pages may call: not a navigated-away frame, not a subframe from elsewhere. */
export function isTrustedSender(event: InvokeEventLike): boolean {
  return event.senderFrame !== null && isAppUrl(event.senderFrame.url);
}

export class IpcSenderError extends Error {
  constructor(channel: string) {
    super(`${channel}: refused, the caller is not the app's own page`);
    this.name = 'IpcSenderError';
  }
}

/** Registers one ipcMain handler per invoke channel, each behind the sender check. */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: HandlerTable): void {
  for (const channel of INVOKE_CHANNELS) {
    const handler = handlers[channel] as Handler<InvokeChannel>;
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event)) throw new IpcSenderError(channel);
      if (args.length > 1) throw new IpcPayloadError(channel, 'takes at most one argument');
      return handler({ owner: event.sender.id }, args[0]);
    });
  }
}

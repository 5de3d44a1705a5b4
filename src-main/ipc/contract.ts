// THE contract between the Electron main process, the preload and the renderer. Types and the
// channel map only, no imports: main, preload and renderer all compile against this one file.
// Every channel has exactly one validated handler (handlers.ts) and one preload method.

/** A file the user chose in the Open dialog. The handle is an opaque token valid for this window. */
export interface OpenedFile {
  handle: string;
  name: string;
  size: number;
}

/** A read of one chunk of an opened file; bytes stream in chunks, never as one giant buffer. */
export interface ReadRequest {
  handle: string;
  offset: number;
  length: number;
}

export interface SaveRequest {
  suggestedName: string;
  bytes: Uint8Array;
}

/** Whether the file was written, and its name (no folder) when it was. */
export interface SaveResponse {
  saved: boolean;
  name?: string;
}

/**
 * Where a workspace write goes: a file the user picks in the Save dialog, the file this window
 * last saved to (no dialog), or the kept copy in the app's data folder (with what it is, less
 * its size, which the write's end gives).
 */
export type WriteTarget = { to: 'dialog'; suggestedName: string } | { to: 'again' } | { to: 'keep'; savedAt: number; name: string | null };

/** A write begun: its token (for this window only) and the file's name (no folder). */
export interface WriteBegun {
  token: string;
  name: string;
}

/** One chunk of a workspace write, at its position in the file. */
export interface WriteChunk {
  token: string;
  position: number;
  bytes: Uint8Array;
}

/** The workspace kept on disk as the user works (offered back after a crash): what it is. */
export interface KeptInfo {
  /** When it was written, ms since the epoch. */
  savedAt: number;
  name: string | null;
  sizeBytes: number;
}

/** A recent file or workspace, as the main process lists it (src-main/recent.ts): no path, an id. */
export interface RecentFile {
  id: string;
  name: string;
  /** The folder it is in, to tell two files of the same name apart. */
  folder: string;
  kind: 'workspace' | 'files';
  openedAt: number;
  /** False when the file is no longer there. */
  exists: boolean;
}

/** What the application menu asks the renderer to do. */
export type MenuCommand = 'open-files' | 'open-demo' | 'save-workspace' | 'save-workspace-as' | 'find' | 'show-traces' | 'show-logs' | 'show-slos';

/** invoke channels: request → response. */
export interface InvokeChannels {
  'files:open-dialog': { request: null; response: OpenedFile[] };
  'files:read': { request: ReadRequest; response: Uint8Array };
  'files:close': { request: { handle: string }; response: null };
  'workspace:save-dialog': { request: SaveRequest; response: SaveResponse };
  /**
   * A workspace file written in chunks as the engine streams it (src-main/workspace-writes.ts):
   * begin (null when the user cancels, or there is no file to save again to), chunks, then end,
   * which puts the file in place, or abort, which leaves what was there.
   */
  'workspace:write-begin': { request: WriteTarget; response: WriteBegun | null };
  'workspace:write-chunk': { request: WriteChunk; response: null };
  'workspace:write-end': { request: { token: string; size: number }; response: SaveResponse };
  'workspace:write-abort': { request: { token: string }; response: null };
  'shell:open-external': { request: { url: string }; response: { opened: boolean } };
  /** Whether the window holds unsaved work: closing it then asks first. */
  'workspace:set-unsaved': { request: { unsaved: boolean }; response: null };
  'keep:info': { request: null; response: KeptInfo | null };
  'keep:read': { request: null; response: Uint8Array | null };
  'keep:clear': { request: null; response: null };
  /** Recent files, newest first. */
  'recent:list': { request: null; response: RecentFile[] };
  /** A file this window opened (by its handle) goes to the top of the list as a workspace or as data. */
  'recent:add': { request: { handle: string; kind: 'workspace' | 'files' }; response: null };
  /** Open a recent file again: registered for this window like a file from the Open dialog; null when it is gone. */
  'recent:open': { request: { id: string }; response: OpenedFile | null };
  'recent:remove': { request: { id: string }; response: null };
}

/** main → renderer events. */
export interface EventChannels {
  'menu:command': MenuCommand;
  'files:opened-by-os': OpenedFile[];
}

export type InvokeChannel = keyof InvokeChannels;
export type EventChannel = keyof EventChannels;

/** Channel names as values, for the handler/preload completeness test. */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'files:open-dialog',
  'files:read',
  'files:close',
  'workspace:save-dialog',
  'workspace:write-begin',
  'workspace:write-chunk',
  'workspace:write-end',
  'workspace:write-abort',
  'shell:open-external',
  'workspace:set-unsaved',
  'keep:info',
  'keep:read',
  'keep:clear',
  'recent:list',
  'recent:add',
  'recent:open',
  'recent:remove',
];
export const EVENT_CHANNELS: readonly EventChannel[] = ['menu:command', 'files:opened-by-os'];

/** Largest chunk one files:read may ask for, and one workspace:write-chunk may carry. */
export const MAX_READ_BYTES = 8 * 1024 * 1024;

/** What the preload exposes as window.tracedeck: exactly one method per channel. */
export interface TracedeckApi {
  openFileDialog(): Promise<OpenedFile[]>;
  readFile(req: ReadRequest): Promise<Uint8Array>;
  closeFile(handle: string): Promise<null>;
  saveWorkspace(req: SaveRequest): Promise<SaveResponse>;
  writeBegin(target: WriteTarget): Promise<WriteBegun | null>;
  writeChunk(chunk: WriteChunk): Promise<null>;
  writeEnd(token: string, size: number): Promise<SaveResponse>;
  writeAbort(token: string): Promise<null>;
  openExternal(url: string): Promise<{ opened: boolean }>;
  setUnsaved(unsaved: boolean): Promise<null>;
  keepInfo(): Promise<KeptInfo | null>;
  keepRead(): Promise<Uint8Array | null>;
  keepClear(): Promise<null>;
  recentList(): Promise<RecentFile[]>;
  recentAdd(handle: string, kind: RecentFile['kind']): Promise<null>;
  recentOpen(id: string): Promise<OpenedFile | null>;
  recentRemove(id: string): Promise<null>;
  /** Subscriptions return their unsubscribe function. */
  onMenuCommand(cb: (cmd: MenuCommand) => void): () => void;
  onFilesOpenedByOs(cb: (files: OpenedFile[]) => void): () => void;
}

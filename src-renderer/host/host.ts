// The host is everything the renderer needs from its surroundings: files, saving, the web.
// In Electron it goes through the preload's contract; in a browser through the File API.

import type { ByteSource } from '../engine/client.ts';
import type { SaveTarget } from '../engine/protocol.ts';
import type { MenuCommand, RecentFile } from '../../src-main/ipc/contract.ts';

export interface Host {
  readonly kind: 'electron' | 'browser';
  /** Ask the user for files (Open dialog or file picker). Empty when they cancel. */
  pickFiles(): Promise<ByteSource[]>;
  /** The files of a drop event; call it during the event (the browser empties the data after it). */
  fromDrop(dt: DataTransfer | null): ByteSource[];
  /** Save bytes under a name the user confirms (a save dialog, or a browser download). */
  saveFile(suggestedName: string, bytes: Uint8Array): Promise<boolean>;
  /**
   * Save a workspace file: into the file it was last saved to (Save), or one the user picks
   * (Save As, or no file yet). Resolves with the file's name, or null when the user cancels.
   */
  saveWorkspace(save: WorkspaceWriter, suggestedName: string, saveAs: boolean): Promise<string | null>;
  /** Where the workspace is kept as the user works, to offer it back after a crash or reload; null where there is nowhere. */
  readonly keep: KeptWorkspaceStore | null;
  /** Recent files the host can open again (Electron: by path; Chromium: by file handle); null where it keeps none. */
  readonly recent: RecentFilesHost | null;
  /** Whether there is unsaved work, so that closing the window asks first (Electron; a browser asks through beforeunload). */
  setUnsaved(unsaved: boolean): void;
  /** Open an http(s) link in the system browser, after the user confirms. */
  openExternal(url: string): Promise<boolean>;
  /** Menu commands and files opened by the OS (Electron only); returns an unsubscribe function. */
  onCommand(cb: (cmd: MenuCommand) => void): () => void;
  onFilesFromOs(cb: (files: ByteSource[]) => void): () => void;
}

/** A recent file as the host lists it: never a path, an id to open it by (the contract's type). */
export type RecentItem = RecentFile;

export interface RecentFilesHost {
  list(): Promise<RecentItem[]>;
  /** The file to read again, or null when it is gone. */
  open(id: string): Promise<ByteSource | null>;
  remove(id: string): Promise<void>;
}

/**
 * How the host has the workspace written: streamed by the engine to a target it can open (its
 * pages go there with no copy of the whole file), or as one array where only bytes will do (a
 * download, a message to another process).
 */
export interface WorkspaceWriter {
  /** Stream the workspace to `target`; resolves with the file's size. */
  to(target: SaveTarget): Promise<number>;
  bytes(): Promise<Uint8Array>;
}

/** What is known of the kept workspace without reading it. */
export interface KeptWorkspaceInfo {
  /** When it was written, ms since the epoch. */
  savedAt: number;
  /** The workspace file's name, when it had one. */
  name: string | null;
  sizeBytes: number;
}

/** The one kept copy of the workspace (the browser's Origin Private File System, or the app's data folder). */
export interface KeptWorkspaceStore {
  /** Write the workspace as the kept copy (`info` without its size, which the write finds). */
  write(save: WorkspaceWriter, info: Omit<KeptWorkspaceInfo, 'sizeBytes'>): Promise<void>;
  info(): Promise<KeptWorkspaceInfo | null>;
  read(): Promise<Uint8Array | null>;
  clear(): Promise<void>;
}

/** A source and its first bytes (at least 16 unless the file is shorter), with the source still whole to read. */
export async function withHead(src: ByteSource): Promise<{ head: Uint8Array; source: ByteSource }> {
  const it = src.chunks()[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let have = 0;
  let done = false;
  while (have < 16) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    first.push(r.value);
    have += r.value.length;
  }
  const head = first.length === 1 ? first[0] : concatBytes(first);
  return {
    head,
    source: {
      name: src.name,
      size: src.size,
      ...(src.remember ? { remember: (kind: 'workspace' | 'files') => src.remember!(kind) } : {}),
      async *chunks() {
        if (head.length > 0) yield head;
        if (done) return;
        for (;;) {
          const r = await it.next();
          if (r.done) return;
          yield r.value;
        }
      },
    },
  };
}

/** Byte arrays end to end, in one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** Chunks of a File or Blob, read as a stream (never the whole file at once). */
export function blobSource(file: File | Blob, name: string): ByteSource {
  return {
    name,
    size: file.size,
    async *chunks() {
      const reader = file.stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (value && value.length > 0) yield value;
      }
    },
  };
}

/** Files from a drop event. */
export function droppedSources(dt: DataTransfer | null): ByteSource[] {
  if (!dt) return [];
  return Array.from(dt.files).map((f) => blobSource(f, f.name));
}

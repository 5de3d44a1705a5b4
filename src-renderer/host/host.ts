// The host is everything the renderer needs from its surroundings: files, saving, the web.
// In Electron it goes through the preload's contract; in a browser through the File API.

import type { ByteSource } from '../engine/client.ts';
import type { MenuCommand } from '../../src-main/ipc/contract.ts';

export interface Host {
  readonly kind: 'electron' | 'browser';
  /** Ask the user for files (Open dialog or file picker). Empty when they cancel. */
  pickFiles(): Promise<ByteSource[]>;
  /** Save bytes under a name the user confirms (a save dialog, or a browser download). */
  saveFile(suggestedName: string, bytes: Uint8Array): Promise<boolean>;
  /** Open an http(s) link in the system browser, after the user confirms. */
  openExternal(url: string): Promise<boolean>;
  /** Menu commands and files opened by the OS (Electron only); returns an unsubscribe function. */
  onCommand(cb: (cmd: MenuCommand) => void): () => void;
  onFilesFromOs(cb: (files: ByteSource[]) => void): () => void;
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

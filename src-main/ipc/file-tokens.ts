// Opaque file handles. The renderer never sees or sends a path: it gets a random token for each
// file the user picked (or the OS handed over), and the main process maps the token back. A
// compromised renderer can thus read only files the user chose, and only in the window they were
// chosen for.
import { randomBytes } from 'node:crypto';
import type { OpenedFile } from './contract.ts';

interface Entry {
  owner: number;
  path: string;
  name: string;
  size: number;
}

/** More open files than anyone drops at once; a cap stops a leak from growing forever. */
export const MAX_OPEN_HANDLES = 4096;

export class HandleRegistry {
  private readonly entries = new Map<string, Entry>();

  /**
   * Registers a file for one window (owner = its webContents id) and returns what the renderer may
   * know about it. The token carries 128 random bits, so it cannot be guessed.
   */
  register(owner: number, filePath: string, name: string, size: number): OpenedFile {
    if (this.entries.size >= MAX_OPEN_HANDLES) throw new Error(`too many open files (${MAX_OPEN_HANDLES}); close some first`);
    let handle = randomBytes(16).toString('hex');
    while (this.entries.has(handle)) handle = randomBytes(16).toString('hex');
    this.entries.set(handle, { owner, path: filePath, name, size });
    return { handle, name, size };
  }

  /** The path behind a handle, only for the window that owns it. */
  pathOf(owner: number, handle: string): string | null {
    const e = this.entries.get(handle);
    return e !== undefined && e.owner === owner ? e.path : null;
  }

  /** Forgets a handle; false when it was not this window's. */
  close(owner: number, handle: string): boolean {
    const e = this.entries.get(handle);
    if (e === undefined || e.owner !== owner) return false;
    this.entries.delete(handle);
    return true;
  }

  /** Forgets every handle of a window (it was closed or reloaded). */
  closeAll(owner: number): number {
    let n = 0;
    for (const [h, e] of this.entries) {
      if (e.owner === owner) {
        this.entries.delete(h);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.entries.size;
  }
}

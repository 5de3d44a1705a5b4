// Workspace files the renderer writes in chunks: its engine streams the SQLite file page run by
// page run (src-renderer/store/stream-export.ts), and the chunks cross to this process one by
// one, so no copy of the whole file is ever held on either side. Each write goes to a temporary
// file beside its target, renamed over it once whole: a renderer that fails or goes away in the
// middle leaves the file that was there untouched.
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

interface Write {
  owner: number;
  target: string;
  temp: string;
  file: FileHandle;
  /** What to do once the file is in place (remember it, write the kept copy's info). */
  then(size: number): Promise<void>;
}

/** The writes in progress, each known by an opaque token and usable only by the window that began it. */
export class WorkspaceWrites {
  private readonly writes = new Map<string, Write>();

  /** Begin writing `target`; `then` runs once it is in place. */
  async begin(owner: number, target: string, then: (size: number) => Promise<void> = async () => {}): Promise<string> {
    const token = randomBytes(16).toString('hex');
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${token.slice(0, 8)}.partial`);
    const file = await fsp.open(temp, 'wx');
    this.writes.set(token, { owner, target, temp, file, then });
    return token;
  }

  async write(owner: number, token: string, position: number, bytes: Uint8Array): Promise<void> {
    const w = this.get(owner, token);
    try {
      for (let done = 0; done < bytes.length; ) done += (await w.file.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
    } catch (e) {
      await this.abort(owner, token);
      throw e;
    }
  }

  /** The file is whole at `size` bytes: it replaces the target. Resolves with the target's path. */
  async end(owner: number, token: string, size: number): Promise<string> {
    const w = this.get(owner, token);
    this.writes.delete(token);
    try {
      await w.file.truncate(size);
      await w.file.close();
      await fsp.rename(w.temp, w.target);
    } catch (e) {
      await w.file.close().catch(() => {});
      await fsp.rm(w.temp, { force: true });
      throw e;
    }
    await w.then(size);
    return w.target;
  }

  /** Drop a write: its temporary file goes; an unknown token is nothing to drop. */
  async abort(owner: number, token: string): Promise<void> {
    const w = this.writes.get(token);
    if (!w || w.owner !== owner) return;
    this.writes.delete(token);
    await w.file.close().catch(() => {});
    await fsp.rm(w.temp, { force: true });
  }

  /** A window went away: its unfinished writes go with it. */
  async abortAll(owner: number): Promise<void> {
    for (const [token, w] of [...this.writes]) if (w.owner === owner) await this.abort(owner, token);
  }

  private get(owner: number, token: string): Write {
    const w = this.writes.get(token);
    if (!w || w.owner !== owner) throw new Error('no such workspace write');
    return w;
  }
}

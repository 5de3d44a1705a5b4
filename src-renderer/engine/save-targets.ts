// Where the engine streams a saved workspace (store/stream-export.ts), named in a form that can
// cross to the worker: the engine opens the destination itself, so the file's pages go from
// SQLite's memory to it with no copy of the whole file on the way.
//
//   path    Node (command line, benchmarks): a temporary file beside the target, renamed over it once whole
//   opfs    the browser's Origin Private File System, written synchronously (a worker's sync access handle)
//   handle  a file the user picked (File System Access API), through its writable stream
//   port    a MessagePort whose other end passes each chunk on (host/chunk-relay.ts: the desktop app's main process writes it)
//
// A picked file and a file on disk are left untouched until the new one is whole (the writable
// stream's own swap file, replacing the file on close; a temporary file renamed). The OPFS file is
// written in place, where its pages are already the browser's: its owner (host/opfs-keep.ts)
// marks it unreadable first and readable again when it is whole.

import { streamWorkspace, DEFAULT_CHUNK_BYTES, type ExportSource, type FileSink } from '../store/stream-export.ts';
import type { ChunkMessage, ChunkReply, SaveTarget } from './protocol.ts';

/** How a target is named in messages: its file name. */
export function targetName(t: SaveTarget): string {
  return t.kind === 'path' ? t.path : t.name;
}

/** A sink writing to `t`. */
export async function openSink(t: SaveTarget): Promise<FileSink> {
  switch (t.kind) {
    case 'path':
      return nodeFileSink(t.path);
    case 'opfs':
      return opfsSink(t.name);
    case 'handle':
      return writableSink(await t.handle.createWritable({ keepExistingData: false }));
    case 'port':
      return portSink(t.port);
  }
}

/** A sink writing `target` through a temporary file in the same folder (a rename within one file system is atomic). */
export function nodeFileSink(target: string): FileSink {
  // By getBuiltinModule, so that no node: import reaches the web bundle.
  const proc = (globalThis as { process?: { pid: number; getBuiltinModule?: (id: string) => unknown } }).process;
  if (!proc?.getBuiltinModule) throw new Error('saving to a path needs Node');
  const fs = proc.getBuiltinModule('node:fs') as typeof import('node:fs');
  const path = proc.getBuiltinModule('node:path') as typeof import('node:path');
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${proc.pid}-${Date.now().toString(36)}.partial`);
  let fd: number | null = fs.openSync(temp, 'wx');
  const closeFd = () => {
    if (fd !== null) fs.closeSync(fd);
    fd = null;
  };
  return {
    write(bytes, position) {
      for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd!, bytes, done, bytes.length - done, position + done);
    },
    close(size) {
      fs.ftruncateSync(fd!, size);
      closeFd();
      fs.renameSync(temp, target);
    },
    abort() {
      try {
        closeFd();
      } finally {
        fs.rmSync(temp, { force: true });
      }
    },
  };
}

/**
 * A file of the Origin Private File System, written in place through a sync access handle
 * (dedicated workers only): each chunk straight from the engine's memory, no promise per write.
 */
async function opfsSink(name: string): Promise<FileSink> {
  const dir = await navigator.storage.getDirectory();
  const file = await dir.getFileHandle(name, { create: true });
  // A browser without sync access handles (they came after the rest of OPFS) writes through a stream.
  if (typeof file.createSyncAccessHandle !== 'function') return writableSink(await file.createWritable({ keepExistingData: false }));
  const h = await file.createSyncAccessHandle();
  let open = true;
  const close = () => {
    if (open) h.close();
    open = false;
  };
  return {
    write(bytes, position) {
      for (let done = 0; done < bytes.length; ) {
        const n = h.write(bytes.subarray(done), { at: position + done });
        if (n <= 0) throw new Error(`${name}: the browser wrote nothing at byte ${position + done} (is its storage full?)`);
        done += n;
      }
    },
    close(size) {
      h.truncate(size);
      h.flush();
      close();
    },
    abort() {
      close();
    },
  };
}

/** A picked file's writable stream: writes at positions, the file replaced only when it closes. */
function writableSink(w: FileSystemWritableFileStream): FileSink {
  return {
    write(bytes, position) {
      return w.write({ type: 'write', position, data: bytes as Uint8Array<ArrayBuffer> });
    },
    async close(size) {
      await w.truncate(size);
      await w.close();
    },
    async abort() {
      await w.abort().catch(() => {});
    },
  };
}

/**
 * Chunks posted on a port, each answered before its promise resolves. A chunk travels in a buffer
 * of this sink's own, transferred, and comes back with the answer to carry the next one: the few
 * in flight are memory already touched, not a fresh array per chunk.
 */
function portSink(port: MessagePort): FileSink {
  let seq = 0;
  const waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
  const buffers: ArrayBuffer[] = [];
  port.onmessage = (e: MessageEvent<ChunkReply>) => {
    const r = e.data;
    if (r.bytes) buffers.push(r.bytes.buffer as ArrayBuffer);
    const w = waiting.get(r.seq);
    waiting.delete(r.seq);
    if (r.error !== undefined) w?.reject(new Error(r.error));
    else w?.resolve();
  };
  const send = (m: ChunkMessage, transfer: Transferable[] = []) =>
    new Promise<void>((resolve, reject) => {
      waiting.set(m.seq, { resolve, reject });
      port.postMessage(m, transfer);
    });
  return {
    write(bytes, at) {
      let buf = buffers.pop();
      if (!buf || buf.byteLength < bytes.length) buf = new ArrayBuffer(Math.max(bytes.length, DEFAULT_CHUNK_BYTES));
      const copy = new Uint8Array(buf, 0, bytes.length);
      copy.set(bytes);
      return send({ seq: ++seq, at, bytes: copy }, [buf]);
    },
    async close(size) {
      await send({ seq: ++seq, close: size });
      port.close();
    },
    async abort() {
      await send({ seq: ++seq, abort: true }).catch(() => {});
      port.close();
    },
  };
}

/**
 * Stream `source` to `t`. A failure names the file, drops what was written, and leaves the
 * workspace as it was.
 */
export function streamSave(source: ExportSource, t: SaveTarget): Promise<number> {
  // One save at a time: the kept copy and a Save may be asked for together, and each would slow the other.
  const run = saving.then(async () => {
    try {
      return (await streamWorkspace(source, await openSink(t))).bytes;
    } catch (e) {
      throw new Error(`${targetName(t)} could not be written: ${(e as Error).message}`, { cause: e });
    }
  });
  saving = run.catch(() => {});
  return run;
}

let saving: Promise<unknown> = Promise.resolve();

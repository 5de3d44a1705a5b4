// The UI thread's end of a `port` save target (engine/save-targets.ts): the engine worker posts a
// workspace file's chunks on a MessagePort, and this passes each on to where the file is written
// (the desktop app's main process, over IPC), answering each once it is written so the worker
// keeps only a few chunks in flight. The chunk's buffer goes back with the answer.

import type { ChunkMessage, ChunkReply } from '../engine/protocol.ts';

export interface ChunkWriter {
  write(position: number, bytes: Uint8Array): Promise<unknown>;
  end(size: number): Promise<unknown>;
  abort(): Promise<unknown>;
}

/** Pass the chunks arriving on `port` to `to`, one at a time and in order. */
export function relayChunks(port: MessagePort, to: ChunkWriter): void {
  let last = Promise.resolve();
  port.onmessage = (e: MessageEvent<ChunkMessage>) => {
    const m = e.data;
    last = last.then(async () => {
      try {
        if ('bytes' in m) await to.write(m.at, m.bytes);
        else if ('close' in m) await to.end(m.close);
        else await to.abort();
        const reply: ChunkReply = 'bytes' in m ? { seq: m.seq, bytes: m.bytes } : { seq: m.seq };
        port.postMessage(reply, 'bytes' in m ? [m.bytes.buffer as ArrayBuffer] : []);
      } catch (err) {
        port.postMessage({ seq: m.seq, error: (err as Error).message } satisfies ChunkReply);
      }
    });
  };
}

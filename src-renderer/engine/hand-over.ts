// Results whose typed arrays cross to the UI thread transferred rather than copied. A copy of a
// million-point answer costs the receiving thread its whole size in fresh memory, read before it
// can draw; a transfer costs nothing. Only a result marked here is transferred: the engine must
// not keep what it hands over (a transferred buffer is emptied on this side).

const marked = new WeakMap<object, ArrayBuffer[]>();

/** `result`, whose `views` the engine gives up: the worker transfers their buffers with the reply. */
export function handOver<T extends object>(result: T, ...views: ArrayBufferView[]): T {
  const buffers = new Set<ArrayBuffer>();
  for (const v of views) if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
  marked.set(result, [...buffers]);
  return result;
}

/** The buffers to transfer with a reply carrying `result`. */
export function transferList(result: unknown): ArrayBuffer[] {
  if (result instanceof Uint8Array) return [result.buffer as ArrayBuffer];
  return (typeof result === 'object' && result !== null && marked.get(result)) || [];
}

// The parse worker of a pipelined import (parse-core.ts): reads files into rows and posts them
// to the engine worker, on the second core.

import { ParseCore, PARSE_METHODS, type OpPort } from './parse-core.ts';
import { answer, type WorkerScope } from './serve.ts';

const scope = self as unknown as WorkerScope & { onmessage: ((e: MessageEvent) => void) | null };
const core = new ParseCore();
const allowed = new Set<string>(PARSE_METHODS);

scope.onmessage = (e: MessageEvent) => {
  const data = e.data as { connect: true } | { id: number; method: string; args: unknown[] };
  if ('connect' in data) core.connect(e.ports[0] as unknown as OpPort);
  else answer(scope, core, allowed, data);
};
scope.postMessage({ ready: true });

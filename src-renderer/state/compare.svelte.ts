// The compare screen's state: two traces (chosen in the trace list, or by ids in the address) and
// their alignment by operation path, fetched from the engine.

import type { Workspace } from './workspace.svelte.ts';
import type { TraceCompareReply } from '../engine/wire/aggregate.ts';
import { normalizeTraceId } from '../core/base/ids.ts';

export type { TraceCompareReply } from '../engine/wire/aggregate.ts';

export class CompareState {
  reply = $state.raw<TraceCompareReply | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Rows largest |difference| first instead of as a tree. */
  byDifference = $state(false);

  private key = '';
  private ticket = 0;

  constructor(readonly ws: Workspace) {}

  /** Compare traces a and b (again only when they or the data changed). */
  async open(idA: string, idB: string): Promise<void> {
    const a = normalizeTraceId(idA) ?? idA;
    const b = normalizeTraceId(idB) ?? idB;
    const key = `${a}/${b}/${this.ws.version}`;
    if (key === this.key) return;
    this.key = key;
    const ticket = ++this.ticket;
    this.loading = true;
    this.error = null;
    try {
      const reply = await this.ws.engine.call('compareTraces', a, b);
      if (ticket === this.ticket) this.reply = reply;
    } catch (e) {
      if (ticket === this.ticket) {
        this.reply = null;
        this.error = e instanceof Error ? e.message : String(e);
      }
    } finally {
      if (ticket === this.ticket) this.loading = false;
    }
  }
}

const states = new WeakMap<Workspace, CompareState>();

export function compareStateFor(ws: Workspace): CompareState {
  let s = states.get(ws);
  if (!s) states.set(ws, (s = new CompareState(ws)));
  return s;
}

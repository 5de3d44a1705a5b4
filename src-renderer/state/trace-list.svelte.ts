// The trace list's state: its order lives in the route (`#/traces?sort=errors`), so Back returns
// to the order before; where the list was scrolled is kept per order for as long as the
// workspace is open, so the list shown again (Back from a trace) is where it was left.

import type { Workspace, TraceRow, TraceSort } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';

export const TRACE_SORTS: ReadonlyArray<[TraceSort, string]> = [
  ['start', 'Start'],
  ['duration', 'Slowest'],
  ['spans', 'Most spans'],
  ['errors', 'Most errors'],
];

function isSort(s: string | undefined): s is TraceSort {
  return TRACE_SORTS.some(([v]) => v === s);
}

export class TraceListState {
  private scrolled = $state<Partial<Record<TraceSort, number>>>({});

  constructor(
    readonly ws: Workspace,
    private readonly nav: Navigation,
  ) {}

  get sort(): TraceSort {
    const s = this.nav.params('traces').sort;
    return isSort(s) ? s : 'start';
  }

  setSort(sort: TraceSort): void {
    this.nav.set('traces', { sort: sort === 'start' ? null : sort }, 'push');
  }

  /** Where the list of the current order is scrolled (pixels). */
  get scrollTop(): number {
    return this.scrolled[this.sort] ?? 0;
  }

  set scrollTop(top: number) {
    this.scrolled[this.sort] = top;
  }

  page(offset: number, limit: number): Promise<TraceRow[]> {
    return this.ws.tracePage(offset, limit, this.sort);
  }

  open(row: TraceRow): void {
    this.nav.openTrace(row.traceId);
  }
}

const lists = new WeakMap<Workspace, TraceListState>();

export function traceListOf(ws: Workspace, nav: Navigation): TraceListState {
  let l = lists.get(ws);
  if (!l) lists.set(ws, (l = new TraceListState(ws, nav)));
  return l;
}

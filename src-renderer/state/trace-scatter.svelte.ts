// The latency scatter above the trace list: every trace the search finds as a point (start ×
// duration, errors in their own series), on a linear or logarithmic duration axis, with a
// histogram of the durations beside it. A box dragged over it narrows the search to that time and
// duration range (the trace list's query, so the route and Back follow); a point clicked opens its
// trace. The engine sends the series made (core/analysis/scatter-series.ts), as typed arrays transferred.

import type { Workspace } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';
import type { TraceListState } from './trace-list.svelte.ts';
import type { TermBody } from '../core/analysis/trace-query.ts';
import { roundDuration, type Bounds, type DurationBin, type ScatterSeries } from '../core/analysis/scatter-series.ts';

export class TraceScatterState {
  /** Each point's trace number; null before the first answer. */
  traceNo = $state.raw<Int32Array | null>(null);
  /** [seconds since the epoch, duration ms of traces without errors (else NaN), of traces with errors]. */
  data = $state.raw<ScatterSeries>([new Float64Array(0), new Float64Array(0), new Float64Array(0)]);
  /** Each y series' smallest and largest value (seriesOf). */
  bounds = $state.raw<Bounds[]>([null, null]);
  bins = $state.raw<DurationBin[]>([]);
  logY = $state(true);
  loading = $state(false);
  private shown = '';
  private generation = 0;

  constructor(
    readonly ws: Workspace,
    private readonly nav: Navigation,
    private readonly list: TraceListState,
  ) {}

  /** The points of the list's search, asked for when the search or the data changed. */
  async sync(): Promise<void> {
    const key = JSON.stringify([this.list.query, this.ws.version]);
    if (key === this.shown) return;
    this.shown = key;
    const gen = ++this.generation;
    this.loading = true;
    try {
      // Twelve bins fit beside the plot without scrolling.
      const r = await this.ws.engine.call('traceScatter', this.list.query, 12);
      if (gen !== this.generation) return;
      ({ traceNo: this.traceNo, data: this.data, bounds: this.bounds, bins: this.bins } = r);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  /** A box dragged: the search keeps its other terms, and takes this time and trace-duration range. */
  narrowTo(xSec: [number, number], yMs: [number, number]): void {
    // Edges rounded outward to the millisecond and to two significant digits of duration, so the
    // query reads as a person would write it (from=10:12:03.120 … trace.duration<=2.4s).
    const ms = (sec: number, up: boolean) => (BigInt((up ? Math.ceil : Math.floor)(sec * 1e3)) * 1_000_000n).toString();
    const [from, to] = [ms(Math.min(...xSec), false), ms(Math.max(...xSec), true)];
    const lo = roundDuration(Math.max(0, Math.min(...yMs) * 1e6), false);
    const hi = roundDuration(Math.max(...yMs) * 1e6, true);
    const terms: TermBody[] = [
      { kind: 'time', bound: 'from', text: from, at: { ns: from } },
      { kind: 'time', bound: 'to', text: to, at: { ns: to } },
      { kind: 'duration', of: 'trace', op: '>=', ns: lo },
      { kind: 'duration', of: 'trace', op: '<=', ns: hi },
    ];
    this.list.setTerms((t) => t.kind === 'time' || (t.kind === 'duration' && t.of === 'trace'), terms);
  }

  /** A point clicked: open its trace. */
  async open(index: number): Promise<void> {
    const no = this.traceNo?.[index];
    if (no === undefined) return;
    const id = await this.ws.engine.call('traceIdByNo', no);
    if (id) this.nav.openTrace(id);
  }
}

const scatters = new WeakMap<Workspace, TraceScatterState>();

export function traceScatterOf(ws: Workspace, nav: Navigation, list: TraceListState): TraceScatterState {
  let s = scatters.get(ws);
  if (!s) scatters.set(ws, (s = new TraceScatterState(ws, nav, list)));
  return s;
}

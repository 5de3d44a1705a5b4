// The latency scatter above the trace list: every trace the search finds as a point (start ×
// duration, errors in their own series), on a linear or logarithmic duration axis, with a
// histogram of the durations beside it. A box dragged over it narrows the search to that time and
// duration range (the trace list's query, so the route and Back follow); a point clicked opens its
// trace. The engine sends columns of typed arrays; the series are built here once per result.

import type { Workspace } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';
import type { TraceListState } from './trace-list.svelte.ts';
import type { TraceScatterPoints } from '../store/trace-scatter.ts';
import type { TermBody } from '../core/analysis/trace-query.ts';

/** A duration shown on a log axis is at least this (ms): a 0 ns trace still gets a place. */
const MIN_MS = 1e-3;

export interface DurationBin {
  /** [fromMs, toMs) */
  fromMs: number;
  toMs: number;
  ok: number;
  errors: number;
}

export class TraceScatterState {
  points = $state.raw<TraceScatterPoints | null>(null);
  /** [seconds since the epoch, duration ms of traces without errors (else null), of traces with errors]. */
  data = $state.raw<[Float64Array, (number | null)[], (number | null)[]]>([new Float64Array(0), [], []]);
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
      const p = await this.ws.engine.call('traceScatter', this.list.query);
      if (gen !== this.generation) return;
      this.points = p;
      ({ data: this.data, bounds: this.bounds } = seriesOf(p));
      // Twelve bins fit beside the plot without scrolling.
      this.bins = durationBins(p, 12);
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
    const no = this.points?.traceNo[index];
    if (no === undefined) return;
    const id = await this.ws.engine.call('traceIdByNo', no);
    if (id) this.nav.openTrace(id);
  }
}

/** A duration (ns) rounded down or up to two significant digits (1,261,587,656 → 1,200,000,000 or 1,300,000,000). */
export function roundDuration(ns: number, up: boolean): number {
  if (ns <= 0) return 0;
  const step = 10 ** Math.max(0, Math.floor(Math.log10(ns)) - 1);
  return (up ? Math.ceil(ns / step) : Math.floor(ns / step)) * step;
}

/** A series' smallest and largest value; null when it has none. */
export type Bounds = [number, number] | null;

/**
 * The scatter's series: x in seconds since the epoch, y in ms, one series for traces with errors;
 * with each y series' bounds, found on the way, so the chart need not read a million values again.
 */
export function seriesOf(p: TraceScatterPoints): { data: [Float64Array, (number | null)[], (number | null)[]]; bounds: [Bounds, Bounds] } {
  const n = p.startNs.length;
  const baseSec = Number(BigInt(p.baseNs) / 1000n) / 1e6;
  const xs = new Float64Array(n);
  const ok = new Array<number | null>(n);
  const bad = new Array<number | null>(n);
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    xs[i] = baseSec + p.startNs[i] / 1e9;
    const ms = Math.max(MIN_MS, p.durationNs[i] / 1e6);
    const e = p.error[i] ? 1 : 0;
    ok[i] = e ? null : ms;
    bad[i] = e ? ms : null;
    if (ms < lo[e]) lo[e] = ms;
    if (ms > hi[e]) hi[e] = ms;
  }
  const b = (k: number): Bounds => (lo[k] <= hi[k] ? [lo[k], hi[k]] : null);
  return { data: [xs, ok, bad], bounds: [b(0), b(1)] };
}

/** Durations in `count` bins of equal width on a log scale, from the shortest to the longest. */
export function durationBins(p: TraceScatterPoints, count: number): DurationBin[] {
  const n = p.durationNs.length;
  if (n === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const ms = Math.max(MIN_MS, p.durationNs[i] / 1e6);
    if (ms < lo) lo = ms;
    if (ms > hi) hi = ms;
  }
  const a = Math.log10(lo);
  const b = Math.log10(hi) + 1e-9;
  const k = lo === hi ? 1 : count;
  const bins: DurationBin[] = Array.from({ length: k }, (_, i) => ({ fromMs: 10 ** (a + ((b - a) * i) / k), toMs: 10 ** (a + ((b - a) * (i + 1)) / k), ok: 0, errors: 0 }));
  for (let i = 0; i < n; i++) {
    const ms = Math.max(MIN_MS, p.durationNs[i] / 1e6);
    const j = k === 1 ? 0 : Math.min(k - 1, Math.floor(((Math.log10(ms) - a) / (b - a)) * k));
    if (p.error[i]) bins[j].errors++;
    else bins[j].ok++;
  }
  return bins;
}

const scatters = new WeakMap<Workspace, TraceScatterState>();

export function traceScatterOf(ws: Workspace, nav: Navigation, list: TraceListState): TraceScatterState {
  let s = scatters.get(ws);
  if (!s) scatters.set(ws, (s = new TraceScatterState(ws, nav, list)));
  return s;
}

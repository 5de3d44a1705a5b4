// The state of one open trace: what the worker computed (data: the rows; analyses: the critical
// and error paths, which arrive after the rows are on screen; the selected span in full and its
// log lines), and what the user does with it (collapsed subtrees, time window, selection, search,
// filters). Every request to the engine is made here, never by a view. Rows and marks are
// derived; big arrays are raw state, replaced and never edited in place.

import type { EngineClient } from '../engine/client.ts';
import type { SpanDetail } from '../store/trace-detail.ts';
import type { LogRow } from '../store/logs.ts';
import type { Workspace } from './workspace.svelte.ts';
import { tick } from 'svelte';
import { unpackTraceView, type TraceViewData, type TraceAnalyses } from '../engine/wire/trace-view.ts';
import { visibleRows, collapseAll, collapseToDepth, revealSpan, rowIndex, siblingPlaces } from '../core/model/tree-rows.ts';
import { sectionsBySpan } from '../core/analysis/critical-path.ts';
import { fullWindow, zoomAt, panBy, clampWindow, type TimeWindow } from './trace-viewport.ts';
import { skewCorrections, skewShifts } from '../core/analysis/skew-view.ts';
import type { Navigation } from './navigation.svelte.ts';
import { readSpan, writeFlag, type ParamChanges, type RouteParams } from './route.ts';

export type SidePanel = 'span' | 'critical' | 'quality';
export type { SpanDetail, SpanEventRow } from '../store/trace-detail.ts';
export type { LogRow } from '../store/logs.ts';

/** A span's log lines, kept apart: lines carrying its ids (exact, or partial 64-bit), and lines matched by service and time. */
export interface SpanLogs {
  exact: LogRow[];
  inferred: LogRow[];
}

const PANELS: readonly SidePanel[] = ['span', 'critical', 'quality'];
/** Zoom and pan come in streams (wheel, drag): the route follows once they settle. */
const WINDOW_ROUTE_DELAY_MS = 250;

/** Writes the view's parameters into the route (navigation.svelte.ts `set`). */
export type RouteSink = (changes: ParamChanges, mode: 'push' | 'replace') => void;

/** The state of the trace screen of a workspace; its selection, window and panels live in the route. */
export function traceViewOf(ws: Workspace, nav: Navigation): TraceViewState {
  return new TraceViewState(ws.engine, (changes, mode) => nav.set('trace', changes, mode));
}

export class TraceViewState {
  data = $state.raw<TraceViewData | null>(null);
  missing = $state(false);
  loading = $state(false);
  /** The critical and error paths; null until they arrive (after the rows). */
  analyses = $state.raw<TraceAnalyses | null>(null);
  /** Milliseconds from asking the worker to the rows being on screen (painted in the next frame). */
  openMs = $state(0);
  /** Milliseconds from asking the worker to the analyses being on this thread. */
  analysesMs = $state(0);
  /** The analyses were asked for and have not come back yet. */
  analysesPending = $state(false);
  private loadSeq = 0;
  collapsed = $state.raw<ReadonlySet<number>>(new Set());
  window = $state.raw<TimeWindow>({ from: 0, to: 1 });
  selected = $state<number | null>(null);
  criticalOnly = $state(false);
  skewAdjusted = $state(false);
  panel = $state<SidePanel>('span');
  query = $state('');
  /** Matching spans in row (pre-order) order. */
  hits = $state.raw<number[]>([]);
  hitIndex = $state(-1);
  searching = $state(false);
  private searchSeq = 0;
  /** The selected span in full (attributes, resource, events, links), once it arrives. */
  spanDetail = $state.raw<SpanDetail | null>(null);
  /** The selected span's log lines, once they arrive; spanLogsError when they could not be read. */
  spanLogs = $state.raw<SpanLogs | null>(null);
  spanLogsError = $state('');
  private spanSeq = 0;
  /** The trace (and data version) the route last asked for. */
  private routed: { traceId: string; version: number } | null = null;
  private pendingView: RouteParams | null = null;
  private windowTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly engine: EngineClient,
    private readonly route: RouteSink | null = null,
  ) {}

  /** Per span: 1 when some section of the critical path is in it. */
  readonly onCritical = $derived.by(() => {
    const out = new Uint8Array(this.data?.spans.spanId.length ?? 0);
    const c = this.analyses?.critical;
    if (c) for (let k = 0; k < c.span.length; k++) out[c.span[k]] = 1;
    return out;
  });

  /** Critical-path sections per span, as [start, end] pairs (get(i)). */
  readonly criticalSections = $derived(sectionsBySpan(this.data?.spans.start.length ?? 0, this.analyses?.critical ?? null));

  readonly onErrorPath = $derived.by(() => {
    const out = new Uint8Array(this.data?.spans.spanId.length ?? 0);
    const e = this.analyses?.errorPath;
    if (e?.rootCause != null) for (const i of e.path) out[i] = 1;
    return out;
  });

  /** Spans named by a data-quality finding. */
  readonly flagged = $derived.by(() => {
    const d = this.data;
    const out = new Uint8Array(d?.spans.spanId.length ?? 0);
    // The id index costs a map of every span: build it only when some finding names a span.
    if (!d || !d.findings.some((f) => f.spanId)) return out;
    const idx = this.indexOfSpanId;
    for (const f of d.findings) if (f.spanId) for (const i of idx.get(f.spanId) ?? []) out[i] = 1;
    return out;
  });

  readonly indexOfSpanId = $derived.by(() => {
    const m = new Map<string, number[]>();
    const ids = this.data?.spans.spanId ?? [];
    for (let i = 0; i < ids.length; i++) {
      const l = m.get(ids[i]);
      if (l) l.push(i);
      else m.set(ids[i], [i]);
    }
    return m;
  });

  readonly skewCorrections = $derived(skewCorrections(this.data?.findings ?? []));

  readonly skew = $derived.by(() => {
    const d = this.data;
    if (!d) return { shift: new Float64Array(0), adjusted: new Uint8Array(0) };
    return skewShifts(d.order, d.parent, d.spans.service, this.skewCorrections);
  });

  readonly rows = $derived.by(() => {
    const d = this.data;
    if (!d) return new Int32Array(0);
    // Until the critical path arrives the filter has nothing to keep: show every row meanwhile.
    return visibleRows(d, this.collapsed, this.criticalOnly && this.analyses ? this.onCritical : null);
  });

  /** Each span's place among its siblings, for the tree's aria-posinset and aria-setsize. */
  readonly siblings = $derived.by(() => {
    const d = this.data;
    return d ? siblingPlaces(d) : { posInSet: new Int32Array(0), setSize: new Int32Array(0) };
  });
  readonly rowOf = $derived(rowIndex(this.rows, this.data?.spans.spanId.length ?? 0));
  readonly selectedRow = $derived(this.selected === null ? -1 : (this.rowOf[this.selected] ?? -1));
  readonly hitSet = $derived.by(() => {
    const out = new Uint8Array(this.data?.spans.spanId.length ?? 0);
    for (const i of this.hits) out[i] = 1;
    return out;
  });

  /** Total time span of the view: the trace's duration, or more when skew correction moves spans out. */
  readonly total = $derived.by(() => {
    const d = this.data;
    if (!d) return 1;
    if (!this.skewAdjusted || this.skewCorrections.length === 0) return d.durationNs;
    let hi = d.durationNs;
    for (let i = 0; i < d.spans.start.length; i++) hi = Math.max(hi, this.startOf(i) + d.spans.duration[i]);
    return hi;
  });

  startOf(i: number): number {
    const d = this.data!;
    return d.spans.start[i] + (this.skewAdjusted ? (this.skew.shift[i] ?? 0) : 0);
  }

  /**
   * Open a trace in two steps: the rows first, then the critical and error paths. Both requests
   * go out at once, so the worker computes the analyses while this thread draws the rows.
   */
  async load(traceId: string, spanId: string | null, onRows?: () => void): Promise<void> {
    const seq = ++this.loadSeq;
    this.loading = true;
    const t0 = performance.now();
    const rows = this.engine.call('traceView', traceId);
    const analyses = this.engine.call('traceAnalyses', traceId);
    analyses.catch(() => {}); // awaited below unless a newer load takes over first
    const wire = await rows;
    if (seq !== this.loadSeq) return;
    const data = wire && unpackTraceView(wire);
    this.loading = false;
    this.missing = data === null;
    this.analyses = null;
    this.analysesMs = 0;
    this.analysesPending = data !== null;
    this.openMs = 0;
    this.data = data;
    this.collapsed = new Set();
    this.hits = [];
    this.hitIndex = -1;
    this.selectSpan(null);
    if (data) {
      this.window = fullWindow(data.durationNs);
      const target = spanId ? this.indexOfSpanId.get(spanId)?.[0] : undefined;
      if (target !== undefined) this.select(target, 'none');
    }
    this.query = '';
    onRows?.();
    if (data) {
      await tick();
      // The frame after the DOM update is the one that shows the rows (a hidden window has no
      // frames: the timeout keeps the analyses from waiting for it to show).
      if (typeof requestAnimationFrame === 'function') await new Promise((r) => (requestAnimationFrame(r), setTimeout(r, 200)));
      if (seq !== this.loadSeq) return;
      this.openMs = performance.now() - t0;
    }
    // A failed analysis leaves the rows as they are: the view works without the paths.
    const a = await analyses.catch(() => null);
    if (seq === this.loadSeq) this.analysesPending = false;
    // Indexes into another version of the trace (it grew in between) would mark the wrong rows.
    if (seq !== this.loadSeq || !data || a?.traceId !== data.traceId || a.spanCount !== data.spans.start.length) return;
    this.analyses = a;
    this.analysesMs = performance.now() - t0;
  }

  /**
   * Select span i (or none), revealing it if collapsed or filtered out. `mode` says how the route
   * records it: a new history entry (a click), a rewrite (keys that walk the rows), or not at all
   * (the route asked for it).
   */
  select(i: number | null, mode: 'push' | 'replace' | 'none' = 'push'): void {
    if (i !== null && this.data) {
      if (this.rowOf[i] === -1) {
        this.criticalOnly = this.criticalOnly && this.onCritical[i] === 1;
        this.collapsed = revealSpan(this.data, this.collapsed, i);
      }
      this.panel = 'span';
    }
    if (i !== this.selected) this.selectSpan(i);
    if (mode !== 'none') this.writeRoute(mode);
  }

  // ---- the route: what the trace screen's parameters say, and what they are told

  /** The view's parameters as the route keeps them. */
  viewParams(): ParamChanges {
    const d = this.data;
    const whole = this.window.from <= 0 && this.window.to >= this.total;
    return {
      span: d && this.selected !== null ? d.spans.spanId[this.selected] : null,
      w: whole ? null : `${Math.max(0, Math.round(this.window.from))}-${Math.round(this.window.to)}`,
      crit: writeFlag(this.criticalOnly),
      skew: writeFlag(this.skewAdjusted),
      panel: this.panel === 'span' ? null : this.panel,
      q: this.query.trim() === '' ? null : this.query,
    };
  }

  private writeRoute(mode: 'push' | 'replace'): void {
    if (!this.route || !this.data) return;
    if (this.windowTimer !== null) clearTimeout(this.windowTimer);
    this.windowTimer = null;
    this.route(this.viewParams(), mode);
  }

  private writeWindowSoon(): void {
    if (!this.route) return;
    if (this.windowTimer !== null) clearTimeout(this.windowTimer);
    this.windowTimer = setTimeout(() => this.writeRoute('replace'), WINDOW_ROUTE_DELAY_MS);
  }

  /**
   * Show what the route says: open its trace (again when the data changed), then select its span
   * and set its window, filters, panel and search. Values equal to the view's are left alone, so
   * the view writing the route and the route being applied do not chase each other.
   */
  applyRoute(p: RouteParams, version = 0): void {
    const traceId = p.trace;
    if (!traceId) return;
    if (this.routed?.traceId !== traceId || this.routed.version !== version) {
      this.routed = { traceId, version };
      this.pendingView = p;
      void this.load(traceId, p.span ?? null, () => {
        const view = this.pendingView;
        this.pendingView = null;
        if (view) this.applyView(view);
      });
      return;
    }
    // While the rows are on their way, the latest parameters wait for them.
    if (this.pendingView !== null) this.pendingView = p;
    else this.applyView(p);
  }

  private applyView(p: RouteParams): void {
    const d = this.data;
    if (!d) return;
    this.criticalOnly = p.crit === '1';
    this.skewAdjusted = p.skew === '1';
    const span = p.span ?? null;
    const current = this.selected === null ? null : d.spans.spanId[this.selected];
    if (span !== current) this.select(span === null ? null : (this.indexOfSpanId.get(span)?.[0] ?? null), 'none');
    this.panel = PANELS.includes(p.panel as SidePanel) ? (p.panel as SidePanel) : 'span';
    const w = readSpan(p.w);
    const want = w && w[1] > w[0] ? clampWindow({ from: w[0], to: w[1] }, this.total) : fullWindow(this.total);
    if (Math.abs(want.from - this.window.from) > 1 || Math.abs(want.to - this.window.to) > 1) this.window = want;
    const q = p.q ?? '';
    if (q !== this.query) void this.search(q, false);
  }

  setCriticalOnly(on: boolean): void {
    this.criticalOnly = on;
    this.writeRoute('push');
  }

  setSkewAdjusted(on: boolean): void {
    this.skewAdjusted = on;
    this.writeRoute('replace');
  }

  showPanel(panel: SidePanel): void {
    this.panel = panel;
    this.writeRoute('replace');
  }

  /** Select span i (or none) and ask for its detail and its log lines. */
  private selectSpan(i: number | null): void {
    this.selected = i;
    const seq = ++this.spanSeq;
    this.spanDetail = null;
    this.spanLogs = null;
    this.spanLogsError = '';
    const d = this.data;
    if (i === null || !d) return;
    this.engine.call('spanDetail', d.spans.spanRow[i]).then(
      (r) => seq === this.spanSeq && (this.spanDetail = r),
      () => {}, // the panel shows what the rows hold without it
    );
    this.engine.call('spanLogs', d.traceId, d.spans.spanId[i]).then(
      (r) => seq === this.spanSeq && (this.spanLogs = r),
      (e: Error) => seq === this.spanSeq && (this.spanLogsError = e.message),
    );
  }

  /** Move the selection by `delta` rows (j/k, a page; ±Infinity for the first or last row). */
  moveSelection(delta: number): void {
    const n = this.rows.length;
    if (n === 0) return;
    const from = this.selectedRow < 0 ? (delta > 0 ? -1 : n) : this.selectedRow;
    const r = Math.min(n - 1, Math.max(0, from + delta));
    this.select(this.rows[r], 'replace');
  }

  toggle(i: number): void {
    const next = new Set(this.collapsed);
    if (next.has(i)) next.delete(i);
    else if ((this.data?.subtree[i] ?? 0) > 1) next.add(i);
    this.collapsed = next;
  }

  setCollapsed(i: number, collapsed: boolean): void {
    if (this.collapsed.has(i) !== collapsed) this.toggle(i);
  }

  collapseAll(): void {
    if (this.data) this.collapsed = collapseAll(this.data);
  }

  expandAll(): void {
    this.collapsed = new Set();
  }

  collapseToDepth(depth: number): void {
    if (this.data) this.collapsed = collapseToDepth(this.data, depth);
  }

  zoom(factor: number, anchor = 0.5): void {
    this.window = zoomAt(this.window, this.total, factor, anchor);
    this.writeWindowSoon();
  }

  pan(fraction: number): void {
    this.window = panBy(this.window, this.total, fraction);
    this.writeWindowSoon();
  }

  setWindow(w: TimeWindow): void {
    this.window = clampWindow(w, this.total);
    this.writeWindowSoon();
  }

  resetZoom(): void {
    this.window = fullWindow(this.total);
    this.writeRoute('push');
  }

  /** Search in the worker (attributes and events live there); results arrive in row order. */
  async search(text: string, record = true): Promise<void> {
    this.query = text;
    if (record) this.writeRoute('replace');
    const seq = ++this.searchSeq;
    const d = this.data;
    if (!d || text.trim() === '') {
      this.hits = [];
      this.hitIndex = -1;
      return;
    }
    this.searching = true;
    const spanRows = await this.engine.call('traceSearch', d.traceId, text);
    if (seq !== this.searchSeq || d !== this.data) return;
    this.searching = false;
    const byRow = new Map<number, number>();
    for (let i = 0; i < d.spans.spanRow.length; i++) byRow.set(d.spans.spanRow[i], i);
    const pos = new Int32Array(d.order.length);
    for (let k = 0; k < d.order.length; k++) pos[d.order[k]] = k;
    const hits = spanRows.map((r) => byRow.get(r)).filter((i): i is number => i !== undefined);
    hits.sort((a, b) => pos[a] - pos[b]);
    this.hits = hits;
    this.hitIndex = -1;
  }

  /** Go to the next (+1) or previous (-1) hit, expanding what hides it. */
  stepHit(delta: number): void {
    const n = this.hits.length;
    if (n === 0) return;
    this.hitIndex = this.hitIndex < 0 ? (delta > 0 ? 0 : n - 1) : (this.hitIndex + delta + n) % n;
    this.select(this.hits[this.hitIndex], 'replace');
  }
}

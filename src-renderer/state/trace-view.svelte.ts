// The state of one open trace: what the worker computed (data), and what the user does with it
// (collapsed subtrees, time window, selection, search, filters). Rows and marks are derived; big
// arrays are raw state, replaced and never edited in place.

import type { EngineClient } from '../engine/client.ts';
import { unpackTraceView, type TraceViewData } from '../engine/trace-view.ts';
import { visibleRows, collapseAll, collapseToDepth, revealSpan, rowIndex } from './trace-rows.ts';
import { fullWindow, zoomAt, panBy, clampWindow, type TimeWindow } from './trace-viewport.ts';
import { skewCorrections, skewShifts } from '../core/analysis/skew-view.ts';

export type TimeZoneMode = 'utc' | 'local';
export type SidePanel = 'span' | 'critical' | 'quality';

export class TraceViewState {
  data = $state.raw<TraceViewData | null>(null);
  missing = $state(false);
  loading = $state(false);
  /** Milliseconds from asking the worker to having the data on this thread. */
  openMs = $state(0);
  collapsed = $state.raw<ReadonlySet<number>>(new Set());
  window = $state.raw<TimeWindow>({ from: 0, to: 1 });
  selected = $state<number | null>(null);
  criticalOnly = $state(false);
  skewAdjusted = $state(false);
  timeZone = $state<TimeZoneMode>('utc');
  panel = $state<SidePanel>('span');
  query = $state('');
  /** Matching spans in row (pre-order) order. */
  hits = $state.raw<number[]>([]);
  hitIndex = $state(-1);
  searching = $state(false);
  private searchSeq = 0;

  /** Per span: 1 when some section of the critical path is in it. */
  readonly onCritical = $derived.by(() => {
    const d = this.data;
    const out = new Uint8Array(d?.spans.spanId.length ?? 0);
    if (d) for (const s of d.critical.span) out[s] = 1;
    return out;
  });

  /** Critical-path sections per span, as [start, end] pairs. */
  readonly criticalSections = $derived.by(() => {
    const m = new Map<number, number[]>();
    const c = this.data?.critical;
    if (!c) return m;
    for (let k = 0; k < c.span.length; k++) {
      let list = m.get(c.span[k]);
      if (!list) m.set(c.span[k], (list = []));
      list.push(c.start[k], c.end[k]);
    }
    return m;
  });

  readonly onErrorPath = $derived.by(() => {
    const d = this.data;
    const out = new Uint8Array(d?.spans.spanId.length ?? 0);
    if (d?.errorPath.rootCause != null) for (const i of d.errorPath.path) out[i] = 1;
    return out;
  });

  /** Spans named by a data-quality finding. */
  readonly flagged = $derived.by(() => {
    const d = this.data;
    const out = new Uint8Array(d?.spans.spanId.length ?? 0);
    if (!d) return out;
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
    return visibleRows(d, this.collapsed, this.criticalOnly ? this.onCritical : null);
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

  async load(engine: EngineClient, traceId: string, spanId: string | null): Promise<void> {
    this.loading = true;
    const t0 = performance.now();
    const wire = await engine.call('traceView', traceId);
    const data = wire && unpackTraceView(wire);
    this.openMs = performance.now() - t0;
    this.loading = false;
    this.missing = data === null;
    this.data = data;
    this.collapsed = new Set();
    this.hits = [];
    this.hitIndex = -1;
    this.selected = null;
    if (!data) return;
    this.window = fullWindow(data.durationNs);
    const target = spanId ? this.indexOfSpanId.get(spanId)?.[0] : undefined;
    if (target !== undefined) this.select(target);
  }

  select(i: number | null): void {
    if (i !== null && this.data) {
      if (this.rowOf[i] === -1) {
        this.criticalOnly = this.criticalOnly && this.onCritical[i] === 1;
        this.collapsed = revealSpan(this.data, this.collapsed, i);
      }
      this.panel = 'span';
    }
    this.selected = i;
  }

  /** Move the selection by `delta` rows (j/k). */
  moveSelection(delta: number): void {
    const n = this.rows.length;
    if (n === 0) return;
    const r = this.selectedRow < 0 ? (delta > 0 ? 0 : n - 1) : Math.min(n - 1, Math.max(0, this.selectedRow + delta));
    this.select(this.rows[r]);
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
  }

  pan(fraction: number): void {
    this.window = panBy(this.window, this.total, fraction);
  }

  setWindow(w: TimeWindow): void {
    this.window = clampWindow(w, this.total);
  }

  resetZoom(): void {
    this.window = fullWindow(this.total);
  }

  /** Search in the worker (attributes and events live there); results arrive in row order. */
  async search(engine: EngineClient, text: string): Promise<void> {
    this.query = text;
    const seq = ++this.searchSeq;
    const d = this.data;
    if (!d || text.trim() === '') {
      this.hits = [];
      this.hitIndex = -1;
      return;
    }
    this.searching = true;
    const spanRows = await engine.call('traceSearch', d.traceId, text);
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
    this.select(this.hits[this.hitIndex]);
  }
}

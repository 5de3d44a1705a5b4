// The log screen's state: the filter, what it yields (count, histogram, facets), the search and
// its current hit, the selected line and its record, and the background full-text indexer. It
// outlives the screen (one per workspace), so filters and the search survive a trip to a trace.

import type { Workspace } from './workspace.svelte.ts';
import type { LogFilter, LogFacets, LogHistogram, LogLine } from '../store/log-view.ts';
import type { LogRecordView } from '../store/log-view-record.ts';
import type { FtsProgress } from '../store/log-view-fts.ts';
import type { QueryError } from '../core/analysis/trace-query.ts';

export type { LogLine } from '../store/log-view.ts';
export type { LogRecordView } from '../store/log-view-record.ts';

export const SEVERITY_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'] as const;

const views = new WeakMap<Workspace, LogView>();

/** The log view of a workspace, created on first use. */
export function logViewOf(ws: Workspace): LogView {
  let v = views.get(ws);
  if (!v) views.set(ws, (v = new LogView(ws)));
  return v;
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class LogView {
  severities = $state<string[]>([]);
  service = $state<string | null>(null);
  fileId = $state<number | null>(null);
  hasTrace = $state(false);
  /** Epoch ns strings; [from, to). */
  range = $state<[string, string] | null>(null);

  count = $state(0);
  /** Changes whenever the rows behind positions change: the list drops its pages. */
  listKey = $state(0);
  facets = $state.raw<LogFacets | null>(null);
  histogram = $state.raw<LogHistogram | null>(null);

  query = $state('');
  /** The search filters the lines (only those it matches are listed) rather than only marking them. */
  onlyMatching = $state(false);
  /** What the last search could not read (where, and why); the rest of it was searched. */
  queryErrors = $state.raw<QueryError[]>([]);
  hits = $state.raw<Int32Array>(new Int32Array(0));
  /** Index into `hits` of the current hit, or -1. */
  hit = $state(-1);
  searched = $state<string | null>(null);

  selected = $state<number | null>(null);
  record = $state.raw<LogRecordView | null>(null);
  /** Asks the list to bring a position into view (a new object each time, so repeats count). */
  scrollTo = $state.raw<{ pos: number } | null>(null);
  notice = $state<string | null>(null);

  fts = $state.raw<FtsProgress | null>(null);
  private indexing = false;
  private generation = 0;

  constructor(readonly ws: Workspace) {}

  get filter(): LogFilter {
    return {
      severities: [...this.severities],
      services: this.service === null ? [] : [this.service],
      fileIds: this.fileId === null ? [] : [this.fileId],
      hasTrace: this.hasTrace,
      fromNs: this.range?.[0] ?? null,
      toNs: this.range?.[1] ?? null,
      query: this.onlyMatching ? this.searched : null,
    };
  }

  /** Data or filter changed: count, histogram and search again; facets too when the data did. */
  async refresh(dataChanged = false): Promise<void> {
    const gen = ++this.generation;
    const filter = this.filter;
    const engine = this.ws.engine;
    if (dataChanged || !this.facets) this.facets = await engine.call('logFacets');
    const count = await engine.call('logCount', filter);
    if (gen !== this.generation) return;
    this.count = count;
    this.listKey++;
    this.selected = null;
    this.record = null;
    if (this.searched) await this.runSearch(this.searched, false);
    const histogram = await engine.call('logHistogram', filter, 120);
    if (gen === this.generation) this.histogram = histogram;
    if (dataChanged) void this.index();
  }

  toggleSeverity(s: string): void {
    this.severities = this.severities.includes(s) ? this.severities.filter((x) => x !== s) : [...this.severities, s];
    void this.refresh();
  }

  setRange(range: [string, string] | null): void {
    this.range = range;
    void this.refresh();
  }

  /** Snap a dragged range (seconds, from the chart) to the histogram's bucket edges, exactly in ns. */
  selectSeconds(fromSec: number, toSec: number): void {
    const h = this.histogram;
    if (!h || h.bucketNs <= 0) return;
    const start = BigInt(h.startNs);
    const bucket = BigInt(h.bucketNs);
    const toNs = (sec: number) => BigInt(Math.round(sec * 1e6)) * 1000n;
    const lo = toNs(Math.min(fromSec, toSec)) - start;
    const hi = toNs(Math.max(fromSec, toSec)) - start;
    const first = lo <= 0n ? 0n : lo / bucket;
    const last = hi <= 0n ? 1n : (hi + bucket - 1n) / bucket;
    this.setRange([(start + first * bucket).toString(), (start + (last > first ? last : first + 1n) * bucket).toString()]);
  }

  /** Lines of the current filter's order, from position `offset` (the virtual list's pages). */
  page(offset: number, limit: number): Promise<LogLine[]> {
    return this.ws.engine.call('logPage', this.filter, offset, limit);
  }

  async runSearch(text: string, jump = true): Promise<void> {
    const q = text.trim();
    if (q === '') {
      const filtered = this.onlyMatching && this.searched !== null;
      this.searched = null;
      this.hits = new Int32Array(0);
      this.hit = -1;
      this.queryErrors = [];
      if (filtered) await this.refresh();
      return;
    }
    const changed = q !== this.searched;
    this.searched = q;
    // The list itself depends on the search when it filters: count and pages again, then the hits.
    if (this.onlyMatching && changed && jump) {
      await this.refresh();
      if (this.searched === q && this.hits.length > 0) this.goToHit(0);
      return;
    }
    const res = await this.ws.engine.call('logSearch', this.filter, q);
    if (this.searched !== q) return;
    this.hits = res.positions;
    this.queryErrors = res.errors;
    this.fts = res.progress;
    this.hit = -1;
    if (jump && res.positions.length > 0) this.goToHit(0);
  }

  /** List only the lines the search matches, or every line with the hits marked. */
  setOnlyMatching(on: boolean): void {
    this.onlyMatching = on;
    if (this.searched !== null) void this.refresh();
  }

  nextHit(step: 1 | -1): void {
    const n = this.hits.length;
    if (n === 0) return;
    this.goToHit(this.hit < 0 ? (step > 0 ? 0 : n - 1) : (this.hit + step + n) % n);
  }

  goToHit(i: number): void {
    this.hit = i;
    this.goTo(this.hits[i]);
  }

  /** Select the line at a position and bring it into view. */
  goTo(pos: number): void {
    if (this.count === 0) return;
    const p = Math.max(0, Math.min(this.count - 1, pos));
    void this.select(p);
    this.scrollTo = { pos: p };
  }

  /** The next (1) or previous (-1) line from the selected one; the first when none is. */
  moveSelection(step: 1 | -1): void {
    this.goTo(this.selected === null ? 0 : this.selected + step);
  }

  private errors: { key: number; positions: Int32Array } | null = null;

  /** The next (1) or previous (-1) line at level error or worse from the selected one; wraps around. */
  async nextError(step: 1 | -1): Promise<void> {
    const key = this.listKey;
    if (this.errors?.key !== key) {
      const res = await this.ws.engine.call('logSearch', this.filter, 'level>=error');
      if (key !== this.listKey) return;
      this.errors = { key, positions: res.positions };
    }
    const ps = this.errors.positions;
    if (ps.length === 0) {
      this.notice = 'No line at level error or worse in this view.';
      return;
    }
    const from = this.selected ?? (step > 0 ? -1 : this.count);
    let lo = 0, hi = ps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ps[mid] <= from) lo = mid + 1;
      else hi = mid;
    }
    // lo: the first error after `from`; the previous one is before lo, skipping `from` itself.
    const i = step > 0 ? (lo < ps.length ? lo : 0) : ((ps[lo - 1] === from ? lo - 2 : lo - 1) + ps.length) % ps.length;
    this.goTo(ps[i]);
  }

  async select(pos: number, line?: LogLine): Promise<void> {
    this.selected = pos;
    const row = line?.row ?? (await this.ws.engine.call('logPage', this.filter, pos, 1))[0]?.row;
    if (row === undefined || this.selected !== pos) return;
    const rec = await this.ws.engine.call('logRecord', row);
    if (this.selected === pos) this.record = rec;
  }

  closeRecord(): void {
    this.selected = null;
    this.record = null;
  }

  /** The span of a line: exact ids go straight there; partial ids are resolved in the engine. */
  async traceTarget(line: LogLine): Promise<{ traceId: string; spanId: string | null } | null> {
    if (line.traceId && !line.partial && line.traceKnown) return { traceId: line.traceId, spanId: line.spanId };
    const rec = await this.ws.engine.call('logRecord', line.row);
    if (rec?.span && rec.span.match !== 'inferred') return { traceId: rec.span.traceId, spanId: rec.span.spanId };
    this.notice = `Trace ${line.traceId ?? ''} is not in the workspace.`;
    return null;
  }

  /** Build the full-text index in small steps; the worker answers the view between them. */
  async index(): Promise<void> {
    if (this.indexing) return;
    this.indexing = true;
    try {
      for (;;) {
        const p = await this.ws.engine.call('ftsStep', 40);
        this.fts = p;
        if (p.done) break;
        await (p.busy ? new Promise((r) => setTimeout(r, 500)) : nextTick());
      }
    } catch (e) {
      this.notice = `Full-text index: ${(e as Error).message}`;
    } finally {
      this.indexing = false;
    }
  }
}

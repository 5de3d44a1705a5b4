// The log screen's state. What the user chose lives in the route (`#/logs?sev=error&svc=api&q=…`):
// severities, service, source, "has trace id", the time range, the search and the selected line,
// so Back undoes a filter and a link reopens the same lines. What that yields (count, histogram,
// facets, hits, the selected record) is fetched here. One per workspace, so a trip to a trace
// finds the logs as they were.
//
// Parameters: sev (comma list), svc (a service; nosvc=1 for lines naming none), file (a source's
// id), trace=1 (has a trace id), from/to (epoch ns, [from, to)), q (search), only=1 (list only
// the lines the search matches), line (a log row).

import { formatTerm, type TermBody } from '../core/analysis/trace-query.ts';
import type { Workspace } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';
import type { LogFilter, LogFacets, LogHistogram, LogLine } from '../store/log-view.ts';
import type { LogRecordView } from '../store/log-view-record.ts';
import type { FtsProgress } from '../store/log-view-fts.ts';
import type { QueryError } from '../core/analysis/trace-query.ts';
import { readInt, readList, readNs, writeFlag, type ParamChanges } from './route.ts';
import { upperBound } from '../core/base/sorted.ts';

export type { LogLine } from '../store/log-view.ts';
export type { LogRecordView } from '../store/log-view-record.ts';

export const SEVERITY_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'] as const;

const views = new WeakMap<Workspace, LogView>();

/** The log view of a workspace, created on first use. */
export function logViewOf(ws: Workspace, nav: Navigation): LogView {
  let v = views.get(ws);
  if (!v) views.set(ws, (v = new LogView(ws, nav)));
  return v;
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The log screen's parameters for a trace's lines: its id as a search (any encoding), only the matches listed. */
export function logsOfTrace(traceId: string): Record<string, string> {
  return { q: `trace=${traceId}`, only: '1' };
}

export class LogView {
  count = $state(0);
  /** Changes whenever the rows behind positions change: the list drops its pages. */
  listKey = $state(0);
  facets = $state.raw<LogFacets | null>(null);
  histogram = $state.raw<LogHistogram | null>(null);

  /** What the last search could not read (where, and why); the rest of it was searched. */
  queryErrors = $state.raw<QueryError[]>([]);
  hits = $state.raw<Int32Array>(new Int32Array(0));
  /** Index into `hits` of the current hit, or -1. */
  hit = $state(-1);
  /** The query the hits are for (null: no search). */
  searched = $state<string | null>(null);

  /** Position (in the filtered order) of the selected line, or null. */
  selected = $state<number | null>(null);
  record = $state.raw<LogRecordView | null>(null);
  /** Asks the list to bring a position into view (a new object each time, so repeats count). */
  scrollTo = $state.raw<{ pos: number } | null>(null);
  /** Where the list is scrolled, kept while the screen is away. */
  scrollTop = $state(0);
  notice = $state<string | null>(null);

  fts = $state.raw<FtsProgress | null>(null);
  private indexing = false;
  private generation = 0;
  /** What the fetched figures are for: the filter and data version, the search, the line. */
  private shown = { filter: '', base: '', version: -1, query: null as string | null, line: null as number | null };

  constructor(
    readonly ws: Workspace,
    private readonly nav: Navigation,
  ) {}

  private get params() {
    return this.nav.params('logs');
  }

  get severities(): string[] {
    return readList(this.params.sev).filter((s) => (SEVERITY_NAMES as readonly string[]).includes(s));
  }

  /** The service filter: a name, '' for lines naming none, null for all. */
  get service(): string | null {
    return this.params.nosvc === '1' ? '' : (this.params.svc ?? null);
  }

  get fileId(): number | null {
    return readInt(this.params.file);
  }

  get hasTrace(): boolean {
    return this.params.trace === '1';
  }

  /** The search filters the lines (only those it matches are listed) rather than only marking them. */
  get onlyMatching(): boolean {
    return this.params.only === '1';
  }

  /** Epoch ns strings; [from, to). */
  get range(): [string, string] | null {
    const from = readNs(this.params.from);
    const to = readNs(this.params.to);
    return from !== null && to !== null ? [from, to] : null;
  }

  /** The search the route asks for. */
  get query(): string | null {
    const q = this.params.q?.trim();
    return q ? q : null;
  }

  /** The selected line's log row, as the route says. */
  get line(): number | null {
    return readInt(this.params.line);
  }

  get filter(): LogFilter {
    return {
      severities: this.severities,
      services: this.service === null ? [] : [this.service],
      fileIds: this.fileId === null ? [] : [this.fileId],
      hasTrace: this.hasTrace,
      fromNs: this.range?.[0] ?? null,
      toNs: this.range?.[1] ?? null,
      query: this.onlyMatching ? this.query : null,
    };
  }

  /** A filter change is a history entry; it drops the selected line, whose position it moves. */
  private change(changes: ParamChanges): void {
    this.nav.set('logs', { ...changes, line: null }, 'push');
  }

  toggleSeverity(s: string): void {
    const sev = this.severities;
    this.change({ sev: (sev.includes(s) ? sev.filter((x) => x !== s) : [...sev, s]).join(',') });
  }

  setService(service: string | null): void {
    this.change({ svc: service || null, nosvc: writeFlag(service === '') });
  }

  setFile(fileId: number | null): void {
    this.change({ file: fileId === null ? null : String(fileId) });
  }

  setHasTrace(on: boolean): void {
    this.change({ trace: writeFlag(on) });
  }

  setRange(range: [string, string] | null): void {
    this.change({ from: range?.[0] ?? null, to: range?.[1] ?? null });
  }

  /** The traces that start in the picked time range, in the trace list (its search, in the route). */
  showTracesInRange(): void {
    const r = this.range;
    if (!r) return;
    const at = (bound: 'from' | 'to', ns: string): TermBody => ({ kind: 'time', bound, text: ns, at: { ns } });
    this.nav.go('traces', { q: [at('from', r[0]), at('to', r[1])].map((t) => formatTerm(t)).join(' ') });
  }

  /**
   * Bring the figures in line with the route and the data: count, histogram and search when the
   * filter or the data changed, the search when the query did, the record when the line did.
   * The screen calls this whenever either changes; it is cheap when nothing did.
   */
  async sync(): Promise<void> {
    const filter = this.filter;
    const key = JSON.stringify(filter);
    // The filter but for the search (which is part of it when only matching lines are listed).
    const base = JSON.stringify({ ...filter, query: null });
    const version = this.ws.version;
    const dataChanged = version !== this.shown.version;
    const filterChanged = dataChanged || key !== this.shown.filter;
    const query = this.query;
    const line = this.line;
    const queryChanged = filterChanged || query !== this.shown.query;
    const lineChanged = filterChanged || line !== this.shown.line;
    // A new search alone jumps to its first hit; new filters or data leave the view at its top.
    const jump = !dataChanged && base === this.shown.base && query !== this.shown.query && line === null;
    this.shown = { filter: key, base, version, query, line };
    if (filterChanged) await this.refresh(dataChanged);
    if (queryChanged) await this.search(query, jump);
    if (lineChanged) await this.showLine(line);
  }

  /** Data or filter changed: count and histogram again; facets too when the data did. */
  private async refresh(dataChanged: boolean): Promise<void> {
    const gen = ++this.generation;
    const filter = this.filter;
    const engine = this.ws.engine;
    if (dataChanged || !this.facets) this.facets = await engine.call('logFacets');
    const count = await engine.call('logCount', filter);
    if (gen !== this.generation) return;
    this.count = count;
    this.listKey++;
    // Other lines at the same positions: the list starts again at its top (a route's line
    // scrolls itself into view).
    this.scrollTop = 0;
    this.selected = null;
    this.record = null;
    const histogram = await engine.call('logHistogram', filter, 120);
    if (gen === this.generation) this.histogram = histogram;
    if (dataChanged) void this.index();
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

  /** Search from the search box: a history entry, like a filter. */
  runSearch(text: string): void {
    const q = text.trim();
    if (q === (this.query ?? '')) void this.search(this.query, true);
    else this.nav.set('logs', { q: q || null, line: null }, 'push');
  }

  /** The route's search: its hits (positions in the list) and what it could not read. */
  private async search(query: string | null, jump: boolean): Promise<void> {
    if (query === null) {
      this.searched = null;
      this.hits = new Int32Array(0);
      this.hit = -1;
      this.queryErrors = [];
      return;
    }
    const res = await this.ws.engine.call('logSearch', this.filter, query);
    if (query !== this.query) return; // a newer search took over
    this.searched = query;
    this.hits = res.positions;
    this.queryErrors = res.errors;
    this.fts = res.progress;
    this.hit = -1;
    if (jump && res.positions.length > 0) this.goToHit(0);
  }

  /** List only the lines the search matches, or every line with the hits marked: a history entry. */
  setOnlyMatching(on: boolean): void {
    this.change({ only: writeFlag(on) });
  }

  nextHit(step: 1 | -1): void {
    const n = this.hits.length;
    if (n === 0) return;
    this.goToHit(this.hit < 0 ? (step > 0 ? 0 : n - 1) : (this.hit + step + n) % n);
  }

  goToHit(i: number): void {
    this.hit = i;
    this.goTo(this.hits[i], 'replace');
  }

  /** Select the line at a position and bring it into view (a click or a jump: a history entry). */
  goTo(pos: number, mode: 'push' | 'replace' = 'push'): void {
    if (this.count === 0) return;
    const p = Math.max(0, Math.min(this.count - 1, pos));
    void this.select(p, undefined, mode);
    this.scrollTo = { pos: p };
  }

  /** The next (1) or previous (-1) line from the selected one; the first when none is. */
  moveSelection(step: 1 | -1): void {
    this.goTo(this.selected === null ? 0 : this.selected + step, 'replace');
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
    const lo = upperBound(ps, from);
    // lo: the first error after `from`; the previous one is before lo, skipping `from` itself.
    const i = step > 0 ? (lo < ps.length ? lo : 0) : ((ps[lo - 1] === from ? lo - 2 : lo - 1) + ps.length) % ps.length;
    this.goTo(ps[i]);
  }

  /** Counts selections asked for, so a route's older line does not undo a newer choice. */
  private selecting = 0;

  /** Select the line at a position: the route records its row (a click is a history entry). */
  async select(pos: number, line?: LogLine, mode: 'push' | 'replace' = 'push'): Promise<void> {
    this.selecting++;
    this.selected = pos;
    const row = line?.row ?? (await this.ws.engine.call('logPage', this.filter, pos, 1))[0]?.row;
    if (row === undefined || this.selected !== pos) return;
    this.nav.set('logs', { line: String(row) }, mode);
  }

  /** Show the record of the route's line, and where it is in the list. */
  private async showLine(row: number | null): Promise<void> {
    if (row === null) {
      this.selected = null;
      this.record = null;
      return;
    }
    const selecting = this.selecting;
    const [pos, rec] = await Promise.all([this.ws.engine.call('logPosition', this.filter, row), this.ws.engine.call('logRecord', row)]);
    if (this.line !== row) return;
    this.record = rec;
    // A key pressed meanwhile chose another line, whose route is on its way: keep that choice.
    if (selecting !== this.selecting) return;
    this.selected = pos >= 0 ? pos : null;
    if (pos >= 0) this.scrollTo = { pos };
  }

  closeRecord(): void {
    this.nav.set('logs', { line: null }, 'push');
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

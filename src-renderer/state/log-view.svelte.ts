// The log screen's state: the filter, what it yields (count, histogram, facets), the search and
// its current hit, the selected line and its record, and the background full-text indexer. It
// outlives the screen (one per workspace), so filters and the search survive a trip to a trace.

import type { Workspace } from './workspace.svelte.ts';
import type { LogFilter, LogFacets, LogHistogram, LogLine } from '../store/log-view.ts';
import type { LogRecordView } from '../store/log-view-record.ts';
import type { FtsProgress } from '../store/log-view-fts.ts';

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
      this.searched = null;
      this.hits = new Int32Array(0);
      this.hit = -1;
      return;
    }
    const res = await this.ws.engine.call('logSearch', this.filter, q);
    this.searched = q;
    this.hits = res.positions;
    this.fts = res.progress;
    this.hit = -1;
    if (jump && res.positions.length > 0) this.goToHit(0);
  }

  nextHit(step: 1 | -1): void {
    const n = this.hits.length;
    if (n === 0) return;
    this.goToHit(this.hit < 0 ? (step > 0 ? 0 : n - 1) : (this.hit + step + n) % n);
  }

  goToHit(i: number): void {
    this.hit = i;
    void this.select(this.hits[i]);
    this.scrollTo = { pos: this.hits[i] };
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

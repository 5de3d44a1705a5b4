// The trace list's state: the search, its order (column and direction) and the selected row. The
// search and order live in the route (`#/traces?q=service%3Dcheckout+error%3Dtrue&sort=duration`),
// so Back returns to the search before and a copied link opens the same list; where the list was
// scrolled is kept per search and order while the workspace is open. The structured filters edit
// the query text (replaceTerms), and read their values back from it, so the two never disagree.

import type { Workspace } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';
import type { TraceListRow } from '../engine/wire/trace-search.ts';
import {
  parseTraceQuery, replaceTerms, isTraceSortKey, defaultSortDir,
  type Term, type TermBody, type TraceSortKey, type SortDir, type QueryError,
} from '../core/analysis/trace-query.ts';

import type { SloServiceOperations } from '../store/slo-view-queries.ts';

export type { TraceListRow } from '../engine/wire/trace-search.ts';

/** The list's columns, each sortable: key, header, and whether it is a number (right-aligned). */
/** `clock`: times shown in the app's zone, which the header names. */
export const TRACE_COLUMNS: ReadonlyArray<{ key: TraceSortKey; label: string; numeric: boolean; clock?: boolean }> = [
  { key: 'service', label: 'Root service', numeric: false },
  { key: 'operation', label: 'Operation', numeric: false },
  { key: 'start', label: 'Start', numeric: false, clock: true },
  { key: 'duration', label: 'Duration', numeric: true },
  { key: 'spans', label: 'Spans', numeric: true },
  { key: 'services', label: 'Services', numeric: true },
  { key: 'errors', label: 'Errors', numeric: true },
];

/** The Sort menu's orders (each column's header sorts too). */
export const TRACE_SORTS: ReadonlyArray<[TraceSortKey, string]> = [
  ['start', 'Start'],
  ['duration', 'Slowest'],
  ['spans', 'Most spans'],
  ['errors', 'Most errors'],
  ['services', 'Most services'],
  ['service', 'Root service'],
  ['operation', 'Operation'],
];

export class TraceListState {
  /** Traces the search finds. */
  total = $state(0);
  /** Terms of the query that could not be read (left out of the search). */
  errors = $state.raw<QueryError[]>([]);
  /** Changes whenever a new result is shown: the list drops the pages it had. */
  listKey = $state(0);
  selected = $state<number | null>(null);
  /** The last search failed (the engine's message). */
  failure = $state<string | null>(null);
  /** Services and their frequent operations, for the filters (fetched when the data changes). */
  services = $state.raw<SloServiceOperations[]>([]);
  private scrolled = $state<Record<string, number>>({});
  private shown = '';
  private servicesVersion = -1;
  private generation = 0;

  constructor(
    readonly ws: Workspace,
    private readonly nav: Navigation,
  ) {}

  private get params() {
    return this.nav.params('traces');
  }

  get query(): string {
    return this.params.q ?? '';
  }

  get sort(): TraceSortKey {
    const s = this.params.sort;
    return isTraceSortKey(s) ? s : 'start';
  }

  get dir(): SortDir {
    const d = this.params.dir;
    return d === 'asc' || d === 'desc' ? d : defaultSortDir(this.sort);
  }

  /** The query's terms, as the filters show them. */
  get terms(): Term[] {
    return parseTraceQuery(this.query).terms;
  }

  /** A search typed or chosen: a history entry. */
  setQuery(q: string): void {
    this.nav.set('traces', { q: q.trim() || null }, 'push');
  }

  /** A filter changed: the terms it owns (`match`) replaced by `replacement` in the query text. */
  setTerms(match: (t: Term) => boolean, replacement: TermBody[]): void {
    this.setQuery(replaceTerms(this.query, match, replacement));
  }

  /** A column header clicked: sort by it, or turn the order if it already sorts (`turn`). */
  sortBy(key: TraceSortKey, turn = false): void {
    const dir = key === this.sort && turn ? (this.dir === 'asc' ? 'desc' : 'asc') : defaultSortDir(key);
    this.nav.set('traces', { sort: key === 'start' ? null : key, dir: dir === defaultSortDir(key) ? null : dir }, 'push');
  }

  ariaSort(key: TraceSortKey): 'ascending' | 'descending' | 'none' {
    return key !== this.sort ? 'none' : this.dir === 'asc' ? 'ascending' : 'descending';
  }

  private get key(): string {
    return JSON.stringify([this.query, this.sort, this.dir]);
  }

  /** Where the list of the current search and order is scrolled (pixels). */
  get scrollTop(): number {
    return this.scrolled[this.key] ?? 0;
  }

  set scrollTop(top: number) {
    this.scrolled[this.key] = top;
  }

  /** Bring the count in line with the route and the data; the screen calls this when either changes. */
  async sync(): Promise<void> {
    const key = JSON.stringify([this.key, this.ws.version]);
    if (key === this.shown) return;
    this.shown = key;
    const gen = ++this.generation;
    if (this.servicesVersion !== this.ws.version) {
      this.servicesVersion = this.ws.version;
      this.services = await this.ws.engine.call('sloOperations');
    }
    try {
      const r = await this.ws.engine.call('searchTraces', { query: this.query, sort: this.sort, dir: this.dir, offset: 0, limit: 0 });
      if (gen !== this.generation) return;
      this.total = r.total;
      this.errors = r.errors;
      this.failure = null;
    } catch (e) {
      if (gen !== this.generation) return;
      this.total = 0;
      this.failure = (e as Error).message;
    }
    this.selected = null;
    this.listKey++;
  }

  /** Rows of the current search from position `offset` (the virtual list's pages). */
  async page(offset: number, limit: number): Promise<TraceListRow[]> {
    return (await this.ws.engine.call('searchTraces', { query: this.query, sort: this.sort, dir: this.dir, offset, limit })).rows;
  }

  /** j/k: the selection moves by `delta` within the list. */
  move(delta: number): void {
    if (this.total === 0) return;
    const from = this.selected ?? (delta > 0 ? -1 : this.total);
    this.selected = Math.min(this.total - 1, Math.max(0, from + delta));
  }

  open(row: TraceListRow): void {
    this.nav.openTrace(row.traceId);
  }

  /** Enter: open the trace at position `i` of the list. */
  async openAt(i: number): Promise<void> {
    const [row] = await this.page(i, 1);
    if (row) this.open(row);
  }
}

const lists = new WeakMap<Workspace, TraceListState>();

export function traceListOf(ws: Workspace, nav: Navigation): TraceListState {
  let l = lists.get(ws);
  if (!l) lists.set(ws, (l = new TraceListState(ws, nav)));
  return l;
}

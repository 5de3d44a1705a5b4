// The traces of the file being imported, summarised as their spans arrive (no GROUP BY over all
// spans afterwards), and settled while the import runs: a trace no span has touched for `window`
// batches gets its summary row and structural findings written then, and its span list freed,
// so finishing a file is left with the last few traces instead of all of them. Exporters write a
// trace's spans close together, but not always: a span that arrives for a settled trace reopens
// it (the store recomputes it from its stored spans at the end) and doubles the window.
// Each trace also gets its number (traces.trace_no, by which spans are indexed): the one it has
// in the workspace already, or the next one, written into each span row before it is stored.

import type { SpanKind } from '../core/model/trace.ts';
import type { StructSpan } from '../core/analysis/structure.ts';
import { KIND_CODES } from './schema.ts';
import { SPAN } from './rows.ts';
import { cellValue, type PackedRows } from './packed.ts';

export interface TraceSummary {
  /** The trace id (detached). */
  id: string;
  /** traces.trace_no. */
  no: number;
  start: bigint;
  end: bigint;
  count: number;
  errors: number;
  services: ServiceSet;
  rootStart: bigint | null;
  rootService: string | null;
  rootName: string | null;
  rootSpanId: string | null;
  firstService: string;
  firstName: string;
  firstSpanId: string;
  /** The trace's spans so far, for the structural findings (emptied once settled). */
  structure: StructSpan[];
  base: bigint;
  lastBatch: number;
}

/** What is left of a trace once written (`settled`), or of one already stored by an earlier file
 *  or reopened after settling (`recompute`: recomputed from the store at the end). Strings read
 *  from a batch are slices that would keep the batch's whole text alive, so these keep none. */
interface Done {
  done: 'settled' | 'recompute';
  no: number;
}

/**
 * The services of a trace. In Chromium, putting a string V8 has not hashed yet into a Set or Map
 * costs ~0.4 µs (measured), and every span's service is a fresh slice of its batch's text; a
 * trace has a few services, so they are compared instead, up to SCAN_UP_TO, then kept in a Set.
 */
export class ServiceSet {
  private readonly list: string[] = [];
  private set: Set<string> | null = null;

  add(service: string): void {
    if (this.set) this.set.add(service);
    else if (!this.list.includes(service)) {
      this.list.push(service);
      if (this.list.length > SCAN_UP_TO) this.set = new Set(this.list);
    }
  }

  get size(): number {
    return this.set ? this.set.size : this.list.length;
  }

  /** In the order first added. */
  [Symbol.iterator](): Iterator<string> {
    return (this.set ?? this.list)[Symbol.iterator]();
  }
}

const SCAN_UP_TO = 16;

/** A copy of a string that holds no reference to the text it was sliced from. */
function detached(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

const FIRST_WINDOW = 4;
const MAX_WINDOW = 4096;

export class FileTraces {
  private readonly traces = new Map<string, TraceSummary | Done>();
  private batch = 0;
  private window = FIRST_WINDOW;
  /** Trace ids by the batch that last touched them (a trace is listed under each batch that touched it). */
  private readonly touched = new Map<number, string[]>();

  /**
   * `stored(traceId)`: the trace's number if the workspace already holds it (from an earlier
   * file), else null; `next`: the number for the first new trace.
   */
  constructor(
    private readonly stored: (traceId: string) => number | null,
    private next: number,
  ) {}

  /** Fold a batch of span rows (rows.ts layout) into the summaries, and number its spans' traces. */
  add(p: PackedRows): void {
    const batch = ++this.batch;
    const touched: string[] = [];
    this.touched.set(batch, touched);
    // A trace's spans mostly come one after another: the last trace is found by comparing ids,
    // before the Map is asked (which would hash each span's id, a fresh string; see ServiceSet).
    let lastId = '';
    let last: TraceSummary | Done | undefined;
    for (let r = 0; r < p.rows; r++) {
      const traceId = cellValue(p, r, SPAN.traceId) as string;
      let t = traceId === lastId ? last : this.traces.get(traceId);
      lastId = traceId;
      last = t;
      const noCell = r * p.cols + SPAN.traceNo;
      if (t !== undefined && 'done' in t) {
        p.nums[noCell] = t.no;
        if (t.done === 'settled') {
          t.done = 'recompute';
          this.window = Math.min(this.window * 2, MAX_WINDOW);
        }
        continue;
      }
      const start = BigInt(cellValue(p, r, SPAN.start) as string);
      const spanId = cellValue(p, r, SPAN.spanId) as string;
      const name = cellValue(p, r, SPAN.name) as string;
      const service = cellValue(p, r, SPAN.service) as string;
      if (!t) {
        const key = detached(traceId);
        const storedNo = this.stored(key);
        if (storedNo !== null) {
          this.traces.set(key, (last = { done: 'recompute', no: storedNo }));
          p.nums[noCell] = storedNo;
          continue;
        }
        t = {
          id: key, no: this.next++, start, end: start, count: 0, errors: 0, services: new ServiceSet(), rootStart: null, rootService: null, rootName: null,
          rootSpanId: null, firstService: service, firstName: name, firstSpanId: spanId, structure: [], base: start, lastBatch: 0,
        };
        this.traces.set(key, t);
        last = t;
      }
      p.nums[noCell] = t.no;
      if (t.lastBatch !== batch) {
        t.lastBatch = batch;
        touched.push(t.id);
      }
      const parent = cellValue(p, r, SPAN.parent) as string | null;
      const duration = cellValue(p, r, SPAN.duration) as number;
      const end = start + BigInt(duration);
      if (start < t.start) {
        t.start = start;
        t.firstService = service;
        t.firstName = name;
        t.firstSpanId = spanId;
      }
      if (end > t.end) t.end = end;
      t.count++;
      if (cellValue(p, r, SPAN.isError) === 1) t.errors++;
      t.services.add(service);
      if (parent === null && (t.rootStart === null || start < t.rootStart)) {
        t.rootStart = start;
        t.rootService = service;
        t.rootName = name;
        t.rootSpanId = spanId;
      }
      t.structure.push({
        spanId, parentSpanId: parent, start: Number(start - t.base), duration, service, kind: KIND_CODES[cellValue(p, r, SPAN.kind) as number] as SpanKind,
        parentRef: cellValue(p, r, SPAN.parentRef) === 1 ? 'follows_from' : 'child_of',
      });
    }
  }

  /** Traces untouched for `window` batches and not settled yet; each is marked settled. */
  *settle(): Generator<[string, TraceSummary]> {
    for (const [b, ids] of this.touched) {
      if (b > this.batch - this.window) break; // the map keeps batches in order
      this.touched.delete(b);
      yield* this.take(ids, b);
    }
  }

  /** Every trace not settled yet (the file is complete). */
  *rest(): Generator<[string, TraceSummary]> {
    for (const [b, ids] of this.touched) yield* this.take(ids, b);
    this.touched.clear();
  }

  /** Traces in the file. */
  get size(): number {
    return this.traces.size;
  }

  /** Traces to recompute from the store once the file is in. */
  recomputed(): string[] {
    return [...this.traces].filter(([, t]) => 'done' in t && t.done === 'recompute').map(([id]) => id);
  }

  private *take(ids: string[], batch: number): Generator<[string, TraceSummary]> {
    for (const id of ids) {
      const t = this.traces.get(id);
      if (t === undefined || 'done' in t || t.lastBatch !== batch) continue;
      this.traces.set(id, { done: 'settled', no: t.no });
      yield [id, t];
    }
  }
}

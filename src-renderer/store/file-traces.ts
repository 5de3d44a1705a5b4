// The traces of the file being imported, summarised as their spans arrive (no GROUP BY over all
// spans afterwards), and settled while the import runs: a trace no span has touched for `window`
// batches gets its summary row and structural findings written then, and its span list freed,
// so finishing a file is left with the last few traces instead of all of them. Exporters write a
// trace's spans close together, but not always: a span that arrives for a settled trace reopens
// it (the store recomputes it from its stored spans at the end) and doubles the window.
// Each trace also gets its number (traces.trace_no, by which spans are indexed): the one it has
// in the workspace already, or the next one, written into each span row before it is stored.

import type { SpanKind, ParentRef } from '../core/model/trace.ts';
import type { StructSpan } from '../core/analysis/structure.ts';
import { kindOfCode, parentRefOfCode } from '../core/model/span-codes.ts';
import { SPAN } from './rows.ts';
import { FLAG_SHIFT } from '../core/model/span-codes.ts';
import { CELL_NULL, cellValue, type PackedRows } from './packed.ts';

/**
 * One trace's summary row (the traces table) and its spans for the structural findings, built span
 * by span: as a file's spans arrive (FileTraces), and again from the stored spans for a trace that
 * arrived in several files (Store). Times are exact; ties keep the span seen first.
 */
export class TraceSummary {
  start: bigint;
  end: bigint;
  count = 0;
  errors = 0;
  readonly services = new ServiceSet();
  rootStart: bigint | null = null;
  rootService: string | null = null;
  rootName: string | null = null;
  rootSpanId: string | null = null;
  firstService = '';
  firstName = '';
  firstSpanId = '';
  /** The trace's spans so far, for the structural findings (offsets from the first span's start). */
  structure: StructSpan[] = [];
  /** The epoch ns the structure's offsets are from. */
  readonly base: bigint;
  /** The last batch of the file that touched the trace (FileTraces). */
  lastBatch = 0;
  /**
   * Per span of `structure` (FileTraces only): its span_row (its row in its batch until the batch
   * is stored: FileTraces.placeRows), op_id and flags byte, for the trace's span_trees row.
   */
  readonly spanRow: number[] = [];
  readonly opId: number[] = [];
  readonly flags: number[] = [];
  /** Where this batch's spans begin in spanRow (FileTraces.placeRows). */
  placedUpTo = 0;

  constructor(
    /** The trace id (detached from any batch's text). */
    readonly id: string,
    /** traces.trace_no. */
    readonly no: number,
    firstStart: bigint,
  ) {
    this.start = firstStart;
    this.end = firstStart;
    this.base = firstStart;
  }

  add(spanId: string, parentSpanId: string | null, start: bigint, duration: number, service: string, name: string, isError: boolean, kind: SpanKind, parentRef: ParentRef): void {
    const end = start + BigInt(duration);
    if (this.count === 0 || start < this.start) {
      this.start = start;
      this.firstService = service;
      this.firstName = name;
      this.firstSpanId = spanId;
    }
    if (end > this.end) this.end = end;
    this.count++;
    if (isError) this.errors++;
    this.services.add(service);
    if (parentSpanId === null && (this.rootStart === null || start < this.rootStart)) {
      this.rootStart = start;
      this.rootService = service;
      this.rootName = name;
      this.rootSpanId = spanId;
    }
    this.structure.push({ spanId, parentSpanId, start: Number(start - this.base), duration, service, kind, parentRef });
  }

  /** The root span (parentless, earliest), or the earliest span when every span has a parent. */
  get root(): { service: string; name: string; spanId: string } {
    return this.rootSpanId !== null
      ? { service: this.rootService!, name: this.rootName!, spanId: this.rootSpanId }
      : { service: this.firstService, name: this.firstName, spanId: this.firstSpanId };
  }
}

/** What is left of a trace once written (`settled`), or of one already stored by an earlier file
 *  or reopened after settling (`recompute`: recomputed from the store at the end). Strings read
 *  from a batch are slices that would keep the batch's whole text alive, so these keep none. */
interface Done {
  done: 'settled' | 'recompute';
  no: number;
  /** A trace an earlier file stored: the keys (spanKey) of its spans then, read on first touch. */
  earlier: Set<string> | null;
}

/** What makes two spans the same span: id, start and duration (a trace id is common to its spans). */
export function spanKey(spanId: string, start: string, duration: number): string {
  return `${spanId}/${start}/${duration}`;
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
  /** The traces the last batch added spans to, whose span rows are not known yet (placeRows). */
  private unplaced: TraceSummary[] = [];

  /**
   * `stored(traceId)`: the trace's number if the workspace already holds it (from an earlier
   * file), else null; `next`: the number for the first new trace; `storedSpans(traceNo)`: the
   * spanKeys of such a trace's stored spans.
   */
  constructor(
    private readonly stored: (traceId: string) => number | null,
    private next: number,
    private readonly storedSpans: (traceNo: number) => Set<string> = () => new Set(),
  ) {}

  /**
   * Fold a batch of span rows (rows.ts layout) into the summaries, and number its spans' traces.
   * Returns, per row, 1 where the span is one an earlier file stored already (same trace, id,
   * start and duration): the store keeps it once. Null when there is none: only traces an
   * earlier file stored are looked at, so a file of new traces pays nothing for this.
   */
  add(p: PackedRows): Uint8Array | null {
    let dups: Uint8Array | null = null;
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
      let key = '';
      if (t === undefined) {
        key = detached(traceId);
        const storedNo = this.stored(key);
        if (storedNo !== null) this.traces.set(key, (t = last = { done: 'recompute', no: storedNo, earlier: this.storedSpans(storedNo) }));
      }
      if (t !== undefined && 'done' in t) {
        p.nums[noCell] = t.no;
        if (t.earlier !== null) {
          if (t.earlier.has(spanKey(cellValue(p, r, SPAN.spanId) as string, cellValue(p, r, SPAN.start) as string, cellValue(p, r, SPAN.duration) as number))) {
            (dups ??= new Uint8Array(p.rows))[r] = 1;
          }
        } else if (t.done === 'settled') {
          t.done = 'recompute';
          this.window = Math.min(this.window * 2, MAX_WINDOW);
        }
        continue;
      }
      const start = BigInt(cellValue(p, r, SPAN.start) as string);
      if (!t) {
        t = new TraceSummary(key, this.next++, start);
        this.traces.set(key, t);
        last = t;
      }
      p.nums[noCell] = t.no;
      if (t.lastBatch !== batch) {
        t.lastBatch = batch;
        touched.push(t.id);
        this.unplaced.push(t);
      }
      const c = r * p.cols;
      t.spanRow.push(r);
      t.opId.push(p.kinds[c + SPAN.op] === CELL_NULL ? -1 : p.nums[c + SPAN.op]);
      t.flags.push(
        (p.nums[c + SPAN.kind] << FLAG_SHIFT.kind) | (p.nums[c + SPAN.status] << FLAG_SHIFT.status) | (p.nums[c + SPAN.isError] << FLAG_SHIFT.isError) |
          (p.nums[c + SPAN.parentRef] << FLAG_SHIFT.parentRef),
      );
      t.add(
        cellValue(p, r, SPAN.spanId) as string, cellValue(p, r, SPAN.parent) as string | null, start, cellValue(p, r, SPAN.duration) as number,
        cellValue(p, r, SPAN.service) as string, cellValue(p, r, SPAN.name) as string, cellValue(p, r, SPAN.isError) === 1,
        kindOfCode(cellValue(p, r, SPAN.kind) as number), parentRefOfCode(cellValue(p, r, SPAN.parentRef) as number),
      );
    }
    return dups;
  }

  /**
   * The last batch is stored: its spans' rows in it become span_rows. Its kept rows were stored
   * from `firstRow` on, in order; `index` maps a batch row to its kept row when some were left
   * out (withoutRows), and no span of a summary is ever one of those.
   */
  placeRows(firstRow: number, index: Int32Array | null): void {
    for (const t of this.unplaced) {
      for (let k = t.placedUpTo; k < t.spanRow.length; k++) t.spanRow[k] = firstRow + (index ? index[t.spanRow[k]] : t.spanRow[k]);
      t.placedUpTo = t.spanRow.length;
    }
    this.unplaced = [];
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
      this.traces.set(id, { done: 'settled', no: t.no, earlier: null });
      yield [id, t];
    }
  }
}

// The traces of the file being imported, summarised as their spans arrive (no GROUP BY over all
// spans afterwards), and settled while the import runs: a trace no span has touched for `window`
// batches gets its summary row and structural findings written then, and its span list freed,
// so finishing a file is left with the last few traces instead of all of them. Exporters write a
// trace's spans close together, but not always: a span that arrives for a settled trace reopens
// it (the store recomputes it from its stored spans at the end) and doubles the window.

import type { SpanKind } from '../core/model/trace.ts';
import type { StructSpan } from '../core/analysis/structure.ts';
import { KIND_CODES } from './schema.ts';
import { SPAN } from './rows.ts';
import { cellValue, type PackedRows } from './packed.ts';

export interface TraceSummary {
  /** The trace id (detached). */
  id: string;
  start: bigint;
  end: bigint;
  count: number;
  errors: number;
  services: Set<string>;
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

/** What is left of a trace once written: strings read from a batch are slices that would keep
 *  the batch's whole text alive, so a settled trace keeps none. */
const SETTLED = 'settled';
/** Already stored by an earlier file, or reopened after settling: recomputed from the store. */
const RECOMPUTE = 'recompute';

/** A copy of a string that holds no reference to the text it was sliced from. */
function detached(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

const FIRST_WINDOW = 4;
const MAX_WINDOW = 4096;

export class FileTraces {
  private readonly traces = new Map<string, TraceSummary | typeof SETTLED | typeof RECOMPUTE>();
  private batch = 0;
  private window = FIRST_WINDOW;
  /** Trace ids by the batch that last touched them (a trace is listed under each batch that touched it). */
  private readonly touched = new Map<number, string[]>();

  /** `stored(traceId)`: whether the workspace already holds the trace (from an earlier file). */
  constructor(private readonly stored: (traceId: string) => boolean) {}

  /** Fold a batch of span rows (rows.ts layout) into the summaries. */
  add(p: PackedRows): void {
    const batch = ++this.batch;
    const touched: string[] = [];
    this.touched.set(batch, touched);
    for (let r = 0; r < p.rows; r++) {
      const traceId = cellValue(p, r, SPAN.traceId) as string;
      let t = this.traces.get(traceId);
      if (t === RECOMPUTE) continue;
      if (t === SETTLED) {
        this.traces.set(traceId, RECOMPUTE);
        this.window = Math.min(this.window * 2, MAX_WINDOW);
        continue;
      }
      const start = BigInt(cellValue(p, r, SPAN.start) as string);
      const spanId = cellValue(p, r, SPAN.spanId) as string;
      const name = cellValue(p, r, SPAN.name) as string;
      const service = cellValue(p, r, SPAN.service) as string;
      if (!t) {
        const key = detached(traceId);
        if (this.stored(key)) {
          this.traces.set(key, RECOMPUTE);
          continue;
        }
        t = {
          id: key, start, end: start, count: 0, errors: 0, services: new Set(), rootStart: null, rootService: null, rootName: null, rootSpanId: null,
          firstService: service, firstName: name, firstSpanId: spanId, structure: [], base: start, lastBatch: 0,
        };
        this.traces.set(key, t);
      }
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
    return [...this.traces].filter(([, t]) => t === RECOMPUTE).map(([id]) => id);
  }

  private *take(ids: string[], batch: number): Generator<[string, TraceSummary]> {
    for (const id of ids) {
      const t = this.traces.get(id);
      if (typeof t !== 'object' || t.lastBatch !== batch) continue;
      this.traces.set(id, SETTLED);
      yield [id, t];
    }
  }
}

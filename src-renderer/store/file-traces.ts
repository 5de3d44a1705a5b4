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
  /** Already stored by an earlier file, or reopened after settling: recomputed from the store. */
  recompute: boolean;
  settled: boolean;
}

const FIRST_WINDOW = 4;
const MAX_WINDOW = 4096;

export class FileTraces {
  readonly traces = new Map<string, TraceSummary>();
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
      const start = BigInt(cellValue(p, r, SPAN.start) as string);
      const spanId = cellValue(p, r, SPAN.spanId) as string;
      const name = cellValue(p, r, SPAN.name) as string;
      const service = cellValue(p, r, SPAN.service) as string;
      if (!t) {
        t = {
          start, end: start, count: 0, errors: 0, services: new Set(), rootStart: null, rootService: null, rootName: null, rootSpanId: null,
          firstService: service, firstName: name, firstSpanId: spanId, structure: [], base: start, lastBatch: 0,
          recompute: this.stored(traceId), settled: false,
        };
        this.traces.set(traceId, t);
      } else if (t.settled && !t.recompute) {
        t.recompute = true;
        t.structure = [];
        this.window = Math.min(this.window * 2, MAX_WINDOW);
      }
      if (t.lastBatch !== batch) {
        t.lastBatch = batch;
        touched.push(traceId);
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
      if (!t.recompute) {
        t.structure.push({
          spanId, parentSpanId: parent, start: Number(start - t.base), duration, service, kind: KIND_CODES[cellValue(p, r, SPAN.kind) as number] as SpanKind,
          parentRef: cellValue(p, r, SPAN.parentRef) === 1 ? 'follows_from' : 'child_of',
        });
      }
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

  /** Traces to recompute from the store once the file is in. */
  recomputed(): string[] {
    return [...this.traces].filter(([, t]) => t.recompute).map(([id]) => id);
  }

  private *take(ids: string[], batch: number): Generator<[string, TraceSummary]> {
    for (const id of ids) {
      const t = this.traces.get(id)!;
      if (t.lastBatch !== batch || t.settled || t.recompute) continue;
      t.settled = true;
      yield [id, t];
      t.structure = [];
    }
  }
}

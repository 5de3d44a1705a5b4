// A trace's spans in columns (one array per field), the shape big traces travel in: the store
// reads a trace into it, the engine packs it for the UI thread and the UI unpacks it again, and
// the analyses and the tree read it without an object per span. Offsets are from the trace's
// earliest start, which is kept exact as a decimal string of epoch ns.

import type { ParentRef, SpanKind, StatusCode } from './trace.ts';
import { flagIsError, flagKind, flagParentRef, flagStatus } from './span-codes.ts';

/** The fields the analyses read, one array each, index i being span i. */
export interface SpanColumns {
  spanId: readonly string[];
  parentSpanId: readonly (string | null)[];
  parentRef: readonly ParentRef[];
  name: readonly string[];
  service: readonly string[];
  kind: readonly SpanKind[];
  status: readonly StatusCode[];
  isError: readonly boolean[];
  /** Start offset from the trace's start, ns. */
  start: readonly number[];
  duration: readonly number[];
}

/** One trace's spans in columns, with where they are stored. */
export interface TraceSpans extends SpanColumns {
  traceId: string;
  /** Epoch ns of the earliest span start, as a decimal string. */
  startNs: string;
  /** Each span's row in the store (spans.span_row), by which its details are asked for. */
  spanRow: readonly number[];
  /** Each span's operations row (store operations.op_id; -1 when unknown), as the store read it. */
  opId?: Int32Array;
}

/**
 * What aggregates group a span by (core/analysis/operations.ts spanOperations): its grouped
 * operation (the raw name stays in `name`) and its node (its service, or the database, cache or
 * host it calls when that has no spans of its own).
 */
export interface SpanNodes {
  operation: readonly string[];
  node: readonly string[];
}

/** Marks "no parent" where parent ids are packed 16 characters each; span ids are hex, so it cannot be one. */
export const NO_PARENT = '----------------';

/**
 * TraceSpans with what the packing for the UI thread would otherwise work out again: the ids as
 * the store read them (16 characters each, NO_PARENT for none), names and services as indexes
 * into `strings`, and the flags byte of each span (span-codes.ts).
 */
export interface TraceColumns extends TraceSpans {
  packedIds?: { spanIds: string; parentIds: string };
  codes?: { strings: string[]; name: Int32Array; service: Int32Array; flags: Uint8Array };
}

/** A property made by `make` on first read, then a plain value (columns not every reader needs). */
export function lazyColumn<T>(o: object, key: string, make: () => T): void {
  Object.defineProperty(o, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
      return value;
    },
  });
}

/** flags.map into a plain array, without Array.from's iterator over a typed array (several times slower). */
function mapFlags<T>(flags: Uint8Array, f: (bits: number) => T): T[] {
  const out = new Array<T>(flags.length);
  for (let i = 0; i < flags.length; i++) out[i] = f(flags[i]);
  return out;
}

/** The kind, status, error and parent-reference columns of `out`, decoded from the flags on first read. */
export function defineFlagColumns(out: object, flags: Uint8Array, which: readonly ('kind' | 'status' | 'isError' | 'parentRef')[] = ['kind', 'status', 'isError', 'parentRef']): void {
  const decode = { kind: flagKind, status: flagStatus, isError: flagIsError, parentRef: flagParentRef };
  for (const key of which) lazyColumn(out, key, () => mapFlags<unknown>(flags, decode[key]));
}

/** 16-character ids concatenated (NO_PARENT for none) back into a list. */
export function unpackIds(packed: string, n: number, nullable: boolean): (string | null)[] {
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) out[i] = nullable && packed.charCodeAt(i * 16) === 45 /* '-': NO_PARENT */ ? null : packed.slice(i * 16, i * 16 + 16);
  return out;
}

/** The offset at which the last span ends: the trace's duration, offsets being from its earliest start. */
export function traceDurationNs(c: Pick<SpanColumns, 'start' | 'duration'>): number {
  let end = 0;
  for (let i = 0; i < c.start.length; i++) end = Math.max(end, c.start[i] + c.duration[i]);
  return end;
}

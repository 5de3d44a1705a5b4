// A trace's span columns packed for the trip from the worker to the UI. Arrays of 100,000
// strings and numbers are slow to structured-clone (about a third of opening a 100k-span
// trace); typed arrays, one string per id column and a dictionary of names clone in a few
// milliseconds. The UI unpacks to the same TraceSpans the analyses use.

import type { TraceSpans } from '../store/queries.ts';
import { lazyColumn, mapFlags, type TraceColumns } from '../store/trace-detail.ts';
import { KIND_CODES, STATUS_CODES } from '../store/schema.ts';

/** Canonical span ids are 16 hex characters; this marks "no parent" in the packed parent column. */
const NO_PARENT = '----------------';
const ID = 16;

export interface PackedSpans {
  traceId: string;
  startNs: string;
  spanRow: Float64Array;
  /** All span ids, 16 characters each, concatenated; or the plain list when some id is not canonical. */
  spanIds: string | (string | null)[];
  parentIds: string | (string | null)[];
  /** Names and services, each once. */
  strings: string[];
  name: Int32Array;
  service: Int32Array;
  /** kind | status << 3 | isError << 5 | followsFrom << 6 */
  flags: Uint8Array;
  start: Float64Array;
  duration: Float64Array;
}

function packIds(ids: readonly (string | null)[]): string | (string | null)[] {
  for (const id of ids) if (id !== null && id.length !== ID) return [...ids];
  return ids.map((id) => id ?? NO_PARENT).join('');
}

function unpackIds(packed: string | (string | null)[], n: number, nullable: boolean): (string | null)[] {
  if (typeof packed !== 'string') return packed;
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const id = packed.slice(i * ID, i * ID + ID);
    out[i] = nullable && id === NO_PARENT ? null : id;
  }
  return out;
}

/** What the store already packed (trace-detail.ts TraceColumns: packedIds, codes) goes as it is. */
export function packSpans(s: TraceSpans & Pick<TraceColumns, 'packedIds' | 'codes'>): PackedSpans {
  const n = s.start.length;
  const ids = {
    traceId: s.traceId, startNs: s.startNs, spanRow: Float64Array.from(s.spanRow), spanIds: s.packedIds?.spanIds ?? packIds(s.spanId),
    parentIds: s.packedIds?.parentIds ?? packIds(s.parentSpanId), start: Float64Array.from(s.start), duration: Float64Array.from(s.duration),
  };
  if (s.codes && s.codes.flags.length === n) return { ...ids, strings: s.codes.strings, name: s.codes.name, service: s.codes.service, flags: s.codes.flags };
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (v: string): number => {
    let k = index.get(v);
    if (k === undefined) {
      k = strings.length;
      strings.push(v);
      index.set(v, k);
    }
    return k;
  };
  const name = new Int32Array(n);
  const service = new Int32Array(n);
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    name[i] = intern(s.name[i]);
    service[i] = intern(s.service[i]);
    flags[i] = KIND_CODES.indexOf(s.kind[i]) | (STATUS_CODES.indexOf(s.status[i]) << 3) | ((s.isError[i] ? 1 : 0) << 5) | ((s.parentRef[i] === 'follows_from' ? 1 : 0) << 6);
  }
  return { ...ids, strings, name, service, flags };
}

/**
 * The UI's TraceSpans. Columns the first screen does not read (parent ids, parent references,
 * kinds, statuses: the span detail shows them for one span) are made on first use: at 100,000
 * spans, making them up front was a third of the unpacking.
 */
export function unpackSpans(p: PackedSpans): TraceSpans {
  const n = p.name.length;
  const out = {
    traceId: p.traceId, startNs: p.startNs, spanRow: new Array<number>(n), spanId: unpackIds(p.spanIds, n, false) as string[],
    name: new Array<string>(n), service: new Array<string>(n), isError: new Array<boolean>(n), start: new Array<number>(n), duration: new Array<number>(n),
  } as TraceSpans;
  const { flags, strings } = p;
  // One loop instead of Array.from over the typed arrays (an iterator per call: ~10 ms each at 100k).
  for (let i = 0; i < n; i++) {
    out.spanRow[i] = p.spanRow[i];
    out.start[i] = p.start[i];
    out.duration[i] = p.duration[i];
    out.name[i] = strings[p.name[i]];
    out.service[i] = strings[p.service[i]];
    out.isError[i] = ((flags[i] >> 5) & 1) === 1;
  }
  const column = <T>(f: (bits: number) => T): T[] => mapFlags(flags, f);
  lazyColumn(out, 'parentSpanId', () => unpackIds(p.parentIds, n, true));
  lazyColumn(out, 'parentRef', () => column((f) => (((f >> 6) & 1) === 1 ? 'follows_from' : 'child_of')));
  lazyColumn(out, 'kind', () => column((f) => KIND_CODES[f & 7] ?? 'unspecified'));
  lazyColumn(out, 'status', () => column((f) => STATUS_CODES[(f >> 3) & 3] ?? 'unset'));
  return out;
}

// Attribute comparison (as Honeycomb's BubbleUp): which attribute values on spans and resources
// are over-represented in a cohort's traces against a baseline's. A value counts once per trace
// that has it on any span (or any span's resource), so big traces do not outweigh small ones:
//
//   cohort (4 traces):    db.system=postgresql in 4, region=eu-1 in 3
//   baseline (8 traces):  db.system=postgresql in 8, region=eu-1 in 2
//   region=eu-1: 75 % vs 25 %, difference +50 points (ranked first); db.system: 100 % vs 100 %, 0
//
// Bounded work: at most `maxValues` distinct values are kept per key (a key with more, such as a
// request id or a timestamp, is dropped as high-cardinality), keys that name ids are skipped, long
// values are cut, and the caller samples traces.

import type { AttrValue } from '../model/trace.ts';

export type AttributeScope = 'span' | 'resource';

export interface BubbleUpRow {
  scope: AttributeScope;
  key: string;
  value: string;
  /** Traces of each side having the value, and that over the side's traces. */
  cohortTraces: number;
  baselineTraces: number;
  cohortShare: number;
  baselineShare: number;
  /** cohortShare − baselineShare. */
  difference: number;
}

/** Keys that name an id or a time: one value per request, never a cause shared by many. */
const ID_KEY = /(?:^|[._-])(?:id|uuid|guid|trace_?id|span_?id|request_?id|correlation_?id|timestamp|time)$/i;
const MAX_VALUE_LENGTH = 120;

/** An attribute value as text, or null for values not compared (maps, byte strings, empty lists). */
export function attributeText(v: AttrValue): string | null {
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length > MAX_VALUE_LENGTH ? `${v.slice(0, MAX_VALUE_LENGTH)}…` : v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const t = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
    return v.length === 0 ? null : t.length > MAX_VALUE_LENGTH ? `${t.slice(0, MAX_VALUE_LENGTH)}…` : t;
  }
  return null;
}

interface KeyCounts {
  scope: AttributeScope;
  key: string;
  /** value → [cohort traces, baseline traces] */
  values: Map<string, [number, number]>;
}

export class AttributeCounter {
  private readonly keys = new Map<string, KeyCounts | null>();
  /** Per side: the traces added. */
  readonly traces: [number, number] = [0, 0];
  /** Key + value pairs seen in the trace being added (counted once per trace). */
  private seen = new Set<string>();

  constructor(readonly maxValues = 50) {}

  /** The side of the trace being added: 0 the cohort, 1 the baseline. */
  private side: 0 | 1 = 0;

  beginTrace(side: 0 | 1): void {
    this.traces[side]++;
    this.seen.clear();
    this.side = side;
  }

  /** Add one span's (or resource's) attributes to the trace begun last. */
  addAttributes(scope: AttributeScope, attrs: Readonly<Record<string, AttrValue>>): void {
    for (const key in attrs) {
      const id = `${scope}\u001f${key}`;
      let k = this.keys.get(id);
      if (k === null) continue; // dropped: an id, or too many values
      if (k === undefined) {
        if (ID_KEY.test(key)) {
          this.keys.set(id, null);
          continue;
        }
        this.keys.set(id, (k = { scope, key, values: new Map() }));
      }
      const text = attributeText(attrs[key]);
      if (text === null) continue;
      const pair = `${id}\u001f${text}`;
      if (this.seen.has(pair)) continue;
      this.seen.add(pair);
      let c = k.values.get(text);
      if (!c) {
        if (k.values.size >= this.maxValues) {
          this.keys.set(id, null);
          continue;
        }
        k.values.set(text, (c = [0, 0]));
      }
      c[this.side]++;
    }
  }

  /** Values by difference in share, most over-represented in the cohort first; at most `limit`, only those above 0. */
  result(limit = 40): BubbleUpRow[] {
    const [na, nb] = this.traces;
    const rows: BubbleUpRow[] = [];
    for (const k of this.keys.values()) {
      if (!k) continue;
      for (const [value, [a, b]] of k.values) {
        const cohortShare = na > 0 ? a / na : 0;
        const baselineShare = nb > 0 ? b / nb : 0;
        const difference = cohortShare - baselineShare;
        if (difference > 0) rows.push({ scope: k.scope, key: k.key, value, cohortTraces: a, baselineTraces: b, cohortShare, baselineShare, difference });
      }
    }
    rows.sort((x, y) => y.difference - x.difference || y.cohortTraces - x.cohortTraces || (x.key < y.key ? -1 : x.key > y.key ? 1 : x.value < y.value ? -1 : 1));
    return rows.slice(0, limit);
  }
}

/** `k` positions spread evenly over `n` (all of them when k ≥ n): a sample that covers the whole range. */
export function evenSample(n: number, k: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));
}

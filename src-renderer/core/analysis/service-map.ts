// The service map: nodes are services, and the databases, caches, queues and hosts that client
// spans call without any spans of their own (operations.ts nodeName: a span with a peer that called
// no other service is that peer's); an edge A → B counts the calls from A to B, a call being a
// span of B whose parent span is in A (a span's parent in its own node is no call between
// nodes). Each edge keeps the durations of its calls (the child spans) sorted, for p50/p99; each
// (service, operation) keeps its spans' durations the same way. Built in one pass over spans
// grouped by trace (the store hands them so), holding one trace at a time:
//
//   trace 1:  frontend GET /  ─┬─ cart GetCart          →  frontend → cart      calls 1
//                              └─ checkout Place ─┬─ payment Charge      →  frontend → checkout  calls 1
//                                                 └─ checkout validate   (same node: no edge)
//                                                                         checkout → payment  calls 1
//   trace 2:  checkout Place ── checkout pg INSERT (client, peer postgresql)  →  checkout → postgresql
//
// A span whose parent is not in the data (an orphan, a root) makes no edge. Percentiles are
// nearest-rank (slo.ts), so an edge's p99 is a duration one of its calls had.

import { nearestRank } from './slo.ts';
import { nodeName } from './operations.ts';

export interface ServiceNode {
  name: string;
  spans: number;
  errors: number;
}

export interface ServiceEdge {
  from: string;
  to: string;
  calls: number;
  errors: number;
  p50Ns: number;
  p99Ns: number;
}

export interface OperationStats {
  service: string;
  operation: string;
  spans: number;
  errors: number;
  p50Ns: number;
  p99Ns: number;
}

export interface ServiceMap {
  services: ServiceNode[];
  edges: ServiceEdge[];
}

/** A growable list of durations, sorted once at the end. */
class Durations {
  private a = new Float64Array(16);
  n = 0;
  errors = 0;
  push(ns: number, isError: boolean): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = ns;
    if (isError) this.errors++;
  }
  sorted(): Float64Array {
    const s = this.a.slice(0, this.n);
    s.sort();
    return s;
  }
}

/** Counts and sorted durations, what a summary keeps of an edge or an operation. */
export interface DurationSummary {
  count: number;
  errors: number;
  /** Ascending. */
  durations: Float64Array;
}

export interface ServiceMapSummary {
  services: ServiceNode[];
  /** Keyed by `from\u0000to`. */
  edges: Map<string, DurationSummary & { from: string; to: string }>;
  /** Keyed by `service\u0000operation`. */
  operations: Map<string, DurationSummary & { service: string; operation: string }>;
}

const SEP = '\u0000';

/**
 * Feed spans trace by trace (all spans of a trace before the next trace's), then finish(). The
 * node of a span is its service, or its peer (the database, cache or host it calls: '' for none)
 * when it called no other service; parents are found by span id within the trace.
 */
export class ServiceMapBuilder {
  private traceKey: number | null = null;
  private ids: string[] = [];
  private parents: (string | null)[] = [];
  private serviceOf: string[] = [];
  private peers: string[] = [];
  private operations: string[] = [];
  private durations: number[] = [];
  private errors: boolean[] = [];
  private readonly services = new Map<string, ServiceNode>();
  private readonly edges = new Map<string, Durations & { from?: string; to?: string }>();
  private readonly ops = new Map<string, Durations>();

  add(traceKey: number, spanId: string, parentSpanId: string | null, service: string, operation: string, durationNs: number, isError: boolean, peer = ''): void {
    if (traceKey !== this.traceKey) {
      this.flush();
      this.traceKey = traceKey;
    }
    this.ids.push(spanId);
    this.parents.push(parentSpanId);
    this.serviceOf.push(service);
    this.peers.push(peer);
    this.operations.push(operation);
    this.durations.push(durationNs);
    this.errors.push(isError);
  }

  /** The trace held: each span's parent looked up by id (the first span of an id wins), its node, its edge. */
  private flush(): void {
    const n = this.ids.length;
    if (n === 0) return;
    const first = new Map<string, number>();
    for (let i = 0; i < n; i++) if (!first.has(this.ids[i])) first.set(this.ids[i], i);
    const parent = new Int32Array(n);
    const callsOther = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const p = this.parents[i];
      parent[i] = p === null ? -1 : (first.get(p) ?? -1);
      if (parent[i] >= 0 && this.serviceOf[parent[i]] !== this.serviceOf[i]) callsOther[parent[i]] = 1;
    }
    const node = new Array<string>(n);
    for (let i = 0; i < n; i++) node[i] = nodeName(this.serviceOf[i], this.peers[i], callsOther[i] === 1);
    for (let i = 0; i < n; i++) {
      const isError = this.errors[i];
      let s = this.services.get(node[i]);
      if (!s) this.services.set(node[i], (s = { name: node[i], spans: 0, errors: 0 }));
      s.spans++;
      if (isError) s.errors++;
      const opKey = node[i] + SEP + this.operations[i];
      let o = this.ops.get(opKey);
      if (!o) this.ops.set(opKey, (o = new Durations()));
      o.push(this.durations[i], isError);
      const from = parent[i] < 0 ? undefined : node[parent[i]];
      if (from === undefined || from === node[i]) continue;
      const key = from + SEP + node[i];
      let e = this.edges.get(key);
      if (!e) this.edges.set(key, (e = new Durations()));
      e.push(this.durations[i], isError);
    }
    this.ids = [];
    this.parents = [];
    this.serviceOf = [];
    this.peers = [];
    this.operations = [];
    this.durations = [];
    this.errors = [];
  }

  finish(): ServiceMapSummary {
    this.flush();
    const edges = new Map<string, DurationSummary & { from: string; to: string }>();
    for (const [key, d] of this.edges) {
      const [from, to] = key.split(SEP);
      edges.set(key, { from, to, count: d.n, errors: d.errors, durations: d.sorted() });
    }
    const operations = new Map<string, DurationSummary & { service: string; operation: string }>();
    for (const [key, d] of this.ops) {
      const at = key.indexOf(SEP);
      operations.set(key, { service: key.slice(0, at), operation: key.slice(at + 1), count: d.n, errors: d.errors, durations: d.sorted() });
    }
    const services = [...this.services.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { services, edges, operations };
  }
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The map as shown and exported: services by name, edges by (from, to). */
export function serviceMapOf(s: ServiceMapSummary): ServiceMap {
  const edges = [...s.edges.values()]
    .map((e) => ({ from: e.from, to: e.to, calls: e.count, errors: e.errors, p50Ns: nearestRank(e.durations, 0.5), p99Ns: nearestRank(e.durations, 0.99) }))
    .sort((a, b) => byName(a.from, b.from) || byName(a.to, b.to));
  return { services: s.services, edges };
}

/** Spans, errors and p50/p99 of each operation (of one service, or all), by service then operation. */
export function operationStatsOf(s: ServiceMapSummary, service?: string): OperationStats[] {
  const out: OperationStats[] = [];
  for (const o of s.operations.values()) {
    if (service !== undefined && o.service !== service) continue;
    out.push({ service: o.service, operation: o.operation, spans: o.count, errors: o.errors, p50Ns: nearestRank(o.durations, 0.5), p99Ns: nearestRank(o.durations, 0.99) });
  }
  return out.sort((a, b) => byName(a.service, b.service) || byName(a.operation, b.operation));
}

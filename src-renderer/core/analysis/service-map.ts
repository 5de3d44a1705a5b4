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
import { EMPTY_CATALOG, type OperationCatalog } from './operations.ts';
import { groupName } from '../model/operation.ts';
import type { OwnerSource } from './ownership.ts';

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

/** A node of the map as shown and exported: its figures and who owns it. */
export interface MapNode extends ServiceNode {
  /** As the catalog or the spans' resource attributes write it (an entity reference keeps its prefix); null when nothing names one. */
  owner: string | null;
  ownerSource: OwnerSource | null;
}

export interface ServiceMap {
  services: MapNode[];
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
 * One trace's spans with their parents found and operations by op_id, as the store keeps them at
 * import (store/span-trees.ts): the summary is built from these without any span id.
 */
export interface ResolvedTrace {
  /** Index of the first span whose id is span i's parent id; negative when it names none or none has it. */
  parent: ArrayLike<number>;
  /** operations row (store/operations.ts), -1 when unknown. */
  opId: ArrayLike<number>;
  duration: ArrayLike<number>;
  isError(i: number): boolean;
  /** Raw name and service of span i, asked only where the op_id is unknown or its grouping undone. */
  raw(i: number): { name: string; service: string };
}

/**
 * Feed spans trace by trace (all spans of a trace before the next trace's), then finish(). The
 * node of a span is its service, or its peer (the database, cache or host it calls: '' for none)
 * when it called no other service; parents are found by span id within the trace (add), or come
 * found (addResolved, with operations named by the catalog). Nodes, operations and edges are
 * counted by number: a million spans cost no string key each.
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
  /** Node names by number, with their span and error counts. */
  private readonly nodeIds = new Map<string, number>();
  private readonly nodes: ServiceNode[] = [];
  /** (node, operation) by number, keyed by `node SEP operation`. */
  private readonly opIds = new Map<string, number>();
  private readonly ops: Durations[] = [];
  private readonly opNames: [string, string][] = [];
  /** Edges keyed by from · 2^21 + to (node numbers). */
  private readonly edges = new Map<number, Durations>();
  /** Per op_id of the catalog: node numbers of its service and its peer (-1: none), and its (node, operation) numbers through each. */
  private catalogNodes: { service: Int32Array; peer: Int32Array; viaService: Int32Array; viaPeer: Int32Array } | null = null;
  // Per-trace scratch, grown as needed.
  private svc = new Int32Array(64);
  private node = new Int32Array(64);
  private key = new Int32Array(64);
  private callsOther = new Uint8Array(64);

  constructor(private readonly catalog: OperationCatalog = EMPTY_CATALOG) {}

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

  private nodeId(name: string): number {
    let id = this.nodeIds.get(name);
    if (id === undefined) {
      id = this.nodes.push({ name, spans: 0, errors: 0 }) - 1;
      this.nodeIds.set(name, id);
    }
    return id;
  }

  private opKey(node: number, operation: string): number {
    const k = this.nodes[node].name + SEP + operation;
    let id = this.opIds.get(k);
    if (id === undefined) {
      id = this.ops.push(new Durations()) - 1;
      this.opIds.set(k, id);
      this.opNames.push([this.nodes[node].name, operation]);
    }
    return id;
  }

  private scratch(n: number): void {
    if (this.svc.length >= n) return;
    const m = Math.max(n, this.svc.length * 2);
    this.svc = new Int32Array(m);
    this.node = new Int32Array(m);
    this.key = new Int32Array(m);
    this.callsOther = new Uint8Array(m);
  }

  /** The trace held: each span's parent looked up by id (the first span of an id wins), its node, its edge. */
  private flush(): void {
    const n = this.ids.length;
    if (n === 0) return;
    const first = new Map<string, number>();
    for (let i = 0; i < n; i++) if (!first.has(this.ids[i])) first.set(this.ids[i], i);
    const parent = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = this.parents[i];
      parent[i] = p === null ? -1 : (first.get(p) ?? -1);
    }
    this.scratch(n);
    const { svc, callsOther, node, key } = this;
    for (let i = 0; i < n; i++) svc[i] = this.nodeId(this.serviceOf[i]);
    this.markCallsOther(n, parent);
    for (let i = 0; i < n; i++) {
      node[i] = this.peers[i] !== '' && callsOther[i] === 0 ? this.nodeId(this.peers[i]) : svc[i];
      key[i] = this.opKey(node[i], this.operations[i]);
    }
    this.count(n, parent, this.durations, (i) => this.errors[i]);
    this.ids = [];
    this.parents = [];
    this.serviceOf = [];
    this.peers = [];
    this.operations = [];
    this.durations = [];
    this.errors = [];
  }

  /** One trace whose parents are found and whose spans are named by op_id (see ResolvedTrace). */
  addResolved(t: ResolvedTrace): void {
    this.flush();
    this.traceKey = null;
    const n = t.opId.length;
    const c = this.catalog;
    const cn = (this.catalogNodes ??= this.numberCatalog());
    this.scratch(n);
    const { svc, callsOther, node, key } = this;
    for (let i = 0; i < n; i++) {
      const op = t.opId[i];
      svc[i] = op >= 0 && op < cn.service.length && cn.service[op] >= 0 ? cn.service[op] : this.nodeId(t.raw(i).service);
    }
    this.markCallsOther(n, t.parent);
    for (let i = 0; i < n; i++) {
      const op = t.opId[i];
      const known = op >= 0 && op < cn.service.length && cn.service[op] >= 0;
      const viaPeer = known && cn.peer[op] >= 0 && callsOther[i] === 0;
      node[i] = viaPeer ? cn.peer[op] : svc[i];
      if (!known) key[i] = this.opKey(node[i], groupName(t.raw(i).name));
      else if (c.ungrouped.has(op)) key[i] = this.opKey(node[i], t.raw(i).name);
      else {
        const cache = viaPeer ? cn.viaPeer : cn.viaService;
        if (cache[op] < 0) cache[op] = this.opKey(node[i], c.operation[op]);
        key[i] = cache[op];
      }
    }
    this.count(n, t.parent, t.duration, (i) => t.isError(i));
  }

  private numberCatalog() {
    const c = this.catalog;
    const m = c.operation.length;
    const out = { service: new Int32Array(m).fill(-1), peer: new Int32Array(m).fill(-1), viaService: new Int32Array(m).fill(-1), viaPeer: new Int32Array(m).fill(-1) };
    for (let op = 0; op < m; op++) {
      if (c.operation[op] === undefined) continue;
      out.service[op] = this.nodeId(c.service[op]);
      if (c.peer[op] !== '') out.peer[op] = this.nodeId(c.peer[op]);
    }
    return out;
  }

  /** callsOther[p] = 1 for each span p with a child of another service (svc holds service node numbers). */
  private markCallsOther(n: number, parent: ArrayLike<number>): void {
    const { svc, callsOther } = this;
    callsOther.fill(0, 0, n);
    for (let i = 0; i < n; i++) {
      const p = parent[i];
      if (p >= 0 && svc[p] !== svc[i]) callsOther[p] = 1;
    }
  }

  /** Add the trace's spans (node and key filled in) to the nodes, operations and edges. */
  private count(n: number, parent: ArrayLike<number>, durations: ArrayLike<number>, isError: (i: number) => boolean): void {
    const { node, key } = this;
    for (let i = 0; i < n; i++) {
      const err = isError(i);
      const s = this.nodes[node[i]];
      s.spans++;
      if (err) s.errors++;
      this.ops[key[i]].push(durations[i], err);
      const p = parent[i];
      if (p < 0 || node[p] === node[i]) continue;
      const ek = node[p] * EDGE_SHIFT + node[i];
      let e = this.edges.get(ek);
      if (!e) this.edges.set(ek, (e = new Durations()));
      e.push(durations[i], err);
    }
  }

  finish(): ServiceMapSummary {
    this.flush();
    const edges = new Map<string, DurationSummary & { from: string; to: string }>();
    for (const [k, d] of this.edges) {
      const from = this.nodes[Math.floor(k / EDGE_SHIFT)].name;
      const to = this.nodes[k % EDGE_SHIFT].name;
      edges.set(from + SEP + to, { from, to, count: d.n, errors: d.errors, durations: d.sorted() });
    }
    const operations = new Map<string, DurationSummary & { service: string; operation: string }>();
    this.ops.forEach((d, k) => {
      const [service, operation] = this.opNames[k];
      operations.set(service + SEP + operation, { service, operation, count: d.n, errors: d.errors, durations: d.sorted() });
    });
    // Nodes numbered for the catalog without spans of their own are left out.
    const services = this.nodes.filter((s) => s.spans > 0).map((s) => ({ ...s })).sort((a, b) => byName(a.name, b.name));
    return { services, edges, operations };
  }
}

/** Node numbers in an edge's key: room for 2^21 nodes. */
const EDGE_SHIFT = 2 ** 21;

/**
 * What the store keeps of the summary, added to at import trace by trace: durations per operation
 * row and node (`viaPeer`: the spans are their peer's, having called no other service) and per
 * edge between nodes. Kept by op_id rather than by name, so that it holds whatever the names; a
 * grouping the user undid splits an operation by raw names, which these cannot (the engine then
 * builds the summary from the spans' columns).
 */
export interface KeptOperation {
  opId: number;
  viaPeer: boolean;
  count: number;
  errors: number;
  /** Ascending. */
  durations: Float64Array;
}

export interface KeptEdge {
  from: string;
  to: string;
  count: number;
  errors: number;
  /** Ascending. */
  durations: Float64Array;
}

/** Parts of the kept summary for some traces (added at import, or taken away when a trace is rewritten). */
export class KeptMapParts {
  /** Keyed by op_id · 2 + viaPeer. */
  readonly ops = new Map<number, Durations>();
  /** Keyed by `from SEP to`. */
  readonly edges = new Map<string, Durations>();
  /** A span had no operation row: what is kept cannot stand for the data. */
  unknownOp = false;
  private callsOther = new Uint8Array(64);

  /** One trace: parents as the ids name them (negative for none), op_ids (named by `c`), durations, error flags. */
  addTrace(c: OperationCatalog, parent: ArrayLike<number>, opId: ArrayLike<number>, duration: ArrayLike<number>, isError: (i: number) => boolean): void {
    const n = opId.length;
    if (this.callsOther.length < n) this.callsOther = new Uint8Array(Math.max(n, this.callsOther.length * 2));
    const callsOther = this.callsOther;
    callsOther.fill(0, 0, n);
    for (let i = 0; i < n; i++) {
      const op = opId[i];
      if (op < 0 || c.operation[op] === undefined) {
        this.unknownOp = true;
        return;
      }
      const p = parent[i];
      if (p >= 0 && c.service[opId[p]] !== c.service[op]) callsOther[p] = 1;
    }
    const node = (i: number) => (c.peer[opId[i]] !== '' && callsOther[i] === 0 ? c.peer[opId[i]] : c.service[opId[i]]);
    for (let i = 0; i < n; i++) {
      const op = opId[i];
      const err = isError(i);
      const viaPeer = c.peer[op] !== '' && callsOther[i] === 0;
      const k = op * 2 + (viaPeer ? 1 : 0);
      let d = this.ops.get(k);
      if (!d) this.ops.set(k, (d = new Durations()));
      d.push(duration[i], err);
      const p = parent[i];
      if (p < 0) continue;
      const from = node(p);
      const to = viaPeer ? c.peer[op] : c.service[op];
      if (from === to) continue;
      const ek = from + SEP + to;
      let e = this.edges.get(ek);
      if (!e) this.edges.set(ek, (e = new Durations()));
      e.push(duration[i], err);
    }
  }

  operations(): KeptOperation[] {
    return [...this.ops].map(([k, d]) => ({ opId: Math.floor(k / 2), viaPeer: k % 2 === 1, count: d.n, errors: d.errors, durations: d.sorted() }));
  }

  edgeList(): KeptEdge[] {
    return [...this.edges].map(([k, d]) => {
      const at = k.indexOf(SEP);
      return { from: k.slice(0, at), to: k.slice(at + 1), count: d.n, errors: d.errors, durations: d.sorted() };
    });
  }
}

/** Two ascending lists as one. */
export function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** `a` without one occurrence of each value of `r` (both ascending), or null when some value of r is not in a. */
export function removeSorted(a: Float64Array, r: Float64Array): Float64Array | null {
  if (r.length === 0) return a;
  const out = new Float64Array(Math.max(0, a.length - r.length));
  let j = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (j < r.length && a[i] === r[j]) j++;
    else if (k < out.length) out[k++] = a[i];
  }
  return j === r.length ? out : null;
}

/** The summary from what the store kept (all operations named by the catalog, none ungrouped). */
export function summaryFromKept(ops: readonly KeptOperation[], edges: readonly KeptEdge[], catalog: OperationCatalog): ServiceMapSummary {
  const nodes = new Map<string, ServiceNode>();
  const operations = new Map<string, DurationSummary & { service: string; operation: string }>();
  for (const o of ops) {
    const node = o.viaPeer ? catalog.peer[o.opId] : catalog.service[o.opId];
    const operation = catalog.operation[o.opId];
    let s = nodes.get(node);
    if (!s) nodes.set(node, (s = { name: node, spans: 0, errors: 0 }));
    s.spans += o.count;
    s.errors += o.errors;
    const key = node + SEP + operation;
    const had = operations.get(key);
    if (had) operations.set(key, { ...had, count: had.count + o.count, errors: had.errors + o.errors, durations: mergeSorted(had.durations, o.durations) });
    else operations.set(key, { service: node, operation, count: o.count, errors: o.errors, durations: o.durations });
  }
  const edgeMap = new Map<string, DurationSummary & { from: string; to: string }>();
  for (const e of edges) edgeMap.set(e.from + SEP + e.to, { from: e.from, to: e.to, count: e.count, errors: e.errors, durations: e.durations });
  const services = [...nodes.values()].sort((a, b) => byName(a.name, b.name));
  return { services, edges: edgeMap, operations };
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The map as shown and exported: services by name, edges by (from, to). */
export function serviceMapOf(s: ServiceMapSummary): ServiceMap {
  const edges = [...s.edges.values()]
    .map((e) => ({ from: e.from, to: e.to, calls: e.count, errors: e.errors, p50Ns: nearestRank(e.durations, 0.5), p99Ns: nearestRank(e.durations, 0.99) }))
    .sort((a, b) => byName(a.from, b.from) || byName(a.to, b.to));
  return { services: s.services.map((n) => ({ ...n, owner: null, ownerSource: null })), edges };
}

/** The map with each node's owner from the ownership answer (ownership.ts mapOwnership); a node it does not name (a database, a host) keeps none. */
export function withOwners(map: ServiceMap, owners: readonly { service: string; owner: string | null; source: OwnerSource | null }[]): ServiceMap {
  const by = new Map(owners.map((o) => [o.service, o]));
  return { ...map, services: map.services.map((n) => ({ ...n, owner: by.get(n.name)?.owner ?? null, ownerSource: by.get(n.name)?.source ?? null })) };
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

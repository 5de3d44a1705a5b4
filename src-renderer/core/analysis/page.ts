// Who to page: the owners of the services where the window's failures began and where its
// critical paths grew. A failing request counts for the node its error path's root cause is on
// (core/analysis/error-origins.ts, as the root causes count it); added critical-path time is the
// window's critical-path time per node minus what the same requests would have spent there at
// the rate of the window before (per request of each entry operation). A node without an owner of
// its own (a database, cache or host reached by client spans) is paged through the service that
// called it.
//
//   owner           service     failing  added critical path   via
//   team-payments   payment     25       +31.2 s
//   team-data       postgresql  4        +2.1 s                called by checkout

import type { OwnershipView, ServiceOwnership } from './ownership.ts';
import type { CatalogLink } from '../model/catalog.ts';

/** A failing request, by the node it failed on and the service whose span that is. */
export interface PageFailure {
  traceId: string;
  node: string;
  /** The service of the root-cause span (the caller, when the node is a peer it called). */
  service: string;
}

export interface PageRow {
  /** As written in the catalog or attribute; null when nobody owns the node or its caller. */
  owner: string | null;
  /** The node: a service, or the database, cache or host its spans call. */
  service: string;
  failingTraces: number;
  /** Critical-path ns the window added on this node against the window before (negative: saved). */
  addedCriticalPathNs: number;
  /** The service whose owner is paged for a node without an owner of its own. */
  via: string | null;
  onCall: string | null;
  chat: string | null;
  pagerDuty: string | null;
  runbook: CatalogLink | null;
  /** Up to three failing traces, the first seen. */
  traceIds: string[];
}

const EXAMPLES = 3;

/** Who owns a node: its own row, else that of the service that called it. */
export function nodeOwner(view: OwnershipView, node: string, caller: string | null): { row: ServiceOwnership | null; via: string | null } {
  const own = view.services.find((s) => s.service === node) ?? null;
  if (own?.owner || caller === null || caller === node) return { row: own, via: null };
  const up = view.services.find((s) => s.service === caller) ?? null;
  return up?.owner ? { row: up, via: caller } : { row: own, via: null };
}

/**
 * Rows per node with failures or added time, most failing traces first, then most time added.
 * `added` is per node; `callers` names a calling service for nodes that only appear there.
 */
export function rankPage(view: OwnershipView, failures: readonly PageFailure[], added: ReadonlyMap<string, number>, callers: ReadonlyMap<string, string>): PageRow[] {
  const rows = new Map<string, PageRow & { seen: Set<string> }>();
  const rowOf = (node: string, caller: string | null) => {
    let r = rows.get(node);
    if (!r) {
      const { row, via } = nodeOwner(view, node, caller);
      r = {
        owner: row?.owner ?? null, service: node, failingTraces: 0, addedCriticalPathNs: 0, via, onCall: row?.onCall ?? null, chat: row?.chat ?? null,
        pagerDuty: row?.pagerDuty ?? null, runbook: row?.runbook ?? null, traceIds: [], seen: new Set(),
      };
      rows.set(node, r);
    }
    return r;
  };
  for (const f of failures) {
    const r = rowOf(f.node, f.service);
    if (r.seen.has(f.traceId)) continue;
    r.seen.add(f.traceId);
    r.failingTraces++;
    if (r.traceIds.length < EXAMPLES) r.traceIds.push(f.traceId);
  }
  for (const [node, ns] of added) {
    if (ns <= 0 && !rows.has(node)) continue;
    rowOf(node, callers.get(node) ?? null).addedCriticalPathNs = ns;
  }
  return [...rows.values()]
    .map(({ seen: _, ...r }) => r)
    .sort((a, b) => b.failingTraces - a.failingTraces || b.addedCriticalPathNs - a.addedCriticalPathNs || a.service.localeCompare(b.service));
}

/** Critical-path ns per node added in a window: its time there minus its requests' time at the earlier rate. */
export function addedNs(during: { traces: number; byService: readonly { service: string; ns: number }[] }, before: { traces: number; byService: readonly { service: string; ns: number }[] }): Map<string, number> {
  const out = new Map<string, number>();
  if (during.traces === 0 || before.traces === 0) return out;
  for (const r of during.byService) out.set(r.service, r.ns);
  for (const r of before.byService) out.set(r.service, (out.get(r.service) ?? 0) - Math.round((r.ns / before.traces) * during.traces));
  return out;
}

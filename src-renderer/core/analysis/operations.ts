// A span's operation and node as every aggregate sees them: the operation stored at import
// (core/model/operation.ts, by op_id) with the user's undone groupings applied and, for HTTP
// client spans named only by their method, the route of the server span they called; and the node,
// which is the span's service unless the span is a call out to something with no spans of its own
// (a database, a cache, a queue, an uninstrumented host), which is then a node of its own:
//
//   checkout  POST /order              node checkout
//   checkout    pg INSERT INTO orders  node postgresql   (db.system, no span below from elsewhere)
//   checkout    POST  → payment        node checkout     (the payment service's server span is below)
//   checkout    GET api.example.com    node api.example.com (server.address, nothing below)
//
// One function per fact: nodeOf / operationOf for one span (with its children), and
// spanOperations for a whole trace in columns. Iterative, linear in the spans.

import { groupName, methodOnlyName, peerOf, spanOperation, type OperationRule, type OperationSpan } from '../model/operation.ts';
import type { SpanKind } from '../model/trace.ts';

/** The workspace's operations by op_id, and the user's choices (store/operations.ts reads it). */
export interface OperationCatalog {
  /** Per op_id (index); holes for ids not in use. */
  service: readonly string[];
  operation: readonly string[];
  peer: readonly string[];
  rule: readonly OperationRule[];
  /** op_ids whose grouping the user undid: their spans go by their raw names. */
  ungrouped: ReadonlySet<number>;
}

export const EMPTY_CATALOG: OperationCatalog = { service: [], operation: [], peer: [], rule: [], ungrouped: new Set() };

/** The node a span belongs to: its peer when it calls out to something without spans of its own, else its service. */
export function nodeOf(span: { service: string; kind: SpanKind; attributes: OperationSpan['attributes'] }, children: readonly { service: string }[] = []): string {
  return nodeName(span.service, peerOf(span), children.some((c) => c.service !== span.service));
}

/**
 * The rule itself, for callers that hold columns: a span with a peer (its stored one, core/model/operation.ts
 * peerOf) is that peer's node unless it called a service with spans of its own (`callsOtherService`:
 * some child span of another service), which is then the callee, and the span stays its service's.
 */
export function nodeName(service: string, peer: string, callsOtherService: boolean): string {
  return peer !== '' && !callsOtherService ? peer : service;
}

/**
 * A span's operation: its grouped name (or its raw name when `ungrouped`), and for an HTTP client
 * span named only by its method, the route of the server span it called when that is among its children.
 */
export function operationOf(span: OperationSpan, children: readonly OperationSpan[] = [], ungrouped = false): string {
  if (ungrouped) return span.name;
  const own = spanOperation(span);
  if (own.rule !== 'http-client') return own.operation;
  for (const c of children) {
    if (c.kind !== 'server') continue;
    const callee = spanOperation(c);
    if (callee.rule === 'http-route') return calleeOperation(own.operation, callee.operation);
  }
  return own.operation;
}

/** `POST` + the callee's `POST /authorize` → `POST /authorize` (the caller's method, the callee's route). */
function calleeOperation(own: string, callee: string): string {
  const method = own.split(' ', 1)[0];
  const k = callee.indexOf(' ');
  const route = k >= 0 && methodOnlyName(callee.slice(0, k)) !== '' ? callee.slice(k + 1) : callee;
  return `${method} ${route}`;
}

/** The columns spanOperations reads. */
export interface OperationColumns {
  /** op_id per span; -1 (or a hole in the catalog) when unknown: the name is then grouped here. */
  opId: ArrayLike<number>;
  name: readonly string[];
  service: readonly string[];
  kind: readonly SpanKind[];
}

/** Each span's operation and node, for a trace whose tree (children lists) is given. */
export function spanOperations(
  cols: OperationColumns,
  tree: { childStart: ArrayLike<number>; childList: ArrayLike<number> },
  catalog: OperationCatalog,
): { operation: string[]; node: string[] } {
  const n = cols.name.length;
  const operation = new Array<string>(n);
  const node = new Array<string>(n);
  const { opId, name, service, kind } = cols;
  for (let i = 0; i < n; i++) {
    const id = opId[i];
    const known = id >= 0 && catalog.operation[id] !== undefined;
    operation[i] = !known ? groupName(name[i]) : catalog.ungrouped.has(id) ? name[i] : catalog.operation[id];
    const peer = known ? catalog.peer[id] : '';
    let calledInstrumented = false;
    if (peer !== '' || (known && catalog.rule[id] === 'http-client')) {
      for (let c = tree.childStart[i]; c < tree.childStart[i + 1]; c++) {
        const j = tree.childList[c];
        if (service[j] !== service[i]) calledInstrumented = true;
        const cid = opId[j];
        if (known && catalog.rule[id] === 'http-client' && !catalog.ungrouped.has(id) && kind[j] === 'server' && cid >= 0 && catalog.rule[cid] === 'http-route') {
          operation[i] = calleeOperation(catalog.operation[id], catalog.ungrouped.has(cid) ? name[j] : catalog.operation[cid]);
        }
      }
    }
    node[i] = nodeName(service[i], peer, calledInstrumented);
  }
  return { operation, node };
}

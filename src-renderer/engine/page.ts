// Who to page for a window of time (core/analysis/page.ts ranks): the failing
// requests by the node their error path started on (the root causes' own items), the critical-path
// time each node added against the window just before of the same length (the aggregate of every
// entry operation's requests in each window), and the owners of those nodes from the ownership
// request. The Owners screen and `tracedeck owners --from --to` read this.

import type { Store } from '../store/store.ts';
import { entryChoices } from '../store/cohort-spans.ts';
import { peerCallers } from '../store/operations.ts';
import { dataTimeRange } from '../store/slo-queries.ts';
import { AggregateJob } from './aggregate.ts';
import { ownershipView } from './ownership.ts';
import { rootCauseItems } from './root-causes.ts';
import { addedNs, rankPage, type PageRow } from '../core/analysis/page.ts';
import type { CohortAggregate } from '../core/analysis/aggregate.ts';
import type { PageRequest, PageView } from './wire/page.ts';
import type { RootCauseItem } from '../core/analysis/root-causes.ts';

/** The critical path of every entry operation's requests in [fromNs, toNs) against those in the window before. */
function addedCriticalPath(store: Store, fromNs: bigint, toNs: bigint): Map<string, number> {
  const beforeNs = fromNs - (toNs - fromNs);
  const total = new Map<string, number>();
  const noSearch = (): number[] => {
    throw new Error('who to page runs no trace search');
  };
  let job = 0;
  for (const e of entryChoices(store)) {
    const run = new AggregateJob(store, ++job, {
      entry: { service: e.service, operation: e.operation },
      cohort: { kind: 'window', fromNs: fromNs.toString(), toNs: toNs.toString() },
      vs: { kind: 'window', fromNs: beforeNs.toString(), toNs: fromNs.toString() },
    }, noSearch);
    let p = run.step(Infinity);
    while (!p.reply) p = run.step(Infinity);
    const { a, b } = p.reply;
    for (const [node, ns] of addedNs(a as CohortAggregate, b as CohortAggregate)) total.set(node, (total.get(node) ?? 0) + ns);
  }
  return total;
}

/** The ranked rows for [fromNs, toNs], with the failing requests' items and the time added (compared only when `windowed`). */
export function pageRows(store: Store, fromNs: string, toNs: string, windowed: boolean): { failing: number; items: RootCauseItem[]; added: Map<string, number>; rows: PageRow[] } {
  const { failing, items } = rootCauseItems(store, { fromNs, toNs });
  const added = windowed ? addedCriticalPath(store, BigInt(fromNs), BigInt(toNs)) : new Map<string, number>();
  const rows = rankPage(ownershipView(store), items.map((i) => ({ traceId: i.traceId, node: i.node, service: i.spanService ?? i.node })), added, peerCallers(store));
  return { failing, items, added, rows };
}

export function pageView(store: Store, request: PageRequest): PageView {
  const t0 = performance.now();
  const range = dataTimeRange(store);
  const fromNs = request.fromNs ?? range?.startNs.toString() ?? '0';
  const toNs = request.toNs ?? range?.endNs.toString() ?? '0';
  if (BigInt(toNs) <= BigInt(fromNs)) throw new Error('who to page needs a window whose end is after its start');
  // Without a window asked for, the whole data has no window before it to compare with.
  const windowed = request.fromNs !== undefined && request.toNs !== undefined;
  const { failing, rows } = pageRows(store, fromNs, toNs, windowed);
  return {
    fromNs, toNs, beforeFromNs: windowed ? (BigInt(fromNs) - (BigInt(toNs) - BigInt(fromNs))).toString() : null,
    failing, rows, timingsMs: performance.now() - t0,
  };
}

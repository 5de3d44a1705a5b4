// The aggregate critical path and the cohort diff over the generated incident, through the engine
// client as the app and the command line run them (bounded steps of 50 ms, progress after each).
// Wall time from the first request to the reply, the number of steps, and where the engine spent
// it (choosing the requests, reading the chunks of traces, computing).

import type { Store } from '../../src-renderer/store/store.ts';
import { localClient } from '../../src-renderer/engine/local.ts';
import { describeCohort, type Cohort } from '../../src-renderer/core/analysis/cohort.ts';
import type { AggregateRequest } from '../../src-renderer/engine/wire/aggregate.ts';

export async function runAggregateBench(store: Store, report: (what: string, figure: string) => void): Promise<void> {
  const client = localClient(store);
  await client.ready;
  const totals = await client.call('totals');
  const [top] = await client.call('aggregateEntries');
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const slowest: Cohort = { kind: 'slowest', percent: 1 };
  const runs: [string, AggregateRequest][] = [
    [`all requests of the root service (${top.service})`, { entry: { service: top.service, operation: null }, cohort: { kind: 'all' } }],
    [`${top.service} ${top.operation}, all`, { entry: { service: top.service, operation: top.operation }, cohort: { kind: 'all' } }],
    [`${top.service} ${top.operation}, slowest 1 % vs the rest (diff)`, { entry: { service: top.service, operation: top.operation }, cohort: slowest, vs: { kind: 'not', of: slowest } }],
  ];
  for (const [what, request] of runs) {
    let steps = 0;
    const t0 = performance.now();
    const reply = (await client.runAggregate(request, () => steps++).done)!;
    const ms = performance.now() - t0;
    const t = reply.timingsMs;
    const sides = reply.b ? `${fmt(reply.a.traces)} (${describeCohort(reply.a.cohort)}) + ${fmt(reply.b.traces)}` : fmt(reply.a.traces);
    report(
      `aggregate critical path, ${what}`,
      `${fmt(ms)} ms for ${sides} traces of ${fmt(totals.traces)} (${fmt(totals.spans)} spans), ${steps} progress reports; ` +
        `select ${fmt(t.select)} ms, read ${fmt(t.read)} ms, compute ${fmt(t.compute)} ms`,
    );
  }
  const t0 = performance.now();
  const bubble = await client.call('bubbleUp', runs[2][1]);
  report(
    `attribute comparison, ${top.service} ${top.operation}, slowest 1 % vs the rest`,
    `${fmt(performance.now() - t0)} ms (${fmt(bubble.cohort.sampled)} of ${fmt(bubble.cohort.traces)} and ${fmt(bubble.baseline.sampled)} of ${fmt(bubble.baseline.traces)} traces read)`,
  );
  client.close();
}

// The span search index (store/span-index.ts) is built in steps between the engine's requests.
// A step indexes batches of span rows until its time budget is spent; each batch is sized from
// the time the batches before it took per row, so a step ends near its budget whatever the spans
// hold (a few attributes or hundreds, events or none) and however busy the machine is, instead of
// running a fixed batch that may take ten times the budget.

import type { Store } from '../store/store.ts';
import { buildSpanIndexBatch, spanIndexProgress, type SpanIndexProgress } from '../store/span-index.ts';

export { spanIndexProgress, type SpanIndexProgress };

/** The first batch of a store, before anything is measured: small enough for any spans. */
const FIRST_BATCH = 200;
/** A step runs at least one batch of at least this many rows, so that it always gets on. */
const MIN_BATCH = 16;
const MAX_BATCH = 50_000;
/** Batches are sized to fill this share of what is left of the budget: a batch may cost more than the last. */
const FILL = 0.7;

/** What indexing one span row cost lately (ms), per store. */
const msPerRow = new WeakMap<Store, number>();

export function spanIndexStep(store: Store, budgetMs = 40): SpanIndexProgress {
  const t0 = performance.now();
  for (let first = true; ; first = false) {
    const left = budgetMs - (performance.now() - t0);
    const cost = msPerRow.get(store);
    const fits = cost === undefined ? FIRST_BATCH : Math.floor((left * FILL) / cost);
    if (!first && fits < MIN_BATCH) break;
    const rows = Math.min(MAX_BATCH, Math.max(MIN_BATCH, fits));
    const b0 = performance.now();
    const more = buildSpanIndexBatch(store, rows);
    const measured = (performance.now() - b0) / rows;
    // Half the last batch, half the ones before: follows a change in the spans within a few batches.
    msPerRow.set(store, cost === undefined ? measured : (cost + measured) / 2);
    if (!more) break;
  }
  return spanIndexProgress(store);
}

// The span search index (store/span-index.ts) is built in steps between the engine's requests.
// A step indexes batches of span rows until its time budget is spent; each batch is sized from
// the time the batches before it took per row, so a step ends near its budget whatever the spans
// hold (a few attributes or hundreds, events or none) and however busy the machine is, instead of
// running a fixed batch that may take ten times the budget.
//
// The index takes memory beside the workspace (about a fifth of what its spans take), and both live
// in the one WebAssembly memory: it is built only while the workspace and the whole index stay under
// the budget's warning mark (STORE_BUDGET.warnBytes), and dropped when they would not, or before an
// import into a workspace that has come that near full. Searches then read every span, as they do
// while it is built: slower, never different.

import { STORE_BUDGET, type Store } from '../store/store.ts';
import { buildSpanIndexBatch, spanIndexProgress as progressOf, spanIndexBytes, spanIndexFullBytes, dropSpanIndex, type SpanIndexProgress as Progress } from '../store/span-index.ts';

export interface SpanIndexProgress extends Progress {
  /** Left out (done, not built): the workspace is too near its memory budget for it. */
  skipped: boolean;
}

/** The stores whose index was left out for room, until it fits again. */
const skipped = new WeakSet<Store>();

export function spanIndexProgress(store: Store): SpanIndexProgress {
  const p = progressOf(store);
  return skipped.has(store) ? { ...p, done: true, skipped: true } : { ...p, skipped: false };
}

function indexFits(store: Store): boolean {
  return store.sizeBytes() + spanIndexFullBytes(store) <= STORE_BUDGET.warnBytes;
}

/** Leave the index out, giving back its memory, when it would not fit. Returns whether it fits. */
function keepIndexIfItFits(store: Store): boolean {
  if (indexFits(store)) {
    skipped.delete(store);
    return true;
  }
  dropSpanIndex(store);
  skipped.add(store);
  return false;
}

/** Before an import: an index the workspace has no room for gives its memory to the rows to come. */
export function makeRoomForImport(store: Store): void {
  if (spanIndexBytes(store) > 0) keepIndexIfItFits(store);
}

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
  if (!keepIndexIfItFits(store)) return spanIndexProgress(store);
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

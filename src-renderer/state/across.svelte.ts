// The Across traces screen's state: the entry operation and cohorts chosen, the aggregate critical
// path (and diff) as it computes in bounded steps with its progress, and the attribute comparison.
// Cohorts are written as the command line writes them (`slowest:1%`, `band:50-75`, `errors`,
// `from:T,to:T`) and read by the same parser. One instance per workspace, so the figures survive
// switching screens.

import type { Workspace } from './workspace.svelte.ts';
import { parseCohort, type Cohort } from '../core/analysis/cohort.ts';
import type { AggregateReply, BubbleUpReply, EntryChoice } from '../engine/wire/aggregate.ts';
import { perWorkspace } from './per-workspace.svelte.ts';

export type { AggregateReply, BubbleUpReply, CohortResult, EntryChoice } from '../engine/wire/aggregate.ts';

/** Cohorts offered in the pickers, as written on the command line; anything else is typed. */
export const COHORT_PRESETS: readonly string[] = ['all', 'slowest:1%', 'slowest:5%', 'band:0-50', 'band:50-75', 'band:75-95', 'band:95-100', 'errors'];

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class AcrossState {
  entries = $state.raw<EntryChoice[]>([]);
  /** The entry operations have been asked for the data as it is (until then, none are known). */
  entriesRead = $state(false);
  /** The entry operation: index into entries. */
  entryIndex = $state(0);
  cohortText = $state('slowest:5%');
  /** '' for no comparison; 'rest' for the requests the cohort leaves out. */
  vsText = $state('rest');
  running = $state(false);
  progress = $state.raw<{ done: number; total: number } | null>(null);
  reply = $state.raw<AggregateReply | null>(null);
  bubble = $state.raw<BubbleUpReply | null>(null);
  error = $state<string | null>(null);
  entry = $derived(this.entries[this.entryIndex] ?? null);

  private seenVersion = -1;
  private ticket = 0;
  private cancelRunning: (() => void) | null = null;

  constructor(readonly ws: Workspace) {}

  /** When the screen shows and whenever the data changes: fresh entry operations, fresh figures. */
  async refresh(): Promise<void> {
    if (this.seenVersion === this.ws.version) return;
    this.seenVersion = this.ws.version;
    const keep = this.entry;
    try {
      this.entries = await this.ws.engine.call('aggregateEntries');
    } catch (e) {
      this.error = message(e);
      return;
    } finally {
      this.entriesRead = true;
    }
    const again = keep ? this.entries.findIndex((e) => e.service === keep.service && e.operation === keep.operation) : -1;
    this.entryIndex = again >= 0 ? again : 0;
    if (this.entries.length > 0) await this.run();
  }

  /**
   * The traces a search finds, against the rest (the trace list's "Aggregate these"): the cohort
   * `search:QUERY` under the entry operation given (the first trace's root), or the one chosen.
   */
  async aggregateSearch(query: string, entry: { service: string; operation: string } | null): Promise<void> {
    this.cohortText = `search:${query}`;
    this.vsText = 'rest';
    const version = this.seenVersion;
    await this.refresh();
    const i = entry ? this.entries.findIndex((e) => e.service === entry.service && e.operation === entry.operation) : -1;
    // A refresh with new data ran the aggregate already, unless another entry is to be chosen.
    if (i >= 0 && i !== this.entryIndex) this.entryIndex = i;
    else if (version !== this.seenVersion) return;
    await this.run();
  }

  /** The cohorts as the inputs say, or a message naming what could not be read. */
  cohorts(): { cohort: Cohort; vs: Cohort | null } | string {
    try {
      const cohort = parseCohort(this.cohortText);
      return { cohort, vs: this.vsText.trim() === '' ? null : parseCohort(this.vsText, cohort) };
    } catch (e) {
      return message(e);
    }
  }

  /** Compute the aggregate (and diff) for the choices made, then the attribute comparison. */
  async run(): Promise<void> {
    const entry = this.entry;
    const c = this.cohorts();
    if (!entry) return;
    if (typeof c === 'string') {
      this.error = c;
      return;
    }
    this.cancelRunning?.();
    const ticket = ++this.ticket;
    this.error = null;
    this.running = true;
    this.progress = null;
    this.bubble = null;
    const request = { entry: { service: entry.service, operation: entry.operation }, cohort: c.cohort, vs: c.vs };
    const handle = this.ws.engine.runAggregate(request, (p) => {
      if (ticket === this.ticket) this.progress = { done: p.done, total: p.total };
    });
    this.cancelRunning = () => handle.cancel();
    try {
      const reply = await handle.done;
      if (ticket !== this.ticket || !reply) return;
      this.reply = reply;
      this.running = false;
      const bubble = await this.ws.engine.call('bubbleUp', request);
      if (ticket === this.ticket) this.bubble = bubble;
    } catch (e) {
      if (ticket === this.ticket) this.error = message(e);
    } finally {
      if (ticket === this.ticket) {
        this.running = false;
        this.cancelRunning = null;
      }
    }
  }

  cancel(): void {
    this.cancelRunning?.();
    this.ticket++;
    this.running = false;
    this.cancelRunning = null;
  }
}

export const acrossStateFor = perWorkspace((ws) => new AcrossState(ws));

// The Failures screen's state: the common root causes of the failing requests of a cohort (every
// trace, or one operation's requests), asked of the engine's rootCauses request. One instance per
// workspace, so the cohort chosen survives switching screens.

import type { Workspace } from './workspace.svelte.ts';
import { timeWindowArg } from '../core/base/time.ts';
import type { RootCauseFilter, RootCausesView } from '../engine/wire/root-causes.ts';
import type { SloServiceOperations } from '../store/slo-view-queries.ts';

export type { RootCausesView } from '../engine/wire/root-causes.ts';

export class FailuresState {
  /** The cohort: '' for every trace's root, else an operation as `service\u0000operation`. */
  cohort = $state('');
  /** The time window, as typed (RFC 3339 or epoch ns; '' for open): traces starting in it. */
  from = $state('');
  to = $state('');
  view = $state.raw<RootCausesView | null>(null);
  operations = $state.raw<SloServiceOperations[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);

  private ticket = 0;
  private seen = '';

  constructor(readonly ws: Workspace) {}

  /** Called when the screen shows and when the data changes: the answer for the data as it is now. */
  async refresh(): Promise<void> {
    const key = `${this.ws.version}\u0001${this.cohort}\u0001${this.from}\u0001${this.to}`;
    if (key === this.seen) return;
    this.seen = key;
    const ticket = ++this.ticket;
    let filter: RootCauseFilter;
    try {
      filter = this.filter();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    this.loading = true;
    try {
      const [view, operations] = await Promise.all([this.ws.engine.call('rootCauses', filter), this.ws.engine.call('sloOperations')]);
      if (ticket !== this.ticket) return;
      this.view = view;
      this.operations = operations;
      this.error = null;
    } catch (e) {
      if (ticket === this.ticket) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (ticket === this.ticket) this.loading = false;
    }
  }

  choose(cohort: string): void {
    this.cohort = cohort;
    void this.refresh();
  }

  /** A time window typed by the user; '' leaves that side open. */
  window(from: string, to: string): void {
    this.from = from.trim();
    this.to = to.trim();
    void this.refresh();
  }

  private filter(): RootCauseFilter {
    const window = { fromNs: timeWindowArg('from', this.from), toNs: timeWindowArg('to', this.to) };
    if (this.cohort === '') return window;
    const [service, operation] = this.cohort.split('\u0000');
    return { service, operation, ...window };
  }
}

const states = new WeakMap<Workspace, FailuresState>();

export function failuresStateFor(ws: Workspace): FailuresState {
  let s = states.get(ws);
  if (!s) states.set(ws, (s = new FailuresState(ws)));
  return s;
}

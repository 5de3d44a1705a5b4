// Who to page for a window (the engine's page request): the window typed as RFC 3339 or epoch ns,
// the ranked owners, asked again when the data or the window changes. One instance per workspace.

import type { Workspace } from './workspace.svelte.ts';
import { timeWindowArg } from '../core/base/time.ts';
import type { PageRequest, PageView } from '../engine/wire/page.ts';

export type { PageView, PageRow } from '../engine/wire/page.ts';

export class PageState {
  from = $state('');
  to = $state('');
  view = $state.raw<PageView | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);

  private ticket = 0;
  private seen = '';

  constructor(readonly ws: Workspace) {}

  async refresh(): Promise<void> {
    const key = `${this.ws.version}\u0001${this.from}\u0001${this.to}`;
    if (key === this.seen) return;
    this.seen = key;
    const ticket = ++this.ticket;
    let request: PageRequest;
    try {
      request = { fromNs: timeWindowArg('from', this.from), toNs: timeWindowArg('to', this.to) };
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    this.loading = true;
    try {
      const view = await this.ws.engine.call('whoToPage', request);
      if (ticket !== this.ticket) return;
      this.view = view;
      this.error = null;
    } catch (e) {
      if (ticket === this.ticket) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (ticket === this.ticket) this.loading = false;
    }
  }

  /** A window typed by the user; '' leaves that side open (no comparison with the window before). */
  window(from: string, to: string): void {
    this.from = from.trim();
    this.to = to.trim();
    void this.refresh();
  }
}

const states = new WeakMap<Workspace, PageState>();

export function pageStateFor(ws: Workspace): PageState {
  let s = states.get(ws);
  if (!s) states.set(ws, (s = new PageState(ws)));
  return s;
}

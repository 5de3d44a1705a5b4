// Who owns each service, for every screen that shows services: the engine's ownership answer
// (catalog entries mapped onto the traces, see core/analysis/ownership.ts), fetched again when
// the data changes, and the aliases the user sets. One instance per workspace.

import type { Workspace } from './workspace.svelte.ts';
import type { OwnershipView, ServiceOwnership } from '../core/analysis/ownership.ts';
import { perWorkspace } from './per-workspace.svelte.ts';
import { ownerName } from '../core/model/catalog.ts';

export type { OwnershipView, ServiceOwnership } from '../core/analysis/ownership.ts';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class OwnershipState {
  view = $state.raw<OwnershipView | null>(null);
  error = $state<string | null>(null);
  /** service → its row, for owners shown beside services. */
  byService = $derived(new Map((this.view?.services ?? []).map((s) => [s.service, s])));
  /** service → its owner as people read it, made once per answer for views that label many rows (the waterfall). */
  names = $derived(new Map((this.view?.services ?? []).flatMap((s) => (s.owner ? [[s.service, ownerName(s.owner)] as const] : []))));

  private seenVersion = -1;
  private ticket = 0;

  constructor(readonly ws: Workspace) {}

  /** Called when a screen that shows owners appears, and whenever the data changes. */
  async refresh(): Promise<void> {
    if (this.seenVersion === this.ws.version) return;
    this.seenVersion = this.ws.version;
    const t = ++this.ticket;
    try {
      const v = await this.ws.engine.call('ownership');
      if (t === this.ticket) this.view = v;
    } catch (e) {
      this.error = message(e);
    }
  }

  of(service: string): ServiceOwnership | null {
    return this.byService.get(service) ?? null;
  }

  /** Map a trace service to a catalog entry (null removes the mapping). */
  async setAlias(service: string, entry: string | null): Promise<void> {
    const t = ++this.ticket;
    try {
      const v = await this.ws.engine.call('setServiceAlias', service, entry);
      this.ws.changed();
      if (t === this.ticket) this.view = v;
      this.error = null;
    } catch (e) {
      this.error = message(e);
    }
  }

  /** The catalog as Backstage YAML with the calls seen in the traces as dependsOn, saved where the user says. */
  async exportCatalog(): Promise<void> {
    try {
      const text = await this.ws.engine.call('catalogYaml');
      await this.ws.host.saveFile('catalog-info.yaml', new TextEncoder().encode(text));
    } catch (e) {
      this.error = message(e);
    }
  }
}

export const ownershipFor = perWorkspace((ws) => new OwnershipState(ws));

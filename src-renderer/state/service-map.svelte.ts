// The service map screen's state: the map (asked of the engine when the data changes), its
// layout, and where a click leads: a node to its traces, logs or SLOs, an edge to the calls it
// counts (the trace list's search, in the route), or the map written out as Mermaid, DOT or JSON.

import type { Workspace } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';
import type { ServiceMap, ServiceEdge } from '../core/analysis/service-map.ts';
import { layoutServiceMap, type MapLayout } from '../core/analysis/service-map-layout.ts';
import { edgeLabel, serviceMapMermaid, serviceMapDot, serviceMapJson } from '../core/analysis/service-map-export.ts';
import { formatTerm, type TermBody } from '../core/analysis/trace-query.ts';

export class ServiceMapState {
  map = $state.raw<ServiceMap | null>(null);
  layout = $state.raw<MapLayout | null>(null);
  failure = $state<string | null>(null);
  loading = $state(false);
  /** The service picked on the map: its traces, logs and SLOs are a click away. */
  picked = $state<string | null>(null);
  private ticket = 0;

  constructor(
    readonly ws: Workspace,
    private readonly nav: Navigation,
  ) {}

  /**
   * Ask for the map when the screen shows and when the data changes. The engine keeps the map
   * itself; what it adds per request are the owners, which a catalog entry or an alias set on the
   * Owners screen changes without changing the data.
   */
  async sync(): Promise<void> {
    const ticket = ++this.ticket;
    this.loading = true;
    try {
      const map = await this.ws.engine.call('serviceMap');
      if (ticket !== this.ticket) return;
      this.map = map;
      this.layout = layoutServiceMap(map, edgeLabel);
      this.failure = null;
    } catch (e) {
      this.failure = (e as Error).message;
    } finally {
      if (ticket === this.ticket) this.loading = false;
    }
  }

  private search(terms: TermBody[]): void {
    this.nav.set('traces', { q: terms.map((t) => formatTerm(t)).join(' ') });
    this.nav.go('traces');
  }

  /** The traces with a span in this service. */
  showService(name: string): void {
    this.search([{ kind: 'field', field: 'service', op: '=', value: name }]);
  }

  /** The log lines of this service (the log screen's service filter). */
  showServiceLogs(name: string): void {
    this.nav.go('logs', { svc: name });
  }

  /** The SLOs defined on this service. */
  showServiceSlos(name: string): void {
    this.nav.go('slos', { svc: name });
  }

  /** The traces with a call along this edge: a span of `to` whose parent is in `from`. */
  showEdge(e: ServiceEdge): void {
    this.search([
      { kind: 'field', field: 'service', op: '=', value: e.to },
      { kind: 'field', field: 'parent.service', op: '=', value: e.from },
    ]);
  }

  async export(format: 'mermaid' | 'dot' | 'json'): Promise<void> {
    if (!this.map) return;
    const text = format === 'mermaid' ? serviceMapMermaid(this.map) : format === 'dot' ? serviceMapDot(this.map) : serviceMapJson(this.map) + '\n';
    const ext = format === 'mermaid' ? 'mmd' : format === 'dot' ? 'dot' : 'json';
    await this.ws.host.saveFile(`service-map.${ext}`, new TextEncoder().encode(text));
  }
}

const maps = new WeakMap<Workspace, ServiceMapState>();

export function serviceMapOf(ws: Workspace, nav: Navigation): ServiceMapState {
  let m = maps.get(ws);
  if (!m) maps.set(ws, (m = new ServiceMapState(ws, nav)));
  return m;
}

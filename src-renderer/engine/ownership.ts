// Ownership requests: who owns each loaded service (the catalog mapped onto the traces), the
// aliases the user sets, and the catalog written back with the observed dependencies. The
// catalog screen, the owners shown beside services, the SLO budgets and `tracedeck owners` all
// read ownershipView; nothing else maps services to owners.

import type { Store } from '../store/store.ts';
import { stringify } from 'yaml';
import { catalogEntries, catalogAliases, observedPeers, observedServices, setCatalogAlias } from '../store/catalog.ts';
import { serviceOwners } from '../store/slo-queries.ts';
import { mapOwnership, observedDependsOn, ownerMap, type OwnershipView } from '../core/analysis/ownership.ts';
import type { CatalogEntry } from '../core/model/catalog.ts';

/**
 * Services with spans, then the map's peer nodes (databases, caches, hosts) that are not one: a
 * peer is owned like a service when the catalog or an alias names it, else it is unowned.
 */
export function ownershipView(store: Store): OwnershipView {
  const services = observedServices(store);
  const named = new Set(services.map((s) => s.service));
  const peers = observedPeers(store).filter((p) => !named.has(p.service)).map((p) => ({ ...p, peer: true }));
  return mapOwnership({ services: [...services, ...peers], entries: catalogEntries(store), aliases: catalogAliases(store), attributeOwners: serviceOwners(store) });
}

/** Service → owner for views that show owners beside services. */
export function serviceOwnerMap(store: Store): Map<string, string> {
  return ownerMap(ownershipView(store));
}

export function setServiceAlias(store: Store, service: string, entry: string | null): OwnershipView {
  if (entry !== null && !catalogEntries(store).some((e) => e.name === entry)) throw new Error(`no catalog entry named "${entry}"`);
  setCatalogAlias(store, service, entry);
  return ownershipView(store);
}

type Obj = Record<string, unknown>;

/** A Backstage Component for a list row or a service the catalog lacks. */
function componentOf(name: string, e: CatalogEntry | null, owner: string | null): Obj {
  const annotations: Obj = {};
  if (e?.pagerDuty) annotations['pagerduty.com/service-id'] = e.pagerDuty;
  if (e?.chat) annotations['slack.com/channel'] = e.chat;
  if (e?.onCall) annotations['opsgenie.com/team'] = e.onCall;
  if (!e) annotations['tracedeck.dev/observed'] = 'seen in traces, not in the catalog';
  const metadata: Obj = { name };
  if (e?.description) metadata.description = e.description;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (e && e.links.length > 0) metadata.links = e.links.map((l) => ({ url: l.url, title: l.title, ...(l.type ? { type: l.type } : {}) }));
  const spec: Obj = { type: 'service', lifecycle: e?.lifecycle ?? 'unknown', owner: owner ?? 'unknown' };
  if (e?.system) spec.system = e.system;
  return { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata, spec };
}

/**
 * The catalog as Backstage YAML, updated from the traces: every entity as read, with the calls
 * seen in the traces (the service map's edges) added to `spec.dependsOn`; list rows and services the catalog lacks written
 * as Components (owner `unknown` where nothing names one).
 */
export function catalogYaml(store: Store, calls: readonly { from: string; to: string }[]): string {
  const view = ownershipView(store);
  const deps = observedDependsOn(view, calls);
  const docs: Obj[] = [];
  for (const e of catalogEntries(store)) {
    const doc = e.source ? (JSON.parse(JSON.stringify(e.source)) as Obj) : componentOf(e.name, e, e.owner);
    const add = deps.get(e.name);
    if (add && add.length > 0) {
      const spec = (typeof doc.spec === 'object' && doc.spec !== null ? doc.spec : (doc.spec = {})) as Obj;
      const had = Array.isArray(spec.dependsOn) ? (spec.dependsOn as unknown[]).map(String) : [];
      const bare = new Set(had.map((r) => r.replace(/^component:(default\/)?/i, '')));
      spec.dependsOn = [...had, ...add.filter((r) => !bare.has(r.replace(/^component:/, '')))];
    }
    docs.push(doc);
  }
  for (const s of view.services) {
    if (s.entry !== null) continue;
    const doc = componentOf(s.service, null, s.owner);
    const add = deps.get(s.service);
    if (add && add.length > 0) (doc.spec as Obj).dependsOn = add;
    docs.push(doc);
  }
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

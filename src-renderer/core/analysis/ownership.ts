// Who owns each service seen in the traces. A trace's service name is mapped to a catalog entry
// (Component or list row; Systems group them) in three ways, first match wins:
//   1. exact: the entry's name is the service name;
//   2. normalised: equal after normaliseServiceName (case, separators, a trailing "service"/"svc"),
//      so `checkout-service`, `CheckoutService` and `checkout_svc` all meet `checkout`;
//   3. alias: the user said which entry a service is (kept in the workspace).
// A matched entry's owner is the owner; without one, its System's. A service matched to no entry
// keeps the owner its spans' resource attributes name (`service.owner`, `team`, …), if any.
// Services with no owner from either are "unowned"; catalog entries (not Systems) that no service
// maps to are "not observed". The map's nodes made from peers (a database, cache or host reached
// only through client spans) are services here too: the catalog or an alias can name them. The observed calls between services become Backstage `dependsOn`
// references for the catalog export.

import { ownerName, runbookOf, type CatalogEntry, type CatalogLink } from '../model/catalog.ts';

export type OwnerSource = 'catalog' | 'catalog-normalised' | 'alias' | 'resource-attribute';

export interface ServiceOwnership {
  service: string;
  spans: number;
  /** A node of the map made from a peer (a database, cache or host client spans call), without spans of its own. */
  peer: boolean;
  /** The owner as written in the catalog or attribute (an entity reference keeps its prefix). */
  owner: string | null;
  source: OwnerSource | null;
  /** The catalog entry the service maps to. */
  entry: string | null;
  system: string | null;
  lifecycle: string | null;
  onCall: string | null;
  chat: string | null;
  pagerDuty: string | null;
  runbook: CatalogLink | null;
  links: CatalogLink[];
}

export interface OwnershipView {
  services: ServiceOwnership[];
  /** Services without an owner from the catalog or their attributes. */
  unowned: string[];
  /** Catalog entries (Components and list rows) that no loaded service maps to. */
  notObserved: { name: string; kind: string; owner: string | null; file: string; line: number }[];
  /** Every entry, for choosing an alias. */
  entries: { name: string; kind: string; owner: string | null }[];
  /** Whether any catalog file is loaded. */
  hasCatalog: boolean;
}

const SUFFIX = /(service|svc|server|srv)$/;

/** Lowercase, letters and digits only, without a trailing "service"/"svc"/"server". */
export function normaliseServiceName(name: string): string {
  const flat = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const bare = flat.replace(SUFFIX, '');
  return bare === '' ? flat : bare;
}

export interface OwnershipInput {
  services: readonly { service: string; spans: number; peer?: boolean }[];
  entries: readonly CatalogEntry[];
  aliases: ReadonlyMap<string, string>;
  attributeOwners: ReadonlyMap<string, string>;
}

export function mapOwnership(input: OwnershipInput): OwnershipView {
  const services = input.entries.filter((e) => e.kind.toLowerCase() !== 'system');
  const systems = new Map(input.entries.filter((e) => e.kind.toLowerCase() === 'system').map((e) => [e.name, e]));
  const exact = new Map<string, CatalogEntry>();
  const normal = new Map<string, CatalogEntry>();
  for (const e of services) {
    if (!exact.has(e.name)) exact.set(e.name, e);
    const n = normaliseServiceName(e.name);
    if (!normal.has(n)) normal.set(n, e);
  }
  const byName = new Map(input.entries.map((e) => [e.name, e]));
  const seen = new Set<CatalogEntry>();
  const out: ServiceOwnership[] = [];
  const unowned: string[] = [];
  for (const { service, spans, peer = false } of input.services) {
    let entry: CatalogEntry | undefined;
    let source: OwnerSource | null = null;
    const alias = input.aliases.get(service);
    if ((entry = exact.get(service))) source = 'catalog';
    else if ((entry = normal.get(normaliseServiceName(service)))) source = 'catalog-normalised';
    else if (alias !== undefined && (entry = byName.get(alias))) source = 'alias';
    if (entry) seen.add(entry);
    const system = entry?.system ? systems.get(ownerName(entry.system)) ?? systems.get(entry.system) : undefined;
    let owner = entry?.owner ?? system?.owner ?? null;
    if (owner === null) {
      const attr = input.attributeOwners.get(service);
      if (attr !== undefined) {
        owner = attr;
        source = 'resource-attribute';
      } else source = entry ? source : null;
    }
    if (owner === null) unowned.push(service);
    const links = entry ? [...entry.links, ...(system?.links ?? [])] : [];
    out.push({
      service, spans, peer, owner, source, entry: entry?.name ?? null, system: entry?.system ?? null, lifecycle: entry?.lifecycle ?? null,
      onCall: entry?.onCall ?? system?.onCall ?? null, chat: entry?.chat ?? system?.chat ?? null, pagerDuty: entry?.pagerDuty ?? system?.pagerDuty ?? null,
      runbook: runbookOf({ links }), links,
    });
  }
  return {
    services: out,
    unowned,
    notObserved: services.filter((e) => !seen.has(e)).map((e) => ({ name: e.name, kind: e.kind, owner: e.owner, file: e.file, line: e.line })),
    entries: input.entries.map((e) => ({ name: e.name, kind: e.kind, owner: e.owner })),
    hasCatalog: input.entries.length > 0,
  };
}

/** Service → owner, for every view that shows owners beside services. */
export function ownerMap(view: OwnershipView): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of view.services) if (s.owner !== null) m.set(s.service, s.owner);
  return m;
}

/**
 * The observed calls as Backstage `dependsOn` references, per catalog entry: a service calling
 * another depends on it. Callees not in the catalog are named by their trace service name.
 */
export function observedDependsOn(view: OwnershipView, calls: readonly { from: string; to: string }[]): Map<string, string[]> {
  const entryOf = new Map(view.services.map((s) => [s.service, s.entry]));
  const out = new Map<string, Set<string>>();
  for (const c of calls) {
    const from = entryOf.get(c.from) ?? c.from;
    const to = entryOf.get(c.to) ?? c.to;
    if (from === to) continue;
    let set = out.get(from);
    if (!set) out.set(from, (set = new Set()));
    set.add(`component:${to}`);
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

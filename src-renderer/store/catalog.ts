// The service catalog's rows: entries read from catalog files, the user's aliases, and the
// services of the loaded traces that ownership maps onto them, with their span counts: services
// with spans of their own, and the peers (databases, caches, hosts) that are nodes of the map.

import { parseJsonCell } from './json-cell.ts';
import type { Store } from './store.ts';
import type { CatalogEntry, CatalogLink } from '../core/model/catalog.ts';

const INSERT_ENTRY = `INSERT INTO service_catalog (file_id, line, kind, name, title, description, owner, system, lifecycle, on_call, chat, pagerduty, links, depends_on, source)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;

/** Store entries of the source being imported; an entry of the same kind and name read before is replaced. */
export function addCatalogEntries(store: Store, entries: readonly CatalogEntry[]): void {
  const fileId = store.currentFileId(entries.length);
  const del = store.stmt('DELETE FROM service_catalog WHERE lower(kind) = lower(?) AND name = ?');
  const ins = store.stmt(INSERT_ENTRY);
  for (const e of entries) {
    del.run([e.kind, e.name]);
    ins.run([
      fileId, e.line, e.kind, e.name, e.title, e.description, e.owner, e.system, e.lifecycle, e.onCall, e.chat, e.pagerDuty,
      JSON.stringify(e.links), JSON.stringify(e.dependsOn), e.source ? JSON.stringify(e.source) : null,
    ]);
  }
}

export function catalogEntries(store: Store): CatalogEntry[] {
  const st = store.stmt(`SELECT e.kind, e.name, e.title, e.description, e.owner, e.system, e.lifecycle, e.on_call, e.chat, e.pagerduty, e.links, e.depends_on,
      e.source, f.name, e.line FROM service_catalog e LEFT JOIN files f ON f.file_id = e.file_id ORDER BY e.entry_id`);
  const out: CatalogEntry[] = [];
  while (st.step()) {
    const r = st.get();
    out.push({
      kind: String(r[0]), name: String(r[1]), title: r[2] as string | null, description: r[3] as string | null, owner: r[4] as string | null,
      system: r[5] as string | null, lifecycle: r[6] as string | null, onCall: r[7] as string | null, chat: r[8] as string | null,
      pagerDuty: r[9] as string | null, links: parseJsonCell<CatalogLink[]>(r[10], []), dependsOn: parseJsonCell<string[]>(r[11], []),
      source: parseJsonCell<Record<string, unknown> | null>(r[12], null), file: String(r[13] ?? ''), line: Number(r[14]),
    });
  }
  st.reset();
  return out;
}

export function catalogAliases(store: Store): Map<string, string> {
  const st = store.stmt('SELECT service, entry FROM catalog_aliases ORDER BY service');
  const out = new Map<string, string>();
  while (st.step()) {
    const [service, entry] = st.get() as [string, string];
    out.set(service, entry);
  }
  st.reset();
  return out;
}

/** Map a trace service to a catalog entry by hand; a null entry removes the alias. */
export function setCatalogAlias(store: Store, service: string, entry: string | null): void {
  if (entry === null) store.stmt('DELETE FROM catalog_aliases WHERE service = ?').run([service]);
  else store.stmt('INSERT INTO catalog_aliases (service, entry) VALUES (?, ?) ON CONFLICT(service) DO UPDATE SET entry = excluded.entry').run([service, entry]);
}

/** Rows of (name, count) as services with their span counts. */
function serviceCounts(store: Store, sql: string): { service: string; spans: number }[] {
  const st = store.stmt(sql);
  const out: { service: string; spans: number }[] = [];
  while (st.step()) {
    const [service, spans] = st.get() as [string, number];
    out.push({ service, spans });
  }
  st.reset();
  return out;
}

/**
 * The map's nodes made from a peer (a database, cache or host the client spans call, as
 * core/analysis/operations.ts nodeName decides), with the spans that are theirs: read from the
 * map's summary kept with the spans (map_operations, via_peer = 1), so no span is read. A peer
 * that is also a service with spans is among both.
 */
export function observedPeers(store: Store): { service: string; spans: number }[] {
  return serviceCounts(
    store,
    `SELECT o.peer, sum(m.spans) FROM map_operations m JOIN operations o ON o.op_id = m.op_id
      WHERE m.via_peer = 1 AND o.peer != '' GROUP BY o.peer ORDER BY o.peer`,
  );
}

/** Every service of the loaded spans, with its span count. */
export function observedServices(store: Store): { service: string; spans: number }[] {
  return serviceCounts(store, 'SELECT service, count(*) FROM spans GROUP BY service ORDER BY service');
}

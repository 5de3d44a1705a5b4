// Service catalogs: Backstage's documented example entities and plain lists read by content,
// stored with the workspace, and mapped onto the demo incident's services (exact, normalised,
// alias, the System's owner, resource attributes); the catalog written back with the calls the
// traces show as dependsOn.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { detectFormat } from '../../src-renderer/core/import/detect.ts';
import { parseCatalog } from '../../src-renderer/core/import/catalog.ts';
import { normaliseServiceName } from '../../src-renderer/core/analysis/ownership.ts';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { Store } from '../../src-renderer/store/store.ts';

const path = (name: string) => fileURLToPath(new URL(`../fixtures/catalog/${name}`, import.meta.url));
const read = (name: string) => readFileSync(path(name), 'utf8');
const DEMO = fileURLToPath(new URL('../../assets/demo-incident.zip', import.meta.url));

describe('Backstage descriptor-format examples', () => {
  const text = read('backstage-descriptor-examples.yaml');
  it('are detected by content, whatever the file is called', () => {
    const det = detectFormat(new TextEncoder().encode(text), 'unknown');
    expect(det.ok && det.format.id).toBe('backstage-catalog');
  });
  it('keep the Component and the System, and count the API and the Group as skipped', () => {
    const res = parseCatalog(text, 'examples.yaml', 'backstage');
    expect(res.rejected).toEqual([]);
    expect([...res.skipped]).toEqual([['API', 1], ['Group', 1]]);
    expect(res.entries.map((e) => [e.kind, e.name, e.owner, e.system, e.lifecycle, e.line])).toEqual([
      ['Component', 'artist-web', 'artist-relations-team', 'public-websites', 'production', 6],
      ['System', 'artist-engagement-portal', 'artist-relations-team', null, null, 59],
    ]);
    const web = res.entries[0];
    expect(web.description).toBe('The place to be, for great artists');
    expect(web.links).toEqual([{ url: 'https://admin.example-org.com', title: 'Admin Dashboard', type: 'admin-dashboard' }]);
    expect(web.source?.metadata).toMatchObject({ tags: ['java'], labels: { 'example.com/custom': 'custom_label_value' } });
  });
  it('read annotations for on-call and chat, and runbook links', () => {
    const res = parseCatalog(read('demo-catalog-info.yaml'), 'demo.yaml', 'backstage');
    const pay = res.entries.find((e) => e.name === 'payment-service')!;
    expect([pay.pagerDuty, pay.chat, pay.dependsOn]).toEqual(['PPAY042', '#payments-incidents', ['resource:default/payments-db']]);
    expect(pay.links[1]).toEqual({ url: 'javascript:alert(document.domain)', title: 'Not a web link', type: '' });
  });
  it('a broken entity is rejected with its line; the others are kept', () => {
    const broken = `${read('demo-catalog-info.yaml')}\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: [unclosed\n---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  title: no name\n`;
    const res = parseCatalog(broken, 'demo.yaml', 'backstage');
    expect(res.entries.length).toBe(6);
    expect(res.rejected.map((r) => r.message.slice(0, 5))).toEqual(['YAML:', 'entit']);
    const lines = broken.split('\n');
    expect(lines[res.rejected[1].line - 1]).toBe('apiVersion: backstage.io/v1alpha1');
  });
});

describe('plain service lists', () => {
  it('CSV with any header spelling; quoted fields; a row without a service is rejected with its line', () => {
    const text = read('demo-services.csv');
    const det = detectFormat(new TextEncoder().encode(text), 'owners.txt');
    expect(det.ok && det.format.id).toBe('service-list-csv');
    const res = parseCatalog(text, 'owners.csv', 'service-csv');
    expect(res.entries.map((e) => [e.name, e.owner, e.onCall, e.chat, e.links[0]?.url])).toEqual([
      ['checkout', 'orders', 'orders-primary', '#orders', 'https://runbooks.example.com/checkout'],
      ['Inventory_Service', 'catalog-team', 'catalog-rotation', '#catalog', 'https://runbooks.example.com/inventory'],
      ['pricing', 'catalog-team', 'catalog-rotation', '#catalog', 'https://runbooks.example.com/pricing, section 2'],
    ]);
    expect(res.rejected).toEqual([{ line: 5, message: 'no service name' }]);
  });
  it('YAML under services:, with name or service and team or owner', () => {
    const text = read('demo-services.yaml');
    const det = detectFormat(new TextEncoder().encode(text), 'x');
    expect(det.ok && det.format.id).toBe('service-list-yaml');
    const res = parseCatalog(text, 'owners.yaml', 'service-yaml');
    expect(res.entries.map((e) => [e.name, e.owner, e.chat, e.line])).toEqual([['postgres', 'data-platform', '#data', 2], ['redis', 'data-platform', '#data', 7]]);
    expect(res.rejected).toEqual([{ line: 10, message: 'no service name' }]);
  });
  it('names normalise over case, separators and a trailing "service"', () => {
    expect(['payment-service', 'PaymentService', 'payment_svc', 'payment'].map(normaliseServiceName)).toEqual(['payment', 'payment', 'payment', 'payment']);
    expect(normaliseServiceName('service')).toBe('service');
  });
});

describe('ownership of the demo incident', () => {
  let core: EngineCore;
  beforeAll(async () => {
    const { store, reports } = await loadInputs([DEMO, path('demo-catalog-info.yaml'), path('demo-services.csv'), path('demo-services.yaml')]);
    core = new EngineCore(store);
    const cat = reports.find((r) => r.file.endsWith('demo-catalog-info.yaml'))!;
    expect(cat.format).toBe('backstage-catalog');
    expect(cat.notes).toEqual(['service catalog: 6 entries', 'catalog entities of kind Group skipped: 1']);
    const csv = reports.find((r) => r.file.endsWith('demo-services.csv'))!;
    expect(csv.rejected).toBe(1);
    expect(csv.errors).toEqual([expect.stringMatching(/demo-services\.csv, line 5: no service name$/)]);
  }, 60_000);

  it('maps exact, normalised and aliased names; a System owns its unowned components; attributes fill in', () => {
    expect(core.setServiceAlias('api-gateway', 'edge-gateway').services.find((s) => s.service === 'api-gateway')?.source).toBe('alias');
    const v = core.ownership();
    const row = (s: string) => v.services.find((x) => x.service === s)!;
    expect([row('frontend').owner, row('frontend').source, row('frontend').runbook?.url, row('frontend').pagerDuty]).toEqual(['group:default/web-platform', 'catalog', 'https://runbooks.example.com/frontend', 'PWEB001']);
    expect([row('payment').entry, row('payment').owner, row('payment').source]).toEqual(['payment-service', 'group:default/payments-core', 'catalog-normalised']);
    expect([row('inventory').entry, row('inventory').owner]).toEqual(['Inventory_Service', 'catalog-team']);
    expect([row('cart').owner, row('cart').source]).toEqual(['group:default/shop-leads', 'catalog']);
    expect([row('api-gateway').owner, row('api-gateway').entry]).toEqual(['group:default/edge', 'edge-gateway']);
    // email is in no catalog: its resource attribute names its owner
    expect([row('email').owner, row('email').source, row('email').entry]).toEqual(['team-growth', 'resource-attribute', null]);
    expect(v.unowned).toEqual([]);
    expect(v.notObserved.map((e) => e.name)).toEqual(['recommendations']);
  });

  it('an alias can be removed; an unknown entry is refused', () => {
    expect(() => core.setServiceAlias('api-gateway', 'no-such-entry')).toThrow(/no catalog entry named "no-such-entry"/);
    const v = core.setServiceAlias('api-gateway', null);
    expect(v.services.find((s) => s.service === 'api-gateway')?.source).toBe('resource-attribute');
    expect(v.notObserved.map((e) => e.name)).toEqual(['edge-gateway', 'recommendations']);
    core.setServiceAlias('api-gateway', 'edge-gateway');
  });

  it('owners from the catalog reach the SLO budgets', () => {
    const d = { name: 'x', service: 'frontend', operation: 'POST /checkout', indicator: { kind: 'latency' as const, thresholdNs: 1e9 }, objective: 0.99, windowNs: 300e9, periodNs: 30 * 86400e9 };
    const tree = core.sloDerive(d).tree;
    expect(tree.entry.owner).toBe('group:default/web-platform');
    expect(tree.budgets.find((b) => b.service === 'payment')?.owner).toBe('group:default/payments-core');
  });

  it('writes the catalog back with the observed calls as dependsOn, keeping what it read', () => {
    const docs = parseAllDocuments(core.catalogYaml()).map((d) => d.toJS() as any);
    const fe = docs.find((d) => d.metadata.name === 'frontend');
    expect(fe.spec.dependsOn).toContain('component:edge-gateway');
    expect(fe.metadata.annotations['slack.com/channel']).toBe('#web-oncall');
    const pay = docs.find((d) => d.metadata.name === 'payment-service');
    expect(pay.spec.dependsOn[0]).toBe('resource:default/payments-db');
    const checkout = docs.find((d) => d.metadata.name === 'checkout');
    expect(checkout.spec.dependsOn).toContain('component:payment-service');
    expect(checkout.spec.owner).toBe('orders');
    const email = docs.find((d) => d.metadata.name === 'email');
    expect(email.spec.owner).toBe('team-growth');
    expect(email.metadata.annotations['tracedeck.dev/observed']).toBeDefined();
    // The written catalog reads back as one.
    const again = parseCatalog(core.catalogYaml(), 'again.yaml', 'backstage');
    expect(again.rejected).toEqual([]);
    expect(again.entries.length).toBe(docs.filter((d) => d.kind !== 'Group').length);
  });

  it('the catalog and the aliases are saved with the workspace', async () => {
    const saved = core.store.export();
    const reopened = new EngineCore(Store.create(core.store.sql, saved));
    expect(reopened.ownership()).toEqual(core.ownership());
  });
});

describe('databases, caches and hosts reached only through client spans', () => {
  const INCIDENT = fileURLToPath(new URL('../fixtures/otel-incident/traces.otlp.jsonl.gz', import.meta.url));

  it('are owned when the catalog or an alias names them, else listed as unowned; the map gives each node the same owner', async () => {
    const { store } = await loadInputs([INCIDENT, path('incident-services.csv')]);
    const core = new EngineCore(store);
    const own = core.ownership();
    const row = (s: string) => own.services.find((r) => r.service === s)!;
    const map = core.serviceMap();
    const node = (s: string) => map.services.find((n) => n.name === s)!;
    // The map's nodes without spans of their own are the peers, and only they.
    const spanServices = new Set((store.db.exec('SELECT DISTINCT service FROM spans')[0]?.values ?? []).map((r) => String(r[0])));
    const peers = map.services.filter((n) => !spanServices.has(n.name)).map((n) => n.name);
    expect(peers).toEqual(expect.arrayContaining(['postgresql', 'redis']));
    expect(own.services.filter((r) => r.peer).map((r) => r.service).sort()).toEqual([...peers].sort());
    for (const p of peers) expect(row(p).spans, p).toBe(node(p).spans);
    expect(row('checkout').peer).toBe(false);

    // PostgreSQL is in the catalog (by its normalised name): owned, and observed.
    expect([row('postgresql').owner, row('postgresql').source, row('postgresql').onCall]).toEqual(['team-data', 'catalog-normalised', 'data-oncall']);
    expect([node('postgresql').owner, node('postgresql').ownerSource]).toEqual(['team-data', 'catalog-normalised']);
    expect(own.notObserved.map((e) => e.name)).toEqual(['cache-cluster']);
    // Redis and the host are not: unowned, like the services nobody owns.
    expect(own.unowned).toEqual(expect.arrayContaining(['redis', ...peers.filter((p) => p !== 'postgresql')]));
    expect(own.unowned).not.toContain('postgresql');
    expect(own.unowned).not.toContain('checkout');
    expect(node('redis').owner).toBeNull();

    // The user says which entry Redis is.
    const after = core.setServiceAlias('redis', 'cache-cluster');
    expect(after.unowned).not.toContain('redis');
    expect(after.notObserved).toEqual([]);
    expect([core.serviceMap().services.find((n) => n.name === 'redis')!.owner, core.serviceMap().services.find((n) => n.name === 'redis')!.ownerSource]).toEqual(['team-platform', 'alias']);
  }, 120_000);
});

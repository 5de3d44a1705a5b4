// The service map on the demo incident: every service a box, calls as arrows with their figures;
// a box opens its traces (logs, SLOs: views-lead.spec.ts), an arrow the traces holding its calls, Back returns to the map; the map
// saves as DOT with the same services the command line prints.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, openDemo, screenshot, dropFiles } from './support.ts';

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const count = async (page: Page) => Number(/^\s*([\d,]+)/.exec((await page.getByTestId('trace-count').textContent()) ?? '')?.[1].replace(/,/g, '') ?? NaN);

test('the service map: boxes and arrows with figures, click-through to traces, Back, DOT export', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await tab(page, 'Map').click();
  await expect(page).toHaveURL(/#\/map$/);
  await expect(page.getByTestId('map-summary')).toHaveText('10 services · 14 calls between them');
  await expect(page.locator('g.node')).toHaveCount(10);
  await expect(page.locator('g.edge')).toHaveCount(14);
  const edge = page.locator('g.edge[data-edge="checkout→payment"]');
  await expect(edge).toHaveAttribute('aria-label', /^checkout to payment: 1055 calls, 2\.4% errors, p50 .+, p99 .+$/);
  await screenshot(page, 'service-map');

  // A box picks its service; then its traces: those with a span in that service.
  await page.locator('g.node[data-service="payment"]').click();
  await expect(page.locator('g.node[data-service="payment"]')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('map-picked').getByRole('button', { name: 'Traces' }).click();
  await expect(page).toHaveURL(/#\/traces\?q=service%3Dpayment$/);
  await expect(page.getByRole('searchbox', { name: 'Search traces' })).toHaveValue('service=payment');
  await expect.poll(() => count(page)).toBeGreaterThan(0);
  const payment = await count(page);

  // Back to the map; an arrow: the traces with a call from checkout to payment (all of payment's here).
  await page.goBack();
  await expect(page).toHaveURL(/#\/map$/);
  await edge.locator('text').first().click();
  await expect(page.getByRole('searchbox', { name: 'Search traces' })).toHaveValue('service=payment parent.service=checkout');
  await expect.poll(() => count(page)).toBe(payment);

  // Saved as DOT: one box per service, one arrow per call.
  await tab(page, 'Map').click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'DOT' }).click();
  const dot = readFileSync((await (await download).path())!, 'utf8');
  expect(dot).toMatch(/^digraph services \{/);
  expect(dot.match(/\[label="[^"]*"\];/g)).toHaveLength(24);
  expect(watch.problems).toEqual([]);
});

test('owners on the map: from the spans, from a catalog dropped beside them and from an alias; in the exports too; light and dark', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await tab(page, 'Map').click();
  const owner = (service: string) => page.locator(`g.node[data-service="${service}"] [data-testid="map-owner"]`);
  // The demo's spans carry service.owner.
  await expect(owner('postgres')).toHaveText('team-data');
  await expect(page.locator('g.node[data-service="postgres"]')).toHaveAttribute('aria-label', /, owner team-data$/);

  // A Backstage catalog: payment is payments-core's there (its name normalised), frontend web-platform's.
  await dropFiles(page, [{ name: 'catalog-info.yaml', text: readFileSync(join(import.meta.dirname, '../fixtures/catalog/demo-catalog-info.yaml'), 'utf8') }]);
  await expect(page.getByTestId('import-report')).toContainText('service catalog');
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await tab(page, 'Map').click();
  await expect(owner('payment')).toHaveText('payments-core');
  await expect(owner('frontend')).toHaveText('web-platform');
  await expect(owner('postgres')).toHaveText('team-data');

  // An alias set on the Owners screen shows on the map when it is shown again.
  await tab(page, 'Owners').click();
  const gateway = page.getByTestId('owners-table').locator('tr', { has: page.locator('td.mono', { hasText: /^api-gateway$/ }) });
  await gateway.getByLabel('Catalog entry for api-gateway').selectOption('edge-gateway');
  await expect(gateway).toContainText('catalog (your mapping)');
  await tab(page, 'Map').click();
  await expect(owner('api-gateway')).toHaveText('edge');
  await page.getByTestId('theme').selectOption('light');
  await screenshot(page, 'service-map-owners-light');
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'service-map-owners-dark');

  // The exports say the same: Mermaid's second label line, the JSON's owner and its source.
  let download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Mermaid' }).click();
  const mermaid = readFileSync((await (await download).path())!, 'utf8');
  expect(mermaid).toMatch(/\["payment<br\/>payments-core"\]/);
  expect(mermaid).toMatch(/\["api-gateway<br\/>edge"\]/);
  download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'JSON' }).click();
  const json = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as { services: { name: string; owner: string | null; ownerSource: string | null }[] };
  expect(json.services.find((n) => n.name === 'api-gateway')).toMatchObject({ owner: 'group:default/edge', ownerSource: 'alias' });
  expect(json.services.find((n) => n.name === 'postgres')).toMatchObject({ owner: 'team-data', ownerSource: 'resource-attribute' });
  expect(watch.problems).toEqual([]);
});

test('owners of the databases and hosts the services call: named by the catalog, else unowned, on the map and the Owners screen', async ({ page }) => {
  const watch = await openApp(page);
  // The recorded incident: PostgreSQL and Redis have no spans of their own, only the services' client spans.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles(['test/fixtures/otel-incident/traces.otlp.jsonl.gz', 'test/fixtures/catalog/incident-services.csv']);
  await expect(page.getByTestId('import-report')).toContainText('service catalog', { timeout: 30_000 });
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await tab(page, 'Map').click();
  const owner = (service: string) => page.locator(`g.node[data-service="${service}"] [data-testid="map-owner"]`);
  // PostgreSQL is in the catalog (as "PostgreSQL"); Redis is not.
  await expect(owner('postgresql')).toHaveText('team-data');
  await expect(page.locator('g.node[data-service="postgresql"]')).toHaveAttribute('aria-label', /, owner team-data$/);
  await expect(page.locator('g.node[data-service="redis"]')).toBeVisible();
  await expect(owner('redis')).toHaveCount(0);
  await screenshot(page, 'service-map-peer-owners');

  await tab(page, 'Owners').click();
  const unowned = page.getByTestId('unowned');
  await expect(unowned.getByRole('listitem').filter({ hasText: /^redis$/ })).toBeVisible();
  await expect(unowned.getByRole('listitem').filter({ hasText: /^postgresql$/ })).toHaveCount(0);
  const table = page.getByTestId('owners-table');
  const pg = table.locator('tr', { has: page.locator('td.mono', { hasText: /^postgresql/ }) });
  await expect(pg).toContainText('called only');
  await expect(pg).toContainText('team-data');
  await expect(pg).toContainText('catalog (name normalised)');
  await expect(page.getByTestId('not-observed')).not.toContainText('PostgreSQL');
  // Redis is the platform team's cache cluster: the user says so, and the map follows.
  const redis = table.locator('tr', { has: page.locator('td.mono', { hasText: /^redis/ }) });
  await redis.getByLabel('Catalog entry for redis').selectOption('cache-cluster');
  await expect(redis).toContainText('team-platform');
  await expect(unowned.getByRole('listitem').filter({ hasText: /^redis$/ })).toHaveCount(0);
  await screenshot(page, 'owners-peers');
  await tab(page, 'Map').click();
  await expect(owner('redis')).toHaveText('team-platform');
  expect(watch.problems).toEqual([]);
});

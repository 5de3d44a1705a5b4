import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, openDemo, screenshot, dropFiles } from './support.ts';

const CATALOG = join(import.meta.dirname, '../fixtures/catalog');

// A hostile entity: markup in the name, owner and title, a bidi override, a javascript: runbook.
const HOSTILE = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: "<img src=x onerror=window.__pwned=1>"
  title: "\u202Egnp.exe <b>bold</b>"
  links:
    - url: "javascript:window.__pwned=2"
      title: "<script>window.__pwned=3</script> runbook"
      type: runbook
spec:
  type: service
  lifecycle: production
  owner: "<script>window.__pwned=4</script>"
`;

test('owners: a Backstage catalog and a CSV dropped beside the demo map to its services; aliases; owners beside services', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await dropFiles(page, [
    { name: 'catalog-info.yaml', text: readFileSync(join(CATALOG, 'demo-catalog-info.yaml'), 'utf8') },
    { name: 'owners.csv', text: readFileSync(join(CATALOG, 'demo-services.csv'), 'utf8') },
    { name: 'hostile-catalog.yaml', text: HOSTILE },
  ]);
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('backstage-catalog');
  await expect(report).toContainText('service catalog: 6 entries');
  await expect(report).toContainText('owners.csv, line 5: no service name');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Owners', exact: true }).click();

  const table = page.getByTestId('owners-table');
  const row = (service: string) => table.locator('tr', { has: page.locator('td.mono', { hasText: new RegExp(`^${service}$`) }) });
  await expect(row('payment')).toContainText('payments-core');
  await expect(row('payment')).toContainText('catalog (name normalised)');
  await expect(row('cart')).toContainText('shop-leads');
  await expect(row('email')).toContainText('span resource attribute');
  // Runbooks open only as web links; the javascript: one stays text.
  await expect(row('frontend').locator('.ext', { hasText: 'Frontend runbook' })).toHaveAttribute('href', 'https://runbooks.example.com/frontend');
  await expect(page.getByTestId('not-observed')).toContainText('recommendations');
  await expect(page.getByTestId('not-observed')).toContainText('<img src=x onerror=window.__pwned=1>');

  // api-gateway is "edge-gateway" in the catalog: the user says so.
  await row('api-gateway').getByLabel('Catalog entry for api-gateway').selectOption('edge-gateway');
  await expect(row('api-gateway')).toContainText('catalog (your mapping)');
  await expect(row('api-gateway')).toContainText('edge');
  await expect(page.getByTestId('not-observed')).not.toContainText('edge-gateway');
  await screenshot(page, 'owners-catalog');

  // Who to page: the demo's failing requests all began in postgres; in the incident's window its
  // critical-path time grew against the ten minutes before.
  const pageList = page.getByTestId('page-list');
  const first = pageList.locator('tbody tr').first();
  await expect(first).toContainText('postgres');
  await expect(first).toContainText('team-data');
  await pageList.getByLabel('Incident window start').fill('2026-11-20T10:10:00Z');
  await pageList.getByLabel('Incident window end').fill('2026-11-20T10:20:00Z');
  await pageList.getByRole('button', { name: 'Apply' }).click();
  await expect(pageList.getByTestId('page-window')).toContainText('critical-path time against', { timeout: 30_000 });
  await expect(first.locator('td.num').nth(1)).toHaveText(/^\+/);
  await screenshot(page, 'owners-page');
  await pageList.getByLabel('Incident window start').fill('yesterday');
  await pageList.getByRole('button', { name: 'Apply' }).click();
  await expect(pageList.getByRole('alert')).toContainText('"yesterday" (from) is neither');

  // The updated catalog downloads as Backstage YAML with the observed calls.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /Export catalog/ }).click();
  const chunks: Buffer[] = [];
  for await (const c of await (await download).createReadStream()) chunks.push(c as Buffer);
  const yaml = Buffer.concat(chunks).toString('utf8');
  expect(yaml).toContain('component:edge-gateway');

  // Owners beside services in the trace view: a failing checkout's root cause and the span detail.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Traces', exact: true }).click();
  await page.getByRole('combobox', { name: 'Sort', exact: true }).selectOption({ label: 'Most errors' });
  // The list is sorted again by the engine: the first row is a failing trace only once it has.
  await expect(page).toHaveURL(/sort=errors/);
  await expect(page.locator('.trace-row').first().locator('.bad')).toBeVisible();
  await page.locator('.trace-row').first().click();
  await expect(page.getByTestId('error-path').getByTestId('service-owner')).toBeVisible({ timeout: 15_000 });
  await screenshot(page, 'owners-error-path');
  // Each waterfall row carries its service's owner, in the row's name for a screen reader too.
  const rows = page.getByRole('tree', { name: 'Spans' });
  const postgresRow = rows.getByRole('treeitem', { name: /^postgres .*owned by team-data/ }).first();
  await expect(postgresRow).toBeVisible();
  await expect(postgresRow.getByTestId('row-owner')).toHaveText('team-data');
  const paymentRow = rows.getByRole('treeitem', { name: /^payment .*owned by payments-core/ }).first();
  await expect(paymentRow.getByTestId('row-owner')).toHaveText('payments-core');
  await screenshot(page, 'owners-waterfall');
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'owners-waterfall-dark');

  expect(await page.locator('main img, main script, main b').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(watch.problems).toEqual([]);
});

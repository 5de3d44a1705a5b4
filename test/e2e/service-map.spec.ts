// The service map on the demo incident: every service a box, calls as arrows with their figures;
// a box opens its traces (logs, SLOs: views-lead.spec.ts), an arrow the traces holding its calls, Back returns to the map; the map
// saves as DOT with the same services the command line prints.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openApp, openDemo, screenshot } from './support.ts';

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

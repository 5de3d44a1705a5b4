// Views lead into each other on the demo incident: an SLO's alert episode opens the bad requests of
// its window in the trace list; a service on the map opens its traces, its log lines and its SLOs;
// a time range picked on the log volume chart opens the traces that start in it. Each lands on a
// route, so Back returns to where the user came from.
import { test, expect, type Page } from '@playwright/test';
import { openApp, openDemo, screenshot, defineFrontendSlo } from './support.ts';

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const count = async (page: Page) => Number(/^\s*([\d,]+)/.exec((await page.getByTestId('trace-count').textContent()) ?? '')?.[1].replace(/,/g, '') ?? NaN);

test('SLO alert → its bad traces; map service → traces, logs, SLOs; log time range → traces', async ({ page }) => {
  test.setTimeout(150_000);
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  const search = page.getByRole('searchbox', { name: 'Search traces' });

  // The frontend's POST /checkout latency SLO fires in the incident: the episode opens its slow requests.
  await defineFrontendSlo(page);
  const episode = page.getByRole('table', { name: 'Burn-rate alerts' }).locator('tbody tr').nth(0).getByRole('button', { name: /^fired 10:/ });
  await episode.click();
  await expect(page).toHaveURL(/#\/traces\?q=/);
  await expect(search).toHaveValue(/^service=frontend operation="POST \/checkout" duration>1s from=2\S+ to=2\S+$/);
  await expect.poll(() => count(page)).toBeGreaterThan(0);
  const slow = await count(page);
  // Every trace listed took more than 1 s (its root is the checkout request).
  for (const d of await page.locator('.trace-row .num.mono').allTextContents()) expect(d).toMatch(/^\d+(\.\d+)? s$/);
  await screenshot(page, 'slo-alert-traces');
  await page.goBack();
  await expect(page.getByRole('table', { name: 'Burn-rate alerts' })).toBeVisible();
  expect(slow).toBeLessThan(100);

  // A range dragged on the latency chart: the bad requests of that range, the same search.
  const chart = page.getByTestId('chart-latency').locator('.u-over');
  await chart.scrollIntoViewIfNeeded();
  const cb = (await chart.boundingBox())!;
  await page.mouse.move(cb.x + cb.width * 0.3, cb.y + cb.height / 2);
  await page.mouse.down();
  await page.mouse.move(cb.x + cb.width * 0.7, cb.y + cb.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(search).toHaveValue(/^service=frontend operation="POST \/checkout" duration>1s from=2\S+ to=2\S+$/);
  await expect.poll(() => count(page)).toBeGreaterThan(slow);
  await page.goBack();
  await expect(page.getByRole('table', { name: 'Burn-rate alerts' })).toBeVisible();

  // A service on the map: its log lines and its SLOs (its traces: service-map.spec.ts).
  await tab(page, 'Map').click();
  await page.locator('g.node[data-service="checkout"]').click();
  const picked = page.getByTestId('map-picked');
  await expect(picked).toContainText('checkout');
  await screenshot(page, 'map-picked');
  await picked.getByRole('button', { name: 'Logs' }).click();
  await expect(page).toHaveURL(/#\/logs\?svc=checkout/);
  await expect(page.getByLabel('Service', { exact: true })).toHaveValue('checkout');
  await expect(page.locator('.log-row').first()).toBeVisible();
  expect(new Set(await page.locator('.log-row .svc').allTextContents())).toEqual(new Set(['checkout']));
  await page.goBack();
  await expect(picked).toContainText('checkout');
  await picked.getByRole('button', { name: 'SLOs' }).click();
  await expect(page).toHaveURL(/#\/slos\?svc=checkout/);
  await expect(page.getByTestId('slo-service-filter')).toContainText('No SLO is defined on checkout yet.');
  await page.goBack();
  await page.locator('g.node[data-service="frontend"]').click();
  await picked.getByRole('button', { name: 'SLOs' }).click();
  await expect(page.getByTestId('slo-service-filter')).toHaveText(/1 of 1 SLOs\./);
  await page.getByTestId('slo-service-filter').getByRole('button', { name: 'Show all' }).click();
  await expect(page.getByTestId('slo-service-filter')).toBeHidden();

  // A time range on the log volume chart: the traces that start in it.
  await tab(page, 'Logs').click();
  await page.getByLabel('Service', { exact: true }).selectOption('*');
  const over = page.locator('[data-testid="log-histogram"] .u-over');
  await expect(page.getByTestId('log-count')).toContainText('3,044 of 3,044 lines');
  await expect.poll(async () => (await over.boundingBox()) !== null).toBe(true);
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('log-range')).toBeVisible();
  await page.getByRole('button', { name: 'Traces in this range' }).click();
  await expect(search).toHaveValue(/^from=2\S+ to=2\S+$/);
  await expect.poll(() => count(page)).toBeGreaterThan(0);
  await expect(page.getByTestId('trace-count')).toContainText(' of 1,840 traces');
  expect(await count(page)).toBeLessThan(1840);

  // A trace: its log lines, found by its id in the log search, only those listed (a failed checkout logs).
  await search.fill('service=checkout error=true');
  await search.press('Enter');
  await expect(page.getByTestId('trace-count')).toContainText('25 of');
  await page.locator('.trace-row').first().click();
  await expect(page.getByTestId('trace-stats')).toBeVisible({ timeout: 15_000 });
  const traceId = (await page.getByTestId('trace-id').textContent())!.trim();
  await page.getByRole('button', { name: 'Logs of this trace' }).click();
  await expect(page).toHaveURL(new RegExp(`#/logs\\?.*q=trace%3D${traceId}`));
  await expect(page.getByRole('searchbox', { name: 'Search logs' })).toHaveValue(`trace=${traceId}`);
  await expect(page.getByLabel('Only matching lines')).toBeChecked();
  await expect(page.locator('.log-row').first()).toBeVisible();
  const shown = Number(/^([\d,]+) of/.exec((await page.getByTestId('log-count').textContent()) ?? '')?.[1].replace(/,/g, ''));
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(100);
  for (const t of await page.locator('.log-row button.trace').evaluateAll((bs) => bs.map((b) => b.getAttribute('title')))) expect(t).toBe(traceId);
  await screenshot(page, 'trace-logs');
  await page.goBack();
  await expect(page.getByTestId('trace-id')).toHaveText(traceId);
  expect(watch.problems).toEqual([]);
});

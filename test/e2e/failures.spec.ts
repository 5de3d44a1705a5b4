// Across traces, end to end: the error origins of one trace beside its error path (a hand-made
// checkout that fails in four places), the Failures screen grouping the demo incident's failing
// requests by root cause, and undoing a grouping of span names into one operation. Screenshots go
// to test/out/screens/.
import { test, expect, type Page } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

const RETRIES = 'test/fixtures/error-origins/checkout-retries.otlp.json';

async function dismissReport(page: Page): Promise<void> {
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
}

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });

test('error origins: the error path is the failure that reached the root, every other origin listed beside it', async ({ page }) => {
  const watch = await openApp(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles([RETRIES]);
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 30_000 });
  await dismissReport(page);
  await page.locator('.trace-row').first().click();
  const ep = page.getByTestId('error-path');
  // Not the frontend's HTTP 500 behind the handler spans: the INSERT that timed out.
  await expect(ep).toContainText('Error path');
  await expect(ep).toContainText('postgresql');
  await expect(ep).toContainText('QueryTimeoutError');
  await ep.getByTestId('error-origins-toggle').click();
  const origins = page.getByTestId('error-origins').getByRole('listitem');
  await expect(origins).toHaveCount(4);
  await expect(origins.first()).toContainText('INSERT INTO orders');
  await expect(page.getByTestId('error-origins')).toContainText('bank.example.com');
  await expect(origins.filter({ hasText: 'bank.example.com' })).toContainText('did not fail the request');
  await expect(origins.filter({ hasText: 'mailer' })).toContainText('failed an orphan subtree');
  await expect(origins.first()).toContainText('reached the root');
  await expect(page.getByTestId('error-origins')).toContainText('gRPC UNAVAILABLE');
  await expect(page.getByTestId('error-origins')).toContainText('ReplyError');
  await screenshot(page, 'error-origins');
  // A click selects the origin: the bank call, its grouped operation and node in the detail.
  await origins.filter({ hasText: 'bank.example.com' }).getByRole('button').click();
  await expect(page.getByTestId('span-detail')).toContainText('GET');
  await expect(page.getByTestId('span-operation')).toContainText('GET /v1/rates/EUR');
  await expect(page.getByTestId('span-operation')).toContainText('node bank.example.com');
  await screenshot(page, 'error-origin-selected');
  expect(watch.problems).toEqual([]);
});

test('failures: the demo incident’s failing requests grouped by root cause, each group opening onto its traces', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await dismissReport(page);
  await tab(page, 'Failures').click();
  const table = page.getByTestId('root-causes');
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  // The generator made one thing fail: one group, holding every failing request.
  await expect(rows).toHaveCount(1);
  const count = (await rows.first().locator('td').first().textContent()) ?? '';
  const [, n, of] = /(\d+) of (\d+)/.exec(count) ?? [];
  expect(Number(n)).toBeGreaterThan(0);
  expect(n).toBe(of);
  await expect(rows.first()).toContainText('postgres');
  await expect(rows.first()).toContainText('INSERT INTO payments');
  await expect(page.getByTestId('failures-headline')).toContainText(`${n} of ${of}`);
  // Whose the node is (the demo's spans say service.owner), in the group and as whom to page.
  await expect(rows.first().getByTestId('service-owner')).toHaveText('team-data');
  await expect(page.getByTestId('failures-headline').getByTestId('service-owner')).toHaveText('page: team-data');
  await screenshot(page, 'failures');

  // A time window: after the data, none; a time that is not one is named; open again, all.
  await page.getByLabel('Window start').fill('2100-01-01T00:00:00Z');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('failures-headline')).toHaveText('No failing request in this cohort.');
  await page.getByLabel('Window start').fill('yesterday');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert')).toContainText('"yesterday" (from) is neither an RFC 3339 time');
  await page.getByLabel('Window start').fill('');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('failures-headline')).toContainText(`${n} of ${of}`);

  // One entry operation's failing requests: the same cause.
  await page.getByTestId('failures-cohort').selectOption({ label: 'frontend POST /checkout' });
  await expect(page.getByTestId('failures-headline')).toContainText(`${n} of ${of}`);

  // A group opens onto its traces; a trace opens on its waterfall with the same root cause.
  // By keyboard: the count is the group's disclosure button.
  const disclose = rows.first().getByRole('button');
  await expect(disclose).toHaveAccessibleName(`${n} of ${of} failing traces: show them`);
  await disclose.focus();
  await page.keyboard.press('Enter');
  await expect(disclose).toHaveAttribute('aria-expanded', 'true');
  await expect(disclose).toHaveAccessibleName(`${n} of ${of} failing traces: hide them`);
  const links = table.locator('tr.traces button.link');
  await expect(links.first()).toBeVisible();
  // Every trace of the group is there, a page at a time.
  const shown = Math.min(20, Number(n));
  await expect(links).toHaveCount(shown);
  if (Number(n) > shown) {
    const rest = Number(n) - shown;
    await table.getByRole('button', { name: rest <= 100 ? `Show the other ${rest}` : `Show 100 more (${rest} not shown)` }).click();
    await expect(links).toHaveCount(Math.min(Number(n), 120));
  }
  await screenshot(page, 'failures-open');
  await links.first().click();
  await expect(page.getByTestId('error-path')).toContainText('postgres', { timeout: 30_000 });
  expect(watch.problems).toEqual([]);
});

test('operations: a grouping of span names is shown and can be undone and restored', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await dismissReport(page);
  await tab(page, 'SLOs').click();
  await page.getByLabel('Service').selectOption('redis');
  const options = page.getByLabel('Operation').locator('option');
  await expect(options.filter({ hasText: 'GET cart:{id}' })).toHaveCount(1);
  const groups = page.getByTestId('operation-groups');
  await groups.locator('summary').click();
  const cart = groups.getByRole('listitem').filter({ hasText: 'GET cart:{id}' });
  await expect(cart).toContainText(/\d+ names: GET cart:\d+/);
  await screenshot(page, 'operation-groups');
  await cart.getByRole('button', { name: 'Undo' }).click();
  await expect(cart.getByRole('button', { name: 'Group again' })).toBeVisible();
  // Undone: every list reads the raw names again.
  await expect(options.filter({ hasText: 'GET cart:{id}' })).toHaveCount(0);
  await expect(options.filter({ hasText: /GET cart:\d+/ }).first()).toBeAttached();
  await cart.getByRole('button', { name: 'Group again' }).click();
  await expect(options.filter({ hasText: 'GET cart:{id}' })).toHaveCount(1);
  expect(watch.problems).toEqual([]);
});

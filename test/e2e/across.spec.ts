import { test, expect } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

// The demo incident: postgres slows 10:10–10:20 UTC (lock contention on the payments table), so
// the slowest checkouts spend their time in postgres INSERT INTO. The command line gives the same
// figures on the same file (test/unit/cli-engine.test.ts checks the command line against the engine).

test('Across traces: the slowest checkouts against the rest, flame view and attributes', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Across traces' }).click();
  const entry = page.getByLabel('Entry operation');
  await expect(entry.locator('option')).not.toHaveCount(0);
  const label = await entry.locator('option', { hasText: 'frontend POST /checkout' }).textContent();
  await entry.selectOption({ label: label! });
  await page.getByRole('combobox', { name: 'Cohort', exact: true }).fill('slowest:5%');
  await page.getByRole('combobox', { name: 'Compared with' }).fill('rest');
  await page.getByRole('button', { name: 'Aggregate' }).click();

  await expect(page.getByRole('heading', { level: 2 })).toContainText('slowest 5 %: 27 of 535 requests');
  const sentences = page.getByTestId('diff-sentences').locator('li');
  await expect(sentences.first()).toContainText(/^postgres INSERT INTO payments\b.*: \+2\.\d\d s per request, \d+ % of the extra time$/);
  await expect(page.getByTestId('diff-table').locator('tbody tr').first()).toContainText('postgres › INSERT INTO');
  await expect(page.getByTestId('aggregate-by-service').locator('tbody tr').first()).toContainText('postgres');
  // Where the time goes, and whose it is.
  await expect(page.getByTestId('aggregate-by-service').locator('tbody tr').first().getByTestId('service-owner')).toHaveText('team-data');
  // The flame view: the entry on top, as wide as the view; its label is SVG text.
  const flame = page.getByTestId('flame');
  await expect(flame.locator('rect').first()).toBeVisible();
  await expect(flame.locator('text').first()).toHaveText('frontend POST /checkout');
  expect(await flame.locator('rect').count()).toBeGreaterThan(5);
  await expect(page.getByTestId('bubble-up').locator('tbody tr').first()).toBeVisible({ timeout: 20_000 });
  await screenshot(page, 'across-diff');
  await flame.scrollIntoViewIfNeeded();
  await screenshot(page, 'across-flame');

  // The errors against the rest: every failed checkout has the 5xx statuses the rest never has.
  await page.getByRole('combobox', { name: 'Cohort', exact: true }).fill('errors');
  await page.getByRole('button', { name: 'Aggregate' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toContainText('errors: 25 of 535 requests');
  await expect(page.getByTestId('bubble-up')).toContainText('http.response.status_code', { timeout: 20_000 });
  await page.getByTestId('bubble-up').scrollIntoViewIfNeeded();
  await screenshot(page, 'across-errors-bubble-up');

  // A single cohort: no diff, the table and the flame view.
  await page.getByRole('combobox', { name: 'Compared with' }).fill('');
  await page.getByRole('combobox', { name: 'Cohort', exact: true }).fill('band:50-75');
  await page.getByRole('button', { name: 'Aggregate' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toContainText('p50–p75: 134 of 535 requests');
  await expect(page.getByTestId('diff-table')).toHaveCount(0);
  await page.getByRole('heading', { level: 2 }).scrollIntoViewIfNeeded();
  await screenshot(page, 'across-band');

  // A cohort that cannot be read is said, not run.
  await page.getByRole('combobox', { name: 'Cohort', exact: true }).fill('slowest:200%');
  await page.getByRole('button', { name: 'Aggregate' }).click();
  await expect(page.getByRole('alert')).toContainText('slowest:P%');
  expect(watch.problems).toEqual([]);
});

test('Compare two traces from the trace list, and by ids in the address', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('combobox', { name: 'Sort', exact: true }).selectOption({ label: 'Slowest' });
  const rows = page.locator('.trace-row');
  await expect(rows.first()).toBeVisible();
  const a = await rows.nth(0).getAttribute('data-trace-id');
  const b = await rows.nth(1).getAttribute('data-trace-id');
  await page.getByRole('checkbox', { name: `Compare trace ${a}` }).check();
  await page.getByRole('checkbox', { name: `Compare trace ${b}` }).check();
  await page.getByRole('button', { name: /^Compare/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/compare\\?a=${a}&b=${b}$`));
  await expect(page.getByTestId('compare-a')).toContainText(a!);
  await expect(page.getByTestId('compare-b')).toContainText(b!);
  await expect(page.getByTestId('compare-counts')).toContainText(/\d+ spans in both · \d+ only in A · \d+ only in B/);
  const table = page.getByTestId('compare-table');
  await expect(table.locator('tbody tr').first()).toContainText('frontend › POST /checkout');
  await screenshot(page, 'compare-tree');
  await page.getByLabel('Biggest differences first').check();
  await screenshot(page, 'compare-by-difference');

  // By ids: the fastest checkout against the slowest, through the address.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Traces', exact: true }).click();
  const fast = await page.locator('.trace-row').last().getAttribute('data-trace-id');
  await page.evaluate(([x, y]) => (location.hash = `#/compare?a=${x}&b=${y}`), [a, fast]);
  await expect(page.getByTestId('compare-b')).toContainText(fast!);
  // An id that is not there is said.
  await page.evaluate(() => (location.hash = '#/compare?a=00000000000000000000000000000001&b=00000000000000000000000000000002'));
  await expect(page.getByRole('alert')).toContainText('is not in the workspace');
  expect(watch.problems).toEqual([]);
});

test('Aggregate these: the traces a search finds, against the rest, on the Across traces screen', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  const aggregate = page.getByRole('button', { name: 'Aggregate these' });
  await expect(aggregate).toBeDisabled(); // nothing searched: the whole list is 'all'
  const box = page.getByRole('searchbox', { name: 'Search traces' });
  await box.fill('error=true');
  await box.press('Enter');
  await expect(page.getByTestId('trace-count')).toContainText('25 of 1,840 traces');
  await aggregate.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Across traces' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Cohort', exact: true })).toHaveValue('search:error=true');
  await expect(page.getByLabel('Entry operation')).toHaveValue(/.+/);
  await expect(page.getByLabel('Entry operation').locator('option:checked')).toContainText('frontend POST /checkout');
  // The same 25 failed checkouts as the 'errors' cohort, against the rest.
  await expect(page.getByRole('heading', { level: 2 })).toContainText('25 of 535 requests', { timeout: 30_000 });
  await expect(page.getByTestId('diff-sentences').locator('li').first()).toContainText('postgres');
  await screenshot(page, 'across-from-search');
  // Back returns to the search.
  await page.goBack();
  await expect(page.getByTestId('trace-count')).toContainText('25 of 1,840 traces');
  expect(watch.problems).toEqual([]);
});

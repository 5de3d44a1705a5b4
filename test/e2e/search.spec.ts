// Trace search on the demo incident: a query typed into the bar and the structured filters edit
// one search (each shows what the other wrote), column headers sort both ways with aria-sort,
// j/k and Enter open a trace, and Back returns to the search, kept in the route.
import { test, expect, type Page } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

const count = async (page: Page) => Number(/^\s*([\d,]+)/.exec((await page.getByTestId('trace-count').textContent()) ?? '')?.[1].replace(/,/g, '') ?? NaN);

test('search by query and filters, sort by a header, open with the keys, Back restores the search', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await expect.poll(() => count(page)).toBeGreaterThan(100);

  // The query bar: failed checkouts of the checkout service.
  const bar = page.getByRole('searchbox', { name: 'Search traces' });
  await bar.fill('service=checkout error=true');
  await bar.press('Enter');
  await expect(page).toHaveURL(/#\/traces\?q=service%3Dcheckout\+error%3Dtrue$/);
  await expect.poll(() => count(page)).toBe(25);
  // The filters show what the query says.
  const filters = page.getByRole('group', { name: 'Filters' });
  await expect(filters.getByLabel('Service')).toHaveValue('checkout');
  await expect(filters.getByLabel('Errors')).toHaveValue('only');

  // A filter edits its own term in the query: at least 2.5 s.
  await filters.getByLabel('Minimum trace duration').fill('2.5s');
  await filters.getByLabel('Minimum trace duration').press('Enter');
  await expect(bar).toHaveValue('service=checkout error=true trace.duration>=2500ms');
  await expect.poll(() => count(page)).toBeLessThan(25);
  const slow = await count(page);
  expect(slow).toBeGreaterThan(0);

  // Headers sort: duration (longest first), then again (shortest first).
  const durationHeader = page.getByRole('columnheader', { name: /Duration/ });
  await durationHeader.getByRole('button').click();
  await expect(durationHeader).toHaveAttribute('aria-sort', 'descending');
  await durationHeader.getByRole('button').click();
  await expect(durationHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(page).toHaveURL(/dir=asc/);
  const durations = await page.locator('.trace-row .num.mono').allTextContents();
  expect(durations.length).toBe(slow);
  await screenshot(page, 'search-sorted');

  // j j Enter opens the second trace of the list.
  const second = await page.locator('.trace-row').nth(1).getAttribute('data-trace-id');
  await page.locator('body').press('j');
  await page.locator('body').press('j');
  await page.locator('body').press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/trace/${second}`));
  await expect(page.getByTestId('trace-stats')).toBeVisible();

  // Back: the same search, order and filters.
  await page.goBack();
  await expect(bar).toHaveValue('service=checkout error=true trace.duration>=2500ms');
  await expect(durationHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => count(page)).toBe(slow);

  // A term that cannot be read is named and left out; a hostile value is only text.
  await bar.fill('service=checkout duration>soon "<img src=x onerror=alert(1)>"');
  await bar.press('Enter');
  await expect(page.getByRole('alert')).toContainText('duration>soon');
  await expect.poll(() => count(page)).toBe(0);
  await expect(page.locator('img')).toHaveCount(0);
  await screenshot(page, 'search-error');

  // A link to a search (a changed hash, as a pasted link gives) shows that search.
  await bar.fill('trace.duration>3s');
  await bar.press('Enter');
  await expect.poll(() => count(page)).toBeLessThan(slow);
  const url = page.url();
  await bar.fill('service=redis');
  await bar.press('Enter');
  await expect(page).toHaveURL(/q=service%3Dredis/);
  await page.goto(url);
  await expect(bar).toHaveValue('trace.duration>3s');
  expect(watch.problems).toEqual([]);
});

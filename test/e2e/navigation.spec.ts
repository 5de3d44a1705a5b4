// Navigation: every screen and selection is a history entry. Back and Forward walk through them
// with each screen's state kept (the trace list's order and scroll, the log filters), Back never
// leaves the app while data is loaded, a copied link reopens the same place once the data is
// there, and a reload with unsaved data asks first.
import { test, expect, type Page } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });

async function logCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('log-count').textContent()) ?? '';
  return Number(/([\d,]+) of/.exec(text)?.[1].replace(/,/g, ''));
}

const listScroll = (page: Page) => page.getByRole('grid', { name: 'Trace list' }).evaluate((el) => el.scrollTop);

test('Back and Forward walk screens and selections with their state kept; Back stays in the app', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  const sort = page.getByRole('combobox', { name: 'Sort', exact: true });

  // The trace list sorted by errors and scrolled down.
  await sort.selectOption({ label: 'Most errors' });
  await expect(page).toHaveURL(/#\/traces\?sort=errors$/);
  const grid = page.getByRole('grid', { name: 'Trace list' });
  await grid.evaluate((el) => (el.scrollTop = 2800));
  await expect(page.locator('[aria-rowindex="101"] .trace-row')).toBeVisible();
  const scrolled = await listScroll(page);
  expect(scrolled).toBeGreaterThan(2000);

  // A trace, then a span in it.
  const row = page.locator('[aria-rowindex="102"] .trace-row');
  const traceId = await row.getAttribute('data-trace-id');
  await row.click();
  await expect(page).toHaveURL(new RegExp(`#/trace/${traceId}$`));
  await expect(page.getByTestId('trace-stats')).toBeVisible();
  await page.getByRole('treeitem').nth(1).click();
  await expect(page.getByTestId('span-detail')).toBeVisible();
  const spanUrl = page.url();
  expect(spanUrl).toMatch(new RegExp(`#/trace/${traceId}/[0-9a-f]{16}$`));
  const spanTitle = await page.getByTestId('span-detail').locator('h3').textContent();

  // The logs, filtered to errors.
  await tab(page, 'Logs').click();
  await expect(page.locator('.log-row').first()).toBeVisible();
  const allLines = await logCount(page);
  await page.locator('button[data-severity="error"]').click();
  await expect(page).toHaveURL(/#\/logs\?sev=error$/);
  await expect.poll(() => logCount(page)).toBeLessThan(allLines);
  const errorLines = await logCount(page);
  await screenshot(page, 'navigation-logs-filtered');

  // Back: the filter goes, then the span, then the trace; the list comes back sorted and scrolled.
  await page.goBack();
  await expect(page).toHaveURL(/#\/logs$/);
  await expect.poll(() => logCount(page)).toBe(allLines);
  await page.goBack();
  await expect(page).toHaveURL(spanUrl);
  await expect(page.getByTestId('span-detail').locator('h3')).toHaveText(spanTitle ?? '');
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`#/trace/${traceId}$`));
  await expect(page.getByTestId('span-detail')).toHaveCount(0);
  await page.goBack();
  await expect(page).toHaveURL(/#\/traces\?sort=errors$/);
  await expect(sort).toHaveValue('errors');
  await expect.poll(() => listScroll(page)).toBeCloseTo(scrolled, -1);
  await expect(page.locator(`[aria-rowindex="102"] .trace-row`)).toHaveAttribute('data-trace-id', traceId ?? '');
  await page.goBack();
  await expect(page).toHaveURL(/#\/traces$/);
  await expect(sort).toHaveValue('start');

  // Forward again, to the filtered logs.
  for (let k = 0; k < 5; k++) await page.goForward();
  await expect(page).toHaveURL(/#\/logs\?sev=error$/);
  await expect.poll(() => logCount(page)).toBe(errorLines);

  // Leaving a screen keeps its state: the trace list and back to the logs by their tabs.
  await tab(page, 'Traces').click();
  await expect(sort).toHaveValue('errors');
  await tab(page, 'Logs').click();
  await expect(page).toHaveURL(/#\/logs\?sev=error$/);
  await expect(page.locator('button[data-severity="error"]')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => logCount(page)).toBe(errorLines);

  // Back past the first screen: the app stays, with its data.
  const origin = new URL(page.url()).origin;
  for (let k = 0; k < 12; k++) {
    await page.evaluate(() => history.back());
    await page.waitForTimeout(150);
  }
  expect(new URL(page.url()).origin).toBe(origin);
  await expect(page).toHaveURL(/#\/traces$/);
  await expect(page.getByTestId('totals')).toContainText('traces');
  await expect(page.locator('.trace-row').first()).toBeVisible();
  expect(watch.problems).toEqual([]);
});

test('a copied link reopens the trace and span once the data is loaded', async ({ page, context }) => {
  await openApp(page);
  await openDemo(page);
  await page.locator('.trace-row').nth(3).click();
  await expect(page.getByTestId('trace-stats')).toBeVisible();
  await page.getByRole('treeitem').nth(2).click();
  await page.getByRole('tab', { name: /Critical path/ }).click();
  await expect(page).toHaveURL(/panel=critical/);
  const link = page.url();
  const spanId = /#\/trace\/[0-9a-f]+\/([0-9a-f]+)/.exec(link)?.[1];

  const fresh = await context.newPage();
  await fresh.goto(link);
  await expect(fresh.getByRole('button', { name: 'Open the demo incident' })).toBeEnabled({ timeout: 20_000 });
  await openDemo(fresh);
  await expect(fresh.getByTestId('trace-stats')).toBeVisible();
  await expect(fresh.getByRole('tab', { name: /Critical path/ })).toHaveAttribute('aria-selected', 'true');
  await fresh.getByRole('tab', { name: 'Span' }).click();
  await expect(fresh.getByTestId('span-detail')).toContainText(spanId ?? 'no span id');
});

test('a reload with unsaved data asks first', async ({ page }) => {
  await openApp(page);
  await openDemo(page);
  await page.locator('.trace-row').first().click();
  const asked: string[] = [];
  page.on('dialog', (d) => {
    asked.push(d.type());
    void d.dismiss(); // stay
  });
  await page.evaluate(() => setTimeout(() => location.reload(), 0));
  await expect.poll(() => asked).toEqual(['beforeunload']);
  await expect(page.getByTestId('trace-stats')).toBeVisible();
});

test('Failures, Across traces and Compare are history entries too', async ({ page }) => {
  await openApp(page);
  await openDemo(page);
  await expect(page.locator('.trace-row').nth(1)).toBeVisible(); // the list's first page drawn, before its ids are read
  const ids = await page.locator('.trace-row').evaluateAll((rows) => rows.slice(0, 2).map((r) => r.getAttribute('data-trace-id')));
  await tab(page, 'Failures').click();
  await expect(page).toHaveURL(/#\/failures$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Failures' })).toBeFocused();
  await tab(page, 'Across traces').click();
  await expect(page).toHaveURL(/#\/across$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Across traces' })).toBeFocused();
  await page.evaluate(([a, b]) => (location.hash = `#/compare?a=${a}&b=${b}`), ids);
  // Compare opens both traces before it draws: longer than a screen switch on a loaded machine.
  await expect(page.getByTestId('compare-b')).toContainText(ids[1] ?? 'no trace', { timeout: 20_000 });

  await page.goBack();
  await expect(page).toHaveURL(/#\/across$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Across traces' })).toBeAttached();
  await page.goBack();
  await expect(page).toHaveURL(/#\/failures$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Failures' })).toBeAttached();
  await page.goForward();
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`#/compare\\?a=${ids[0]}&b=${ids[1]}$`));
  await expect(page.getByTestId('compare-a')).toContainText(ids[0] ?? 'no trace');
});

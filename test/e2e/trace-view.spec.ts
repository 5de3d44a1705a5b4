// The trace view end to end: real files opened through the UI (the demo incident, Zipkin corpus
// files through "Open files…"), the waterfall with its critical-path and error-path marks, search,
// collapse, keys, span detail with logs, data quality and the clock-skew view. Each step saves a
// screenshot under test/out/screens/.
import { test, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { openApp, openDemo, screenshot } from './support.ts';
import { CORPUS } from '../corpus.ts';
import { writeBigTrace } from '../bench/synthetic.ts';

const ZIPKIN = `${CORPUS}/zipkin/zipkin-lens/testdata`;

async function openTraceSortedBy(page: Page, sort: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Sort', exact: true }).selectOption({ label: sort });
  await page.locator('.trace-row').first().click();
  await expect(page.getByTestId('trace-stats')).toBeVisible({ timeout: 10_000 });
}

async function dismissReport(page: Page): Promise<void> {
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
}

const rows = (page: Page) => page.getByRole('treeitem');
const row = (page: Page, name: string) => rows(page).filter({ hasText: name }).first();

test('slowest demo trace: critical path marks and table, search, collapse, keys, span detail with logs', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await dismissReport(page);
  await openTraceSortedBy(page, 'Slowest');
  await expect(rows(page).first()).toBeVisible();
  const total = await rows(page).count();
  expect(total).toBeGreaterThan(5);
  // A screen reader hears where each span stands among its siblings: the root is one of one.
  await expect(rows(page).first()).toHaveAttribute('aria-posinset', '1');
  await expect(rows(page).first()).toHaveAttribute('aria-setsize', '1');
  await expect(rows(page).nth(1)).toHaveAttribute('aria-level', '2');

  // Critical path: marked rows, the filter, the table.
  const critical = await page.locator('[role="treeitem"][data-critical="true"]').count();
  expect(critical).toBeGreaterThan(2);
  await expect(row(page, 'PlaceOrder')).toHaveAttribute('data-critical', 'true');
  await page.getByRole('tab', { name: 'Critical path' }).click();
  const byService = page.getByTestId('cp-by-service').locator('tbody tr');
  expect(await byService.count()).toBeGreaterThan(1);
  await expect(byService.first()).toContainText('%');
  await page.getByLabel('Critical path only').check();
  await expect(page.locator('[role="treeitem"][data-critical="false"]')).toHaveCount(0);
  expect(await rows(page).count()).toBe(critical);
  await screenshot(page, 'trace-critical-path');
  await page.getByLabel('Critical path only').uncheck();
  await expect(rows(page)).toHaveCount(total);

  // Search: `/` focuses it, hits are counted and stepped through.
  await page.locator('canvas[aria-label="Span bars"]').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search spans')).toBeFocused();
  // One input event: typed key by key on a loaded machine, a word's first letters were searched
  // (and counted) before the rest arrived.
  await page.getByLabel('Search spans').fill('postgres');
  const count = page.getByTestId('search-count');
  await expect(count).toHaveText(/^– of \d+$/);
  const hits = Number(/of (\d+)/.exec((await count.textContent()) ?? '')?.[1]);
  expect(hits).toBeGreaterThan(0);
  await page.keyboard.press('Enter');
  await expect(count).toHaveText(`1 of ${hits}`);
  await expect(page.locator('[role="treeitem"][aria-selected="true"]')).toContainText('postgres');
  if (hits > 1) {
    await page.keyboard.press('Enter');
    await expect(count).toHaveText(`2 of ${hits}`);
  }
  await page.keyboard.press('Shift+Enter');
  await expect(count).toHaveText(`1 of ${hits}`);
  await screenshot(page, 'trace-search');
  await page.keyboard.press('Escape');

  // Collapse one subtree, then expand it again.
  const place = row(page, 'PlaceOrder');
  const label = (await place.getByRole('button').getAttribute('aria-label')) ?? '';
  const hidden = Number(/\((\d+) spans\)/.exec(label)?.[1]);
  expect(hidden).toBeGreaterThan(3);
  await place.getByRole('button').click();
  await expect(rows(page)).toHaveCount(total - hidden);
  await expect(place).toHaveAttribute('aria-expanded', 'false');
  await screenshot(page, 'trace-collapsed');
  await place.getByRole('button').click();
  await expect(rows(page)).toHaveCount(total);
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(rows(page)).toHaveCount(1);
  await page.getByLabel('Collapse to depth').fill('1');
  await page.getByLabel('Collapse to depth').dispatchEvent('change');
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(rows(page)).toHaveCount(total);

  // Keys: W zooms in (Reset zoom becomes available), D pans, J/K move the selection.
  const reset = page.getByRole('button', { name: 'Reset zoom' });
  await expect(reset).toBeDisabled();
  await page.locator('canvas[aria-label="Span bars"]').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('w');
  await page.keyboard.press('w');
  await expect(reset).toBeEnabled();
  await page.keyboard.press('d');
  const firstTick = await page.locator('.tick').first().textContent();
  expect(firstTick).not.toBe('0');
  await page.keyboard.press('j');
  const selected = page.locator('[role="treeitem"][aria-selected="true"]');
  const before = await selected.getAttribute('data-span-id');
  await page.keyboard.press('j');
  expect(await selected.getAttribute('data-span-id')).not.toBe(before);
  await page.keyboard.press('k');
  await expect(selected).toHaveAttribute('data-span-id', before ?? '');
  await reset.click();

  // Span detail: timing, attributes, logs (the demo's checkout lines carry trace and span ids).
  await row(page, 'PlaceOrder').click();
  const detail = page.getByTestId('span-detail');
  await expect(detail).toContainText('checkout › PlaceOrder');
  await expect(detail.getByTestId('span-start')).toContainText('UTC');
  await expect(detail).toContainText('from the trace\'s start');
  await expect(detail.getByTestId('self-time')).not.toBeEmpty();
  await expect(detail.getByTestId('span-logs-exact').locator('li').first()).toBeVisible();
  await detail.getByRole('button', { name: 'Show local time' }).click();
  // Local time carries the machine's offset and zone name (the UTC form ends in " UTC").
  await expect(detail.getByTestId('span-start')).toHaveText(/ [+-]\d\d:\d\d( \(.+\))?$/);
  expect(page.url()).toMatch(/#\/trace\/[0-9a-f]{32}\/[0-9a-f]{16}$/);
  await screenshot(page, 'trace-span-detail');

  expect(watch.problems).toEqual([]);
});

test('failing demo trace: error path summary selects the root cause with its exception', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await dismissReport(page);
  await openTraceSortedBy(page, 'Most errors');
  const summary = page.getByTestId('error-path');
  await expect(summary).toBeVisible();
  const text = (await summary.getByRole('button').textContent()) ?? '';
  expect(text).toMatch(/^[^›]+( › [^›]+)+: .+/);
  // The error path arrives after the rows: wait for it to be marked.
  await expect.poll(() => page.locator('[role="treeitem"][data-error-path="true"]').count()).toBeGreaterThan(1);
  await summary.getByRole('button').click();
  const detail = page.getByTestId('span-detail');
  await expect(detail).toBeVisible();
  const selected = page.locator('[role="treeitem"][aria-selected="true"]');
  await expect(selected).toHaveAttribute('data-error-path', 'true');
  await expect(detail).toContainText('error');
  await screenshot(page, 'trace-error-path');
  expect(watch.problems).toEqual([]);
});

test('Zipkin files opened through the file picker: 1,041-span trace, attribute search, data quality and clock skew', async ({ page }) => {
  const watch = await openApp(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles([`${ZIPKIN}/smartthings-mobile-web-install.json`, `${ZIPKIN}/skew.json`]);
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 30_000 });
  await dismissReport(page);
  await openTraceSortedBy(page, 'Most spans');
  await expect(page.getByTestId('trace-stats')).toContainText('1,041 spans · 16 services');
  await page.getByLabel('Search spans').fill('cassandra.keyspace');
  await expect(page.getByTestId('search-count')).toHaveText('– of 132');
  await page.getByLabel('Search spans').press('Enter');
  await expect(page.getByTestId('span-detail').getByTestId('span-attributes')).toContainText('cassandra.keyspace');
  await screenshot(page, 'trace-zipkin-smartthings');
  // The virtualised waterfall keeps few rows in the DOM, whatever the trace's size.
  expect(await page.getByRole('treeitem').count()).toBeLessThan(80);

  await page.getByRole('button', { name: '← Traces' }).click();
  await page.getByRole('combobox', { name: 'Sort', exact: true }).selectOption({ label: 'Most spans' });
  await page.locator('.trace-row').nth(1).click();
  await expect(page.getByTestId('trace-stats')).toContainText('4 spans');
  await page.getByRole('tab', { name: /Data quality/ }).click();
  await expect(page.getByTestId('findings')).toContainText('clock_skew');
  // The server half shares its span id with the client half (B3); the finding flags that id.
  const server = page.locator('[role="treeitem"][data-flagged="true"]').filter({ hasText: /serviceb\s*post/ });
  await expect(server).toBeVisible();
  await page.getByText('Show clock-skew-adjusted times').click();
  await server.click();
  await expect(page.getByTestId('span-detail')).toContainText('clock-skew adjusted by 65.9 ms');
  await screenshot(page, 'trace-clock-skew');
  expect(watch.problems).toEqual([]);
});


test('a 100,000-span trace opens fast, stays virtualised, scrolls, collapses and searches', async ({ page }) => {
  test.setTimeout(90_000);
  mkdirSync('test/out', { recursive: true });
  const file = 'test/out/big-trace.otlp.jsonl';
  writeBigTrace(file, 100_000);
  const watch = await openApp(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles(file);
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 60_000 });
  await dismissReport(page);
  await page.locator('.trace-row').first().click();
  const stats = page.getByTestId('trace-stats');
  await expect(stats).toContainText('100,000 spans · 10 services', { timeout: 30_000 }); // a shared machine may take seconds
  await expect(stats).toContainText('opened in');
  const openedMs = Number(/opened in (\d+) ms/.exec((await stats.textContent()) ?? '')?.[1]);
  // The critical and error paths follow the rows; the toolbar says so until they are in.
  await expect(page.getByTestId('analyses-pending')).toHaveCount(0);
  await expect(row(page, 'call 0')).toHaveAttribute('data-critical', 'true');
  console.log(`100,000-span trace: rows on screen in ${openedMs} ms; ${await stats.getAttribute('title')}`);
  expect(openedMs).toBeGreaterThan(0);
  await expect(page.getByText('(100,000 rows)')).toBeVisible();
  expect(await rows(page).count()).toBeLessThan(80);
  await screenshot(page, 'trace-100k');

  // Scroll to the end: the last rows are the last call's children.
  const scroller = page.locator('.scroller');
  const t0 = Date.now();
  for (let k = 1; k <= 20; k++) await scroller.evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), k / 20);
  await expect(rows(page).last()).toContainText('work');
  console.log(`20 scroll steps over 100,000 rows: ${Date.now() - t0} ms`);
  await screenshot(page, 'trace-100k-end');

  await page.getByLabel('Search spans').fill('call 99');
  await expect(page.getByTestId('search-count')).toHaveText('– of 11');
  await page.getByLabel('Search spans').press('Enter');
  await expect(page.locator('[role="treeitem"][aria-selected="true"]')).toContainText('call 99');
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(rows(page)).toHaveCount(1);
  await page.getByLabel('Collapse to depth').fill('1');
  await page.getByLabel('Collapse to depth').dispatchEvent('change');
  await expect(page.getByText('(1,001 rows)')).toBeVisible();
  expect(watch.problems).toEqual([]);
});

import { test, expect } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

test('empty state offers drop, open and the demo; the demo fills the trace list', async ({ page }) => {
  const watch = await openApp(page);
  await expect(page.getByText('Drop trace dumps and log files here')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open files…' }).first()).toBeVisible();
  await screenshot(page, 'empty-state');

  await openDemo(page);
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('traces.otlp.jsonl');
  // The demo holds a line cut short on purpose: the report names the file and the line.
  await expect(report).toContainText(/traces\.otlp\.jsonl, line \d+/);

  const rows = page.locator('.trace-row');
  await expect(rows.first()).toBeVisible();
  const totals = await page.getByTestId('totals').textContent();
  const traces = Number(/([\d,]+) traces/.exec(totals ?? '')?.[1].replace(/,/g, ''));
  expect(traces).toBeGreaterThan(1000);
  // Virtualised: only the visible rows exist, however many traces there are.
  expect(await rows.count()).toBeLessThan(80);
  // Sorted by start: the first rows are in time order.
  const starts = await rows.locator('span:nth-child(3)').allTextContents();
  expect(starts.slice(0, 10)).toEqual([...starts.slice(0, 10)].sort());
  await screenshot(page, 'trace-list');

  // Scrolling to the end loads the last page.
  await page.getByRole('grid', { name: 'Trace list' }).evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator(`[aria-rowindex="${traces}"] .trace-row`)).toBeVisible();

  expect(watch.problems).toEqual([]);
});

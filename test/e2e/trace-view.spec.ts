import { test, expect, type Page } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

async function openFirstTrace(page: Page, sort: string): Promise<void> {
  await page.getByRole('combobox').first().selectOption({ label: sort });
  await page.locator('.trace-row').first().click();
  await expect(page.getByTestId('trace-stats')).toBeVisible({ timeout: 10_000 });
}

test('demo slowest trace: waterfall, critical path marks and table, search, collapse, span detail with logs', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await openFirstTrace(page, 'Slowest');
  const rows = page.getByRole('treeitem');
  await expect(rows.first()).toBeVisible();
  await screenshot(page, 'trace-view-slowest');
  expect(watch.problems).toEqual([]);
});

import { test, expect } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

// The machine's zone is +05:30: a choice of local time moves every table, chart and panel by the
// same half hour and five hours, and the headers name the zone.
test.use({ timezoneId: 'Asia/Kolkata' });

test('times: UTC by default, the machine\'s zone when chosen, the same in the trace list, the scatter, the logs and the span panel, remembered', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  const grid = page.getByRole('grid', { name: 'Trace list' });
  const firstStart = grid.locator('[role="row"][aria-rowindex="1"] .trace-row span:nth-child(3)');
  await expect(page.getByRole('columnheader', { name: /^Start \(UTC\)/ })).toBeVisible();
  await expect(firstStart).toHaveText('2026-11-20 09:00:08.850');
  // The chart's legend shows its time range before any hover (its axis labels are on the canvas).
  const chart = page.getByTestId('trace-scatter');
  await expect(chart).toContainText('2026-11-20 09:00:08.850');

  await page.getByTestId('time-zone').selectOption('local');
  await expect(page.getByRole('columnheader', { name: /^Start \(Asia\/\w+\)/ })).toBeVisible();
  await expect(firstStart).toHaveText('2026-11-20 14:30:08.850');
  await expect(chart).toContainText('2026-11-20 14:30:08.850');
  await expect(chart).not.toContainText('09:00:08.850');
  await screenshot(page, 'time-zone-local');

  // The span panel follows the same choice, with the offset and the zone's name.
  await firstStart.click();
  await page.getByRole('treeitem').first().click();
  await expect(page.getByTestId('span-start')).toHaveText(/^2026-11-20 14:30:08\.850\d{6} \+05:30 \(Asia\/\w+\)$/);

  // The log lines too, and the choice outlives a reload.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Logs' }).click();
  await expect(page.getByText(/^Time \(Asia\/\w+\)$/)).toBeVisible();
  const firstLine = page.locator('.log-row').first().locator('span').first();
  await expect(firstLine).toHaveText(/^2026-11-20 1[45]:\d\d:\d\d\.\d{3}$/);
  await page.reload();
  await expect(page.getByTestId('time-zone')).toHaveValue('local');
  expect(watch.problems).toEqual([]);
});

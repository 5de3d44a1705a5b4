// The latency scatter above the trace list on the demo: a point per listed trace, errors in their
// own series; a search narrows it; a box dragged over it narrows the search (time and duration
// terms in the query and the route); a click on a point opens its trace; Back restores the search.
import { test, expect, type Page } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

const count = async (page: Page) => Number(/^\s*([\d,]+)/.exec((await page.getByTestId('trace-count').textContent()) ?? '')?.[1].replace(/,/g, '') ?? NaN);

test('scatter: search → box → trace → Back restores the search; log scale; histogram', async ({ page }) => {
  test.setTimeout(120_000);
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  const scatter = page.getByTestId('trace-scatter');
  await expect(scatter).toContainText('(1,840)');
  const hist = page.getByRole('table', { name: 'Trace durations' });
  const binTotal = async () => (await hist.locator('td.n').allTextContents()).reduce((n, t) => n + Number(t.replace(/,/g, '')), 0);
  expect(await binTotal()).toBe(1840);
  await screenshot(page, 'trace-scatter');

  // A search narrows the scatter to what it finds.
  const search = page.getByRole('searchbox', { name: 'Search traces' });
  await search.fill('service=checkout');
  await search.press('Enter');
  await expect.poll(() => count(page)).toBeLessThan(1840);
  const found = await count(page);
  await expect(scatter).toContainText(`(${found.toLocaleString('en-US')})`);
  expect(await binTotal()).toBe(found);

  // A box over the slow half of the plot: the query gains time and duration terms.
  const over = scatter.locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 2, box.y + box.height * 0.45, { steps: 6 });
  await page.mouse.up();
  await expect(search).toHaveValue(/^service=checkout from=\S+ to=\S+ trace\.duration>=[\d.]+m?s trace\.duration<=[\d.]+m?s$/);
  await expect(page).toHaveURL(/trace\.duration/);
  await expect.poll(() => count(page)).toBeLessThan(found);
  const boxed = await count(page);
  expect(boxed).toBeGreaterThan(0);
  const query = await search.inputValue();
  await screenshot(page, 'trace-scatter-boxed');

  // A click on a point opens its trace; Back returns to the same search.
  await page.getByLabel('Log scale').uncheck();
  await page.getByLabel('Log scale').check();
  const boxNow = (await scatter.locator('.u-over').boundingBox())!;
  // The first point drawn is the earliest trace: find a pixel that picks one by sweeping the plot.
  let opened = false;
  for (let fx = 0.02; fx < 1 && !opened; fx += 0.04) {
    for (let fy = 0.05; fy < 1 && !opened; fy += 0.1) {
      await page.mouse.click(boxNow.x + boxNow.width * fx, boxNow.y + boxNow.height * fy);
      // A hit asks the engine for the trace's id before the route changes: wait for it, or the
      // next click lands on the trace screen and Back no longer leads to the list.
      opened = await page.waitForURL(/#\/trace\//, { timeout: 750 }).then(
        () => true,
        () => false,
      );
    }
  }
  expect(opened).toBe(true);
  await expect(page.getByTestId('trace-stats')).toBeVisible({ timeout: 15_000 });
  await page.goBack();
  await expect(search).toHaveValue(query);
  await expect.poll(() => count(page)).toBe(boxed);
  expect(watch.problems).toEqual([]);
});

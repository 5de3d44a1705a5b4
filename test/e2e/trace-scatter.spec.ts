// The latency scatter above the trace list on the demo: a point per listed trace, errors in their
// own series; a search narrows it; a box dragged over it narrows the search (time and duration
// terms in the query and the route); a click on a point opens its trace; Back restores the search.
import { test, expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { openApp, openDemo, screenshot } from './support.ts';
import { generateIncident } from '../../src-renderer/core/demo/incident.ts';

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

  // In a narrow window (900 px) the header keeps its buttons on one row (its control labels give
  // way, their names stay) and the list keeps every column in view.
  for (const width of [1280, 900]) {
    await page.setViewportSize({ width, height: 860 });
    const top = async (name: string) => (await page.getByRole('banner').getByRole('button', { name, exact: true }).boundingBox())!.y;
    expect(Math.abs((await top('Save as…')) - (await top('Open files…'))), `header at ${width} px`).toBeLessThan(4);
    await expect(page.getByLabel('Theme')).toBeVisible();
    await expect(page.getByLabel('Times')).toBeVisible();
    const errors = (await page.getByRole('columnheader', { name: /^Errors/ }).boundingBox())!;
    expect(errors.x + errors.width, `list columns at ${width} px`).toBeLessThanOrEqual(width);
    await screenshot(page, `trace-list-${width}`);
  }
  await page.setViewportSize({ width: 1400, height: 860 });

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

/** Pixels of the plot's canvas within 40 (summed over R, G, B) of each colour given as a CSS colour. */
async function pixelsOf(page: Page, colours: string[]): Promise<number[]> {
  return page.getByTestId('trace-scatter').locator('canvas').evaluate((canvas: HTMLCanvasElement, css: string[]) => {
    const rgb = css.map((c) => {
      const probe = document.createElement('canvas').getContext('2d')!;
      probe.fillStyle = c;
      probe.fillRect(0, 0, 1, 1);
      return Array.from(probe.getImageData(0, 0, 1, 1).data.slice(0, 3));
    });
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const n = rgb.map(() => 0);
    for (let i = 0; i < d.length; i += 4) rgb.forEach((c, k) => Math.abs(d[i] - c[0]) + Math.abs(d[i + 1] - c[1]) + Math.abs(d[i + 2] - c[2]) < 40 && n[k]++);
    return n;
  }, colours);
}

test('a dense scatter: more than 5,000 traces drawn per pixel, both series, a legend with gaps, a click opens a trace', async ({ page }, info) => {
  test.setTimeout(180_000);
  // The demo incident's generator at a busier rate: 6,669 traces in ten minutes, written as the
  // app's demo writes its OTLP file.
  const file = info.outputPath('busy.otlp.jsonl');
  const lines: string[] = [];
  for (const l of generateIncident({ seed: 11, durationMin: 10, meanGapMs: 90, incidentFromMin: 4, incidentToMin: 6 })) if (l.file === 'traces.otlp.jsonl') lines.push(l.text);
  writeFileSync(file, lines.join('\n') + '\n');
  const watch = await openApp(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles([file]);
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  const scatter = page.getByTestId('trace-scatter');
  await expect(scatter).toContainText('(6,669)', { timeout: 30_000 });

  // Both series are drawn, each in its colour, per pixel (uPlot's circles stop at 5,000 points).
  const colours = await page.evaluate(() => ['--chart-1', '--sev-fill-error'].map((v) => getComputedStyle(document.documentElement).getPropertyValue(v).trim()));
  await expect.poll(async () => Math.min(...(await pixelsOf(page, colours)))).toBeGreaterThan(200);
  const [ok, bad] = await pixelsOf(page, colours);
  expect(ok).toBeGreaterThan(bad);
  await screenshot(page, 'trace-scatter-dense');

  // Off the plot the legend gives each series' range; on a point, its value and a gap for the
  // other series, never NaN.
  const legend = scatter.locator('.u-legend');
  await expect(legend).toContainText(/traces\s*\S+.*–/s);
  const over = scatter.locator('.u-over');
  const box = (await over.boundingBox())!;
  let gaps = 0;
  for (let fx = 0.1; fx < 1; fx += 0.2) {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * 0.5);
    const values = await legend.locator('.u-value').allTextContents();
    expect(values.join(' ')).not.toMatch(/NaN/);
    if (values.slice(1).includes('—')) gaps++;
  }
  expect(gaps).toBeGreaterThan(0);

  // A click on the dense band opens the trace under it.
  let opened = false;
  for (let fy = 0.3; fy < 1 && !opened; fy += 0.1) {
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * fy);
    opened = await page.waitForURL(/#\/trace\//, { timeout: 1500 }).then(
      () => true,
      () => false,
    );
  }
  expect(opened).toBe(true);
  await expect(page.getByTestId('trace-stats')).toBeVisible({ timeout: 15_000 });
  expect(watch.problems).toEqual([]);
});

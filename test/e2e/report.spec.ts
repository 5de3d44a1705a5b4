import { test, expect } from '@playwright/test';
import { openApp, openDemo, screenshot, defineFrontendSlo } from './support.ts';

async function download(page: import('@playwright/test').Page, button: string): Promise<string> {
  const d = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const chunks: Buffer[] = [];
  for await (const c of await (await d).createReadStream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

test('report: the demo incident’s window, edited, exported as Markdown and as HTML without script', async ({ page }) => {
  test.setTimeout(180_000);
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Report', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Postmortem report' })).toBeFocused();
  await page.getByLabel('Report window start').fill('2026-11-20T10:10:00Z');
  await page.getByLabel('Report window end').fill('2026-11-20T10:20:00Z');
  await page.getByRole('button', { name: 'Build' }).click();
  const preview = page.getByTestId('report-preview');
  await expect(preview).toContainText('## Common root causes', { timeout: 60_000 });
  await expect(preview).toContainText('postgres');
  await expect(preview).toContainText('| team-data | postgres |');
  // The chart the HTML export draws, drawn in the app: uPlot's canvas, its axes and both series named.
  const chart = page.getByTestId('report-chart');
  await expect(chart.locator('canvas')).toBeVisible();
  await expect(chart.locator('.u-axis')).toHaveCount(2);
  await expect(chart.locator('.u-legend .u-series').filter({ hasText: 'requests' })).toBeVisible();
  await expect(chart.locator('.u-legend .u-series').filter({ hasText: 'failed' })).toBeVisible();
  // Some bars are red: the window's failures reached the canvas.
  const red = await chart.locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] > 150 && px[i + 1] < 80 && px[i + 2] < 80) n++;
    return n;
  });
  expect(red).toBeGreaterThan(50);
  await chart.scrollIntoViewIfNeeded();
  await screenshot(page, 'report-chart');

  // The report as it reads: a log line's trace opens the trace view on that line's span, a history
  // entry (Back returns to the report); an example error path opens its trace on the root cause.
  const body = page.getByTestId('report-body');
  await expect(body.getByRole('region', { name: 'Owners involved' })).toContainText('team-data');
  // Readable at 1280 and 900 px: a time, a trace id, a service or a count never breaks inside itself.
  for (const width of [1280, 900]) {
    await page.setViewportSize({ width, height: 860 });
    const oneLine = async (cells: import('@playwright/test').Locator, what: string) => {
      // The lines a cell's text takes: the distinct tops of its text's boxes.
      const boxes = await cells.evaluateAll((els) =>
        els.map((e) => {
          const r = document.createRange();
          r.selectNodeContents(e);
          return { text: e.textContent ?? '', lines: new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size };
        }),
      );
      expect(boxes.length, what).toBeGreaterThan(0);
      for (const b of boxes) expect(b.lines, `${what} "${b.text}" at ${width} px`).toBeLessThanOrEqual(1);
    };
    await oneLine(body.locator('td .time'), 'time');
    await oneLine(body.locator('td button.mono'), 'trace id');
    await oneLine(body.getByRole('region', { name: 'First error log lines' }).locator('tbody td:nth-child(2)'), 'service');
    await oneLine(body.getByRole('region', { name: 'Owners involved' }).locator('tbody td:nth-child(1)'), 'owner');
    await body.getByRole('region', { name: 'Common root causes' }).scrollIntoViewIfNeeded();
    await screenshot(page, `report-tables-${width}`);
  }
  await page.setViewportSize({ width: 1400, height: 860 });
  const logLink = body.getByRole('region', { name: 'First error log lines' }).getByRole('button').first();
  // A trace id shows as its first 8 digits; the title has it whole.
  const [, logTrace, logSpan] = (await logLink.getAttribute('title'))?.match(/^Open trace ([0-9a-f]{32})(?: at span ([0-9a-f]{16}))?$/) ?? [];
  expect(logTrace).toBeTruthy();
  await expect(logLink).toHaveText(logTrace.slice(0, 8));
  await logLink.click();
  await expect(page).toHaveURL(new RegExp(`#/trace/${logTrace}${logSpan ? `/${logSpan}` : ''}$`));
  await expect(page.getByTestId('trace-stats')).toBeVisible();
  if (logSpan) await expect(page.getByTestId('span-detail')).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/#\/report$/);
  const causes = body.getByRole('region', { name: 'Common root causes' });
  await expect(causes).toBeVisible();
  const pathLink = causes.getByRole('button', { name: /›/ }).first();
  const [, causeTrace, causeSpan] = (await pathLink.getAttribute('title'))?.match(/^Open trace ([0-9a-f]{32}) at span ([0-9a-f]{16})$/) ?? [];
  expect(causeSpan).toBeTruthy();
  await pathLink.click();
  await expect(page).toHaveURL(new RegExp(`#/trace/${causeTrace}/${causeSpan}$`));
  await expect(page.getByTestId('span-detail')).toBeVisible();
  await screenshot(page, 'report-error-path-opened');
  await page.goBack();
  await expect(page).toHaveURL(/#\/report$/);
  await expect(causes.getByRole('button', { name: /›/ }).first()).toBeVisible();
  await page.getByRole('textbox', { name: 'Title' }).fill('Checkout failures <script>window.__pwned=1</script>');
  await page.getByRole('textbox', { name: /^Summary/ }).fill('Payments timed out against the database.');
  await page.getByRole('textbox', { name: /^Actions/ }).fill('Add an index on payments.order_id\nAlert on statement timeouts');

  await expect(preview).toContainText('- [ ] Alert on statement timeouts');
  await expect(preview).toContainText('# Checkout failures &lt;script&gt;');
  await screenshot(page, 'report');

  const md = await download(page, 'Export Markdown…');
  expect(md).toContain('\nPayments timed out against the database.\n');
  expect(md).not.toContain('<script');
  const html = await download(page, 'Export HTML…');
  expect(html).toContain('Content-Security-Policy');
  expect(html).toContain('<svg');
  expect(html).not.toContain('<script');
  expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');

  // The draft stays across screens (it is kept in the workspace: report.test.ts reads it back from a saved one).
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Owners', exact: true }).click();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Report', exact: true }).click();
  await expect(page.getByLabel('Report window start')).toHaveValue('2026-11-20T10:10:00Z');
  await expect(page.getByRole('textbox', { name: /^Actions/ })).toHaveValue('Add an index on payments.order_id\nAlert on statement timeouts');
  // The report shown again still follows what is typed (its state outlives the screen's components).
  await expect(page.getByTestId('report-body').getByRole('region', { name: 'Actions' })).toContainText('Alert on statement timeouts');
  await page.getByRole('textbox', { name: /^Actions/ }).fill('Alert on statement timeouts');
  await expect(page.getByTestId('report-body').getByRole('region', { name: 'Actions' }).getByRole('listitem')).toHaveCount(1);
  // An SLO defined in the workspace is in the report when it shows again: its events in the window.
  await defineFrontendSlo(page);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Report', exact: true }).click();
  const impact = page.getByTestId('report-body').getByRole('region', { name: 'SLO impact' });
  await expect(impact.getByRole('row')).toHaveCount(2, { timeout: 30_000 });
  await expect(impact).toContainText('frontend POST /checkout');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(watch.problems).toEqual([]);
});

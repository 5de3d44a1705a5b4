import { test, expect, type Page } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

async function lineCount(page: Page): Promise<{ shown: number; total: number }> {
  const text = (await page.getByTestId('log-count').textContent()) ?? '';
  const m = /([\d,]+) of ([\d,]+) lines/.exec(text);
  return { shown: Number(m?.[1].replace(/,/g, '')), total: Number(m?.[2].replace(/,/g, '')) };
}

async function openLogs(page: Page): Promise<void> {
  await openDemo(page);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Logs' }).click();
  await expect(page.locator('.log-row').first()).toBeVisible();
}

test('logs: merged by time, severity filter, search with hit navigation, record panel, open a trace', async ({ page }) => {
  const watch = await openApp(page);
  await openLogs(page);
  const all = await lineCount(page);
  expect(all.total).toBeGreaterThan(1000);
  expect(all.shown).toBe(all.total);
  // Virtualised, and merged by time across the three log files.
  const rows = page.locator('.log-row');
  expect(await rows.count()).toBeLessThan(80);
  const times = await rows.locator('span:nth-child(1)').allTextContents();
  expect(times.length).toBeGreaterThan(10);
  expect(times).toEqual([...times].sort());
  await expect(page.locator('select[aria-label="Source"] option')).toHaveCount(4); // all + three files
  await screenshot(page, 'logs-merged');

  // Severity = error.
  await page.locator('button[data-severity="error"]').click();
  await expect.poll(async () => (await lineCount(page)).shown).toBeLessThan(all.total);
  const errors = await lineCount(page);
  expect(errors.shown).toBeGreaterThan(0);
  await expect(rows.first().locator('.sev')).toHaveText('error');
  expect(new Set(await rows.locator('.sev').allTextContents())).toEqual(new Set(['error']));

  // Search, then walk the hits: each one is selected and its record shows the word.
  const search = page.getByRole('searchbox', { name: 'Search logs' });
  await search.fill('timeout');
  await search.press('Enter');
  const hits = page.getByTestId('log-hits');
  await expect(hits).toHaveText(/^1 \/ [\d,]+ hits$/);
  const n = Number(/\/ ([\d,]+) hits/.exec((await hits.textContent()) ?? '')?.[1].replace(/,/g, ''));
  expect(n).toBeGreaterThan(1);
  const record = page.getByTestId('log-record');
  await expect(record.locator('pre.message')).toContainText(/timeout/i);
  const firstMessage = await record.locator('pre.message').textContent();
  await page.getByRole('button', { name: 'Next hit' }).click();
  await expect(hits).toHaveText(`2 / ${n} hits`);
  await expect(record.locator('pre.message')).toContainText(/timeout/i);
  await expect(page.locator('[role="row"].selected .log-row.hit')).toBeVisible();
  await page.getByRole('button', { name: 'Previous hit' }).click();
  await page.getByRole('button', { name: 'Previous hit' }).click();
  await expect(hits).toHaveText(`${n} / ${n} hits`); // wraps around
  await page.getByRole('button', { name: 'Next hit' }).click();
  await expect(record.locator('pre.message')).toHaveText(firstMessage ?? '');
  // The record: every field as text, attributes as JSON, the span and how it matched.
  await expect(record).toContainText('services.log.jsonl, line');
  // The line's service with its owner (the demo's spans say service.owner).
  await expect(record.getByTestId('service-owner')).toHaveText(/^team-/);
  await expect(record.getByTestId('log-span-match')).toHaveAttribute('data-match', /exact|trace|inferred/);
  await screenshot(page, 'logs-search-record');

  // Open a trace from a line's trace button.
  const traceButton = page.locator('.log-row button.trace').first();
  const traceId = await traceButton.getAttribute('title');
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  await traceButton.click();
  await expect(page).toHaveURL(new RegExp(`#/trace/${traceId}`));
  expect(watch.problems).toEqual([]);
});

test('logs: dragging on the volume chart filters to that time range; All time clears it', async ({ page }) => {
  const watch = await openApp(page);
  await openLogs(page);
  const all = await lineCount(page);
  const over = page.locator('[data-testid="log-histogram"] .u-over');
  await expect(over).toBeVisible();
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('log-range')).toBeVisible();
  await expect.poll(async () => (await lineCount(page)).shown).toBeLessThan(all.total);
  const ranged = await lineCount(page);
  expect(ranged.shown).toBeGreaterThan(0);
  // Every line shown lies inside the range.
  const [from, to] = ((await page.getByTestId('log-range').textContent()) ?? '').split('–').map((s) => s.replace('All time', '').trim());
  const times = await page.locator('.log-row span:nth-child(1)').allTextContents();
  for (const t of times) {
    expect(t >= from).toBe(true);
    expect(t < to).toBe(true);
  }
  await screenshot(page, 'logs-range');
  await page.getByRole('button', { name: 'All time' }).click();
  await expect.poll(async () => (await lineCount(page)).shown).toBe(all.total);
  expect(watch.problems).toEqual([]);
});

test('logs: hostile text renders as text; a 64-bit trace id shows as a partial match', async ({ page }) => {
  const watch = await openApp(page);
  const lines = [
    { time: '2026-11-20T09:00:00.000Z', level: 'info', service: '<b>svc</b>', msg: '<img src=x onerror="window.__pwned=1">hello', '<script>k</script>': '<i>v</i>' },
    { time: '2026-11-20T09:00:01.000Z', level: 'error', service: 'pay', msg: 'declined "quoted" & <tag>', 'dd.trace_id': '1234567890123456789', big: 1 },
  ];
  const text = lines.map((l) => JSON.stringify(l).replace('"big":1}', '"big":12345678901234567890}')).join('\n') + '\n';
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles({ name: 'hostile.log', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await expect(page.getByTestId('import-report')).toContainText('hostile.log');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Logs' }).click();
  const rows = page.locator('.log-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator('.msg')).toHaveText('<img src=x onerror="window.__pwned=1">hello');
  await expect(rows.nth(0).locator('.svc')).toHaveText('<b>svc</b>');
  await expect(rows.nth(1).locator('button.trace')).toHaveText('partial');
  await rows.nth(0).click();
  const record = page.getByTestId('log-record');
  await expect(record.locator('pre.attrs')).toContainText('"<script>k</script>": "<i>v</i>"');
  await rows.nth(1).click();
  await expect(record.locator('pre.attrs')).toContainText('12345678901234567890'); // every digit kept
  await screenshot(page, 'logs-hostile');
  expect(await page.locator('main img, main script, main b, main i').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // The 64-bit id matches no trace here: the view says so instead of opening an empty trace.
  await rows.nth(1).locator('button.trace').click();
  await expect(page.getByRole('status')).toContainText('not in the workspace');
  expect(watch.problems).toEqual([]);
});

import { test, expect } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

test('share redacted: a bad pattern is refused before it runs; the preview lists what changes; the redacted workspace downloads', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Files' }).click();
  const panel = page.getByTestId('redact-panel');
  await panel.getByLabel('Patterns to replace').fill('(a+)+$');
  await expect(panel.getByRole('alert')).toContainText('exponential time');
  await expect(panel.getByRole('button', { name: 'Preview' })).toBeDisabled();
  await panel.getByLabel('Patterns to replace').fill('cart:[0-9]+');
  await panel.getByLabel('Attribute keys to replace').fill('messaging.system');
  await panel.getByRole('button', { name: 'Preview' }).click();
  await expect(panel.getByTestId('redact-summary')).toContainText('chosen key: 1', { timeout: 30_000 });
  await expect(panel.getByTestId('redact-summary')).toContainText('pattern:');
  const table = panel.getByRole('table', { name: 'Redaction preview' });
  await expect(table.locator('tr', { hasText: 'kafka' })).toHaveCount(1);
  await table.scrollIntoViewIfNeeded();
  await screenshot(page, 'redact-preview');
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export redacted workspace…' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('workspace.redacted.tracedeck.sqlite');
  // The traces alone as OTLP/JSON lines, the chosen key's values replaced there too.
  const otlp = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export redacted traces (OTLP JSON)…' }).click();
  const traces = await otlp;
  expect(traces.suggestedFilename()).toBe('traces.redacted.otlp.jsonl');
  const chunks: Buffer[] = [];
  for await (const c of await traces.createReadStream()) chunks.push(c as Buffer);
  const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
  expect(lines.length).toBeGreaterThan(1);
  expect(JSON.parse(lines[0]).resourceSpans.length).toBeGreaterThan(0);
  expect(lines.some((l) => l.includes('"kafka"'))).toBe(false);
  expect(watch.problems).toEqual([]);
});

// A collector file-exporter dump in which traces, logs and metrics share one file (the OTel JS
// SDK's requests, metrics first, a 1.3 MB line; test/fixtures/otel-sdk), dropped on the app: the
// report and the Files screen say what it held, and its spans and logs are there to explore.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, screenshot } from './support.ts';

const DIR = join(import.meta.dirname, '../fixtures/otel-sdk');
const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  dumps: Record<string, { spans: number; logs: number; dataPoints: number }>;
  sent: { spans: number; logs: number };
};

async function drop(page: Page, name: string, text: string): Promise<void> {
  const dt = await page.evaluateHandle(([n, t]) => {
    const d = new DataTransfer();
    d.items.add(new File([t], n));
    return d;
  }, [name, text]);
  await page.locator('.app').dispatchEvent('drop', { dataTransfer: dt });
}

test('a dropped mixed traces/logs/metrics dump: spans, logs and "metrics skipped" in the report and the Files screen', async ({ page }) => {
  const watch = await openApp(page);
  const name = 'metrics-first.jsonl';
  const want = EXPECTED.dumps[name];
  await drop(page, name, readFileSync(join(DIR, 'mixed', name), 'utf8'));

  const report = page.getByTestId('import-report');
  const row = report.locator(`li[data-source="${name}"]`);
  await expect(row).toContainText(`${want.spans} spans`);
  await expect(row).toContainText(`${want.logs} log records`);
  await expect(row).toContainText(`metrics skipped: ${want.dataPoints} data points`);
  await expect(row).toContainText('9 lines');
  await expect(row).not.toContainText('rejected');
  await expect(page.getByTestId('totals')).toContainText(`3 traces · ${want.spans} spans · ${want.logs} logs`);
  await screenshot(page, 'mixed-otlp-report');

  await page.getByRole('button', { name: 'Files', exact: true }).click();
  const file = page.locator(`tr[data-file="${name}"]`);
  await expect(file).toContainText('traces and logs');
  await expect(file).toContainText('done');
  await expect(page.getByRole('cell', { name: `metrics skipped: ${want.dataPoints} data points` })).toBeVisible();
  await screenshot(page, 'mixed-otlp-files');

  // The logs are there, joined to their spans, with their scope and observed time.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Logs' }).click();
  const search = page.getByRole('searchbox', { name: 'Search logs' });
  await search.fill('declined');
  await search.press('Enter');
  const record = page.getByTestId('log-record');
  await expect(record.locator('pre.message')).toContainText('card declined');
  await expect(record).toContainText('checkout-logger 0.3.2');
  await expect(record).toContainText('Observed');
  await expect(record.getByTestId('log-span-match')).toHaveAttribute('data-match', 'exact');
  await screenshot(page, 'mixed-otlp-log-record');
  expect(watch.problems).toEqual([]);
});

test('the same dump as protobuf frames, dropped: the same counts', async ({ page }) => {
  const watch = await openApp(page);
  const name = 'metrics-first.binpb';
  const want = EXPECTED.dumps[name];
  const bytes = readFileSync(join(DIR, 'mixed', name));
  const dt = await page.evaluateHandle(([n, b64]) => {
    const d = new DataTransfer();
    d.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], n));
    return d;
  }, [name, bytes.toString('base64')]);
  await page.locator('.app').dispatchEvent('drop', { dataTransfer: dt });
  const row = page.getByTestId('import-report').locator(`li[data-source="${name}"]`);
  await expect(row).toContainText(`${want.spans} spans`);
  await expect(row).toContainText(`${want.logs} log records`);
  await expect(row).toContainText(`metrics skipped: ${want.dataPoints} data points`);
  expect(watch.problems).toEqual([]);
});

test('the file exporter’s zstd dumps (each message compressed behind its length; one zstd stream), opened: every span and log', async ({ page }) => {
  const watch = await openApp(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles([join(DIR, 'fileexporter/framed-proto.zst'), join(DIR, 'fileexporter/stream.jsonl.zst')]);
  const report = page.getByTestId('import-report');
  const framed = report.locator('li[data-source="framed-proto"]');
  await expect(framed).toContainText(`${EXPECTED.sent.spans} spans`, { timeout: 30_000 });
  await expect(framed).toContainText(`${EXPECTED.sent.logs} log records`);
  // The same requests as a stream: the same spans, known already.
  const stream = report.locator('li[data-source="stream.jsonl"]');
  await expect(stream).toContainText(`${EXPECTED.sent.spans} duplicate spans already loaded`, { timeout: 30_000 });
  await expect(stream).toContainText(`${EXPECTED.sent.logs} log records`);
  for (const row of [framed, stream]) await expect(row).not.toContainText('rejected');
  await expect(page.getByTestId('totals')).toContainText(`3 traces · ${EXPECTED.sent.spans} spans`);
  await screenshot(page, 'zstd-report');
  expect(watch.problems).toEqual([]);
});

test('one trace dropped as OTLP and then as Jaeger: stored once, the second copy counted as duplicates', async ({ page }) => {
  const watch = await openApp(page);
  const traces = join(import.meta.dirname, '../fixtures/traces');
  await drop(page, 'same-trace.otlp.json', readFileSync(join(traces, 'same-trace.otlp.json'), 'utf8'));
  await expect(page.getByTestId('totals')).toContainText('1 traces · 5 spans');
  await drop(page, 'same-trace.jaeger.json', readFileSync(join(traces, 'same-trace.jaeger.json'), 'utf8'));
  const row = page.getByTestId('import-report').locator('li[data-source="same-trace.jaeger.json"]');
  await expect(row).toContainText('5 duplicate spans already loaded, not stored again');
  await expect(page.getByTestId('totals')).toContainText('1 traces · 5 spans');
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await expect(page.getByRole('cell', { name: /5 duplicate spans: already loaded from an earlier file/ })).toBeVisible();
  await screenshot(page, 'duplicates-files');
  expect(watch.problems).toEqual([]);
});

// Cancel and failure never lose data, in the app: open A (traces and logs), then broken B files
// and a big C that is cancelled; the trace list, A's waterfall, its log lines and its row on the
// Files screen read exactly as before.
import { test, expect, type Page, type FileChooser } from '@playwright/test';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { openApp } from './support.ts';
import { CORPUS } from '../corpus.ts';
import { writeDataset } from '../../src-renderer/cli/gen.ts';

const SMARTTHINGS = join(CORPUS, 'zipkin/zipkin-lens/testdata/smartthings-mobile-web-install.json');
const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });

async function open(page: Page, files: Parameters<FileChooser['setFiles']>[0]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles(files);
}

/** What the screens show of A. */
async function viewOfA(page: Page): Promise<Record<string, string[]>> {
  await tab(page, 'Traces').click();
  await expect(page.locator('.trace-row').first()).toBeVisible();
  const traces = await page.locator('.trace-row').allTextContents();
  await page.locator('.trace-row').filter({ hasText: '1041' }).first().click();
  await expect(page.getByTestId('trace-stats')).toContainText('1,041 spans');
  // Without how long the trace took to open.
  const stats = [((await page.getByTestId('trace-stats').textContent()) ?? '').replace(/ · opened in .*$/, '')];
  const waterfall = await page.getByRole('treeitem').allTextContents();
  await tab(page, 'Logs').click();
  await expect(page.locator('.log-row').first()).toBeVisible();
  const logs = await page.locator('.log-row').allTextContents();
  await tab(page, 'Files').click();
  const files = await page.locator('tr[data-file^="a."]').allTextContents();
  return { traces, stats, waterfall, logs, files };
}

test('A reads the same after a broken B and a cancelled C', async ({ page }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-'));
  writeDataset(dir, { maxSpans: 300_000, meanGapMs: 300, broken: false });
  const watch = await openApp(page);

  const aLogs = Array.from({ length: 200 }, (_, i) => JSON.stringify({ time: new Date(Date.UTC(2018, 10, 30, 3, 45) + i * 1000).toISOString(), level: i % 5 ? 'info' : 'error', msg: `a line ${i}` })).join('\n');
  await open(page, [
    { name: 'a.json', mimeType: 'application/json', buffer: readFileSync(SMARTTHINGS) },
    { name: 'a.log', mimeType: 'text/plain', buffer: Buffer.from(aLogs) },
  ]);
  await expect(page.getByTestId('import-report')).toContainText('a.log');
  const before = await viewOfA(page);
  expect(before.traces.length).toBeGreaterThan(0);
  expect(before.logs.length).toBeGreaterThan(10);

  // B: bytes no format reads, a gzip cut short, a zip cut inside its first entry.
  const noise = Buffer.from(Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
  await open(page, [
    { name: 'b.bin', mimeType: 'application/octet-stream', buffer: noise },
    { name: 'b.json.gz', mimeType: 'application/gzip', buffer: Buffer.from(gzipSync(noise).slice(0, 2000)) },
    { name: 'b.zip', mimeType: 'application/zip', buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]) },
  ]);
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('b.zip');
  await expect(report).toContainText('3 with problems');

  // C: a big file, cancelled once it is under way.
  await open(page, join(dir, 'traces.otlp.jsonl'));
  const progress = page.getByTestId('import-progress');
  await expect(progress).toContainText(/[1-9][\d,]* spans/, { timeout: 60_000 });
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(report).toContainText('import cancelled; nothing from it was kept');

  expect(await viewOfA(page)).toEqual(before);
  expect(watch.problems).toEqual([]);
});

import { test, expect, type Page } from '@playwright/test';
import { readFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, screenshot } from './support.ts';
import { writeDataset } from '../../src-renderer/cli/gen.ts';

const CORPUS = join(import.meta.dirname, '../fixtures/corpus');
const SMARTTHINGS = join(CORPUS, 'zipkin/zipkin-lens/testdata/smartthings-mobile-web-install.json');

/** Drop files on the app as a user would from a file manager. */
async function drop(page: Page, files: Array<{ name: string; text: string }>): Promise<void> {
  const dt = await page.evaluateHandle((fs) => {
    const d = new DataTransfer();
    for (const f of fs) d.items.add(new File([f.text], f.name));
    return d;
  }, files);
  await page.locator('.app').dispatchEvent('drop', { dataTransfer: dt });
}

async function totalSpans(page: Page): Promise<number> {
  const t = (await page.getByTestId('totals').textContent()) ?? '';
  return Number(/([\d,]+) spans/.exec(t)?.[1].replace(/,/g, ''));
}

test('a dropped Zipkin file is detected by content and listed', async ({ page }) => {
  const watch = await openApp(page);
  await drop(page, [{ name: 'no-hint.dat', text: readFileSync(SMARTTHINGS, 'utf8') }]);
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('no-hint.dat');
  await expect(report).toContainText('zipkin');
  expect(await totalSpans(page)).toBe(1041);
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  await expect(page.getByRole('cell', { name: 'no-hint.dat' })).toBeVisible();
  expect(watch.problems).toEqual([]);
});

test('hostile names and values render as text, never as HTML', async ({ page }) => {
  const watch = await openApp(page);
  const evil = '<img src=x onerror="window.__pwned=1">';
  const trace = {
    data: [{
      traceID: '00000000000000000000000000abcdef',
      spans: [{ traceID: '00000000000000000000000000abcdef', spanID: '00000000000000aa', operationName: `${evil} op`, references: [], startTime: 1700000000000000, duration: 5000, tags: [{ key: evil, type: 'string', value: evil }], processID: 'p1' }],
      processes: { p1: { serviceName: `svc ${evil}`, tags: [] } },
    }],
  };
  await drop(page, [{ name: `${evil}.json`, text: JSON.stringify(trace) }]);
  await expect(page.getByTestId('import-report')).toContainText(`${evil}.json`);
  await expect(page.locator('.trace-row').first()).toContainText(`svc ${evil}`);
  await page.locator('.trace-row').first().click();
  await expect(page.getByText(`${evil} op`).first()).toBeVisible();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await screenshot(page, 'hostile-text');
  expect(watch.problems).toEqual([]);
});

test('a truncated file keeps what came before and names the byte offset', async ({ page }) => {
  const watch = await openApp(page);
  const text = readFileSync(SMARTTHINGS, 'utf8');
  await drop(page, [{ name: 'cut.json', text: text.slice(0, Math.floor(text.length / 2)) }]);
  const report = page.getByTestId('import-report');
  await expect(report).toContainText(/cut\.json.*byte \d+/);
  const kept = await totalSpans(page);
  expect(kept).toBeGreaterThan(100);
  expect(kept).toBeLessThan(1041);
  await screenshot(page, 'partial-import');
  expect(watch.problems).toEqual([]);
});

test('cancel stops a big import and keeps the workspace as it was', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-'));
  writeDataset(dir, { maxSpans: 300_000, meanGapMs: 300, broken: false });
  const big = join(dir, 'traces.otlp.jsonl');
  const watch = await openApp(page);
  await drop(page, [{ name: 'small.json', text: readFileSync(SMARTTHINGS, 'utf8') }]);
  await expect(page.getByTestId('import-report')).toContainText('small.json');
  expect(await totalSpans(page)).toBe(1041);

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles(big);
  const progress = page.getByTestId('import-progress');
  await expect(progress).toContainText(/[1-9][\d,]* spans/, { timeout: 30_000 });
  await expect(progress).toContainText(`of ${(statSync(big).size / 2 ** 20).toFixed(1)} MB`);
  await screenshot(page, 'import-progress');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('import-report')).toContainText('import cancelled; nothing from it was kept');
  expect(await totalSpans(page)).toBe(1041);
  expect(watch.problems).toEqual([]);
});

test('the Files screen joins a log file without services once the user names its service', async ({ page }) => {
  const watch = await openApp(page);
  await page.getByRole('button', { name: 'Open the demo incident' }).click();
  await expect(page.getByTestId('import-report')).toContainText('1840 inferred', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Files', exact: true }).click();
  const pg = page.locator('tr[data-file$="postgres.log"]');
  await expect(pg).toContainText('0 by id · 0 inferred');
  await pg.getByRole('button', { name: 'Set service…' }).click();
  await pg.getByLabel('Service of lines without one').fill('postgres');
  await pg.getByRole('button', { name: 'Apply' }).click();
  await expect(pg).toContainText(/0 by id · [1-9]\d* inferred/);
  await expect(pg).toContainText('service: postgres');
  await screenshot(page, 'files');
  expect(watch.problems).toEqual([]);
});

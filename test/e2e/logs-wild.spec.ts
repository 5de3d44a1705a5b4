import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, screenshot } from './support.ts';

const LOGS = join(import.meta.dirname, '../fixtures/logs');

/** Drop files on the app as a user would from a file manager. */
async function drop(page: Page, files: Array<{ name: string; text: string }>): Promise<void> {
  const dt = await page.evaluateHandle((fs) => {
    const d = new DataTransfer();
    for (const f of fs) d.items.add(new File([f.text], f.name));
    return d;
  }, files);
  await page.locator('.app').dispatchEvent('drop', { dataTransfer: dt });
}

async function shown(page: Page): Promise<number> {
  const text = (await page.getByTestId('log-count').textContent()) ?? '';
  return Number(/([\d,]+) of [\d,]+ lines/.exec(text)?.[1].replace(/,/g, ''));
}

test("logs from the wild: PostgreSQL's server log and a plain-text file, with their levels and the plain-text note", async ({ page }) => {
  const watch = await openApp(page);
  await drop(page, [
    { name: 'postgresql.log', text: readFileSync(join(LOGS, 'servers/postgresql.log'), 'utf8') },
    { name: 'export.txt', text: readFileSync(join(LOGS, 'layouts/plain.txt'), 'utf8') },
  ]);
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('postgresql.log');
  await expect(report).toContainText('logs-postgres');
  await expect(report).toContainText('logs-text');
  await expect(report).toContainText('read as plain text');
  await expect(report).not.toContainText('rejected');
  await screenshot(page, 'logs-wild-report');

  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Logs' }).click();
  await expect(page.locator('.log-row').first()).toBeVisible();
  // 48 PostgreSQL events (their DETAIL/HINT/STATEMENT lines joined) and 6 plain-text records.
  await expect.poll(() => shown(page)).toBe(54);
  await screenshot(page, 'logs-wild');

  // Errors: PostgreSQL's five ERRORs and the plain text's "ERROR order 13 …".
  await page.locator('button[data-severity="error"]').click();
  await expect.poll(() => shown(page)).toBe(6);
  const rows = page.locator('.log-row');
  expect(new Set(await rows.locator('.sev').allTextContents())).toEqual(new Set(['error']));
  await rows.filter({ hasText: 'duplicate key value' }).click();
  const record = page.getByTestId('log-record');
  await expect(record.locator('pre.message')).toContainText('DETAIL:  Key (id)=(1) already exists.');
  await expect(record.locator('pre.message')).toContainText("STATEMENT:  INSERT INTO orders VALUES (1, 'linus', 3.00)");
  await expect(record).toContainText('postgresql.log, line');
  await rows.filter({ hasText: 'order 13 could not be read' }).click();
  await expect(record.locator('pre.message')).toContainText('java.lang.IllegalStateException: totals differ');
  await expect(record).toContainText('export.txt, line 5');
  await screenshot(page, 'logs-wild-errors');
  expect(watch.problems).toEqual([]);
});

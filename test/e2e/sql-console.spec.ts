// The SQL console on the demo: an example query's rows in the virtualised grid, a query that would
// never end stopped from the UI (the app answers at once and the next query runs), a write refused,
// and the exports: CSV with formula-looking text neutralised, JSON with the columns and rows.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openApp, openDemo, screenshot } from './support.ts';

test('SQL console: examples in a virtualised grid, Stop ends a runaway query, CSV and JSON exports', async ({ page }) => {
  test.setTimeout(120_000);
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'SQL' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'SQL console' })).toBeVisible();

  const editor = page.getByRole('textbox', { name: 'SQL' });
  const status = page.getByTestId('sql-status');
  const run = page.getByRole('button', { name: /^Run/ });
  const grid = page.getByRole('grid', { name: 'Result rows' });

  // An example: the slowest traces, as many rows as the demo has traces (virtualised).
  await page.getByLabel('Example query').selectOption({ label: 'Slowest traces' });
  await expect(editor).toHaveValue(/FROM traces ORDER BY duration_ns DESC LIMIT 100/);
  await run.click();
  await expect(status).toHaveText(/^100 rows in [\d,]+ ms$/, { timeout: 30_000 });
  expect(await grid.getByTestId('sql-row').count()).toBeLessThan(60);
  await expect(page.getByRole('region', { name: 'Query result' })).toContainText('trace_id');
  await screenshot(page, 'sql-console');

  // A query that never ends: Stop, then the console answers the next one.
  await editor.fill('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c');
  await run.click();
  await expect(status).toHaveText('Running…');
  await page.waitForTimeout(500);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('sql-error')).toHaveText('Stopped: the query was cancelled.');
  await expect(run).toBeEnabled();
  await editor.fill(`SELECT '=1+1' AS formula, '@SUM(A1)' AS at, -5 AS n, 'a,b' AS comma, 1796601808472000123 AS ns`);
  await editor.press('Control+Enter');
  await expect(status).toHaveText(/^1 rows in/, { timeout: 30_000 });
  await expect(grid).toContainText('=1+1');

  // Exports: CSV neutralises formula-looking text (not numbers), JSON keeps 64-bit integers.
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save CSV' }).click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8');
  expect(csv).toBe(`formula,at,n,comma,ns\r\n'=1+1,'@SUM(A1),-5,"a,b",1796601808472000123\r\n`);
  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save JSON' }).click();
  const json = readFileSync((await (await jsonDownload).path())!, 'utf8');
  expect(json).toBe('{"columns":["formula","at","n","comma","ns"],"rows":[["=1+1","@SUM(A1)",-5,"a,b",1796601808472000123]]}');

  // Writes are refused with the reason.
  await editor.fill('DELETE FROM spans');
  await run.click();
  await expect(page.getByTestId('sql-error')).toContainText('read-only SQL: only a read is allowed');
  expect(watch.problems).toEqual([]);
});

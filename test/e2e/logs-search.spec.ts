// Log search in the app, on the real incident's logs (three Node services writing pino JSON and
// PostgreSQL's own log): phrases, OR, negation, fields and a trace id find what the engine finds;
// the search filters the list when asked; the keys walk lines, hits and errors; the syntax is
// explained beside the box; a part of a query that cannot be read is named.
import { test, expect, type Page } from '@playwright/test';
import { openApp, screenshot } from './support.ts';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';

const DIR = new URL('../fixtures/otel-incident/', import.meta.url).pathname;
const FILES = ['frontend.log.jsonl.gz', 'checkout.log.jsonl.gz', 'payment.log.jsonl.gz', 'postgres.log.gz'].map((f) => DIR + f);
const TRACE = '47780f44cd695a61b1fd967757eb6056'; // a checkout that failed on the statement timeout

async function lineCount(page: Page): Promise<{ shown: number; total: number }> {
  const m = /([\d,]+) of ([\d,]+) lines/.exec((await page.getByTestId('log-count').textContent()) ?? '');
  return { shown: Number(m?.[1].replace(/,/g, '')), total: Number(m?.[2].replace(/,/g, '')) };
}

async function search(page: Page, q: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Search logs' });
  await box.fill(q);
  await box.press('Enter');
}

test('log search: phrases, OR, -term, fields and a trace id; only matching lines; keys; syntax help', async ({ page }) => {
  test.setTimeout(120_000);
  // What the engine finds in the same files, computed in Node: the app must show the same.
  const core = new EngineCore((await loadInputs(FILES)).store);
  const expected = (q: string) => core.logSearch({}, q).positions.length;

  const watch = await openApp(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles(FILES);
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Logs' }).click();
  await expect(page.locator('.log-row').first()).toBeVisible();
  const all = await lineCount(page);

  const hits = page.getByTestId('log-hits');
  const record = page.getByTestId('log-record');
  for (const [q, min] of [['"statement timeout"', 30], ['status=502', 20], ['-info', 50], [TRACE.toUpperCase(), 3], ['charge OR failed', 30]] as const) {
    const n = expected(q);
    expect(n, q).toBeGreaterThanOrEqual(min);
    await search(page, q);
    await expect(hits, q).toHaveText(`1 / ${n.toLocaleString('en-US')} hits`);
  }
  // The trace id found lines of three services that wrote it in their own fields.
  await expect(record).toContainText(TRACE);

  // Only matching lines: the list is the hits; -info leaves no info line.
  await search(page, '-info');
  await page.getByLabel('Only matching lines').check();
  await expect.poll(async () => (await lineCount(page)).shown).toBe(expected('-info'));
  expect((await lineCount(page)).total).toBe(all.total);
  expect(await page.locator('.log-row .sev').allTextContents()).not.toContain('info');
  await search(page, '"statement timeout"');
  await expect.poll(async () => (await lineCount(page)).shown).toBe(expected('"statement timeout"'));
  await screenshot(page, 'logs-search-only-matching');
  await page.getByLabel('Only matching lines').uncheck();
  await expect.poll(async () => (await lineCount(page)).shown).toBe(all.total);

  // Keys, through the command registry: j/k lines, g/G ends, e/E errors, n/N hits.
  await page.locator('.log-row').first().click();
  const selected = page.locator('[role="row"].selected');
  await expect(selected).toBeVisible();
  const firstText = await selected.textContent();
  await page.keyboard.press('j');
  await expect(selected).not.toHaveText(firstText ?? '');
  await page.keyboard.press('k');
  await expect(selected).toHaveText(firstText ?? '');
  await page.keyboard.press('e');
  await expect(selected.locator('.sev')).toHaveText(/error|fatal/);
  const firstError = await selected.textContent();
  await page.keyboard.press('e');
  await expect(selected).not.toHaveText(firstError ?? '');
  await expect(selected.locator('.sev')).toHaveText(/error|fatal/);
  await page.keyboard.press('E');
  await expect(selected).toHaveText(firstError ?? '');
  await page.keyboard.press('G');
  await expect(selected).toBeVisible();
  await expect(page.getByTestId('log-record')).toBeVisible();
  await page.keyboard.press('g');
  await expect(selected).toHaveText(firstText ?? '');
  await page.keyboard.press('n');
  await expect(hits).toHaveText(/^1 \/ /);
  await page.keyboard.press('n');
  await expect(hits).toHaveText(/^2 \/ /);
  await page.keyboard.press('N');
  await expect(hits).toHaveText(/^1 \/ /);

  // The syntax, explained beside the box; a term it cannot read is named, the rest searched.
  await page.getByText('Syntax', { exact: true }).click();
  await expect(page.getByRole('table', { name: 'Log search syntax' })).toBeVisible();
  await screenshot(page, 'logs-search-help');
  await page.getByText('Syntax', { exact: true }).click();
  await search(page, 'level=loud "statement timeout"');
  await expect(page.getByTestId('log-query-errors')).toContainText('Left out “level=loud”: "loud" is not a level');
  await expect(hits).toHaveText(`1 / ${expected('"statement timeout"').toLocaleString('en-US')} hits`);
  expect(watch.problems).toEqual([]);
});

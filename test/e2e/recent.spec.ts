// The start screen's recent list in Chromium, which keeps the handles of the files it read: after
// a reload, files opened and a workspace saved open again from the list; a file that is gone
// says so and is greyed, and so is one read without a handle. Playwright cannot answer Chromium's native pickers, so the pickers
// here answer with handles of real files the test wrote in the Origin Private File System,
// as the dialogs would answer with the files a user chose.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropFiles, openApp, screenshot } from './support.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const files = {
  'same-trace.otlp.json': readFileSync(join(FIXTURES, 'traces', 'same-trace.otlp.json'), 'utf8'),
  'access.log': readFileSync(join(FIXTURES, 'logs', 'access.log'), 'utf8'),
};

async function ownPickers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.showOpenFilePicker = async () => {
      const d = await navigator.storage.getDirectory();
      return [await d.getFileHandle('same-trace.otlp.json'), await d.getFileHandle('access.log')];
    };
    w.showSaveFilePicker = async (o: { suggestedName: string }) => (await navigator.storage.getDirectory()).getFileHandle(o.suggestedName, { create: true });
  });
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByRole('button', { name: 'Open the demo incident' })).toBeEnabled({ timeout: 20_000 });
}

const entry = (page: Page, name: string) => page.getByTestId('recent-entry').filter({ hasText: name });

test('files opened and a workspace saved open again from the recent list after a reload; one that is gone is greyed', async ({ page }) => {
  await ownPickers(page);
  const watch = await openApp(page, { picker: 'own' });
  page.on('dialog', (d) => void d.accept()); // leave the page with unsaved data
  await page.evaluate(async (fs) => {
    const d = await navigator.storage.getDirectory();
    for (const [name, text] of Object.entries(fs)) {
      const w = await (await d.getFileHandle(name, { create: true })).createWritable();
      await w.write(text);
      await w.close();
    }
  }, files);

  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await expect(page.getByTestId('import-report')).toContainText('access.log');
  await expect(page.getByTestId('import-report')).toContainText('same-trace.otlp.json');
  const totals = (await page.getByTestId('totals').textContent()) ?? '';
  expect(totals).toMatch(/[1-9]/);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveTitle('workspace.tracedeck — Tracedeck');

  // After a reload both files and the workspace are on the list, each a link that opens it.
  await reload(page);
  await expect(page.getByTestId('recent-entry')).toHaveCount(3);
  await expect(entry(page, 'workspace.tracedeck').getByRole('button', { name: 'workspace.tracedeck', exact: true })).toBeVisible();
  await screenshot(page, 'recent-browser');
  await entry(page, 'access.log').getByRole('button', { name: 'access.log', exact: true }).click();
  await expect(page.getByTestId('import-report')).toContainText('access.log');
  await expect(page.getByTestId('totals')).toContainText('log');

  await reload(page);
  await entry(page, 'workspace.tracedeck').getByRole('button', { name: 'workspace.tracedeck', exact: true }).click();
  await expect(page.getByTestId('totals')).toHaveText(totals);
  await expect(page).toHaveTitle('workspace.tracedeck — Tracedeck');

  // A file deleted since: opening it says so, and the entry is greyed; × takes it off the list.
  await page.evaluate(async () => (await navigator.storage.getDirectory()).removeEntry('access.log'));
  await reload(page);
  await entry(page, 'access.log').getByRole('button', { name: 'access.log', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('access.log is no longer where it was');
  await expect(entry(page, 'access.log')).toHaveClass(/missing/);
  await expect(entry(page, 'access.log').getByRole('button', { name: 'access.log', exact: true })).toHaveCount(0);
  await entry(page, 'access.log').getByRole('button', { name: 'Remove access.log from the list' }).click();
  await expect(page.getByTestId('recent-entry')).toHaveCount(2);

  // A file the browser gave no handle for (a drop made by a script has none) is a greyed reminder.
  await dropFiles(page, [{ name: 'no-handle.log', text: files['access.log'] }]);
  await expect(page.getByTestId('import-report')).toContainText('no-handle.log');
  await reload(page);
  await expect(page.getByTestId('recent-entry')).toHaveCount(3);
  await expect(entry(page, 'no-handle.log')).toHaveClass(/missing/);
  await expect(entry(page, 'no-handle.log').getByRole('button', { name: 'no-handle.log', exact: true })).toHaveCount(0);
  expect(watch.problems).toEqual([]);
});

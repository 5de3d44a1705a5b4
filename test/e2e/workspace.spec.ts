// The workspace file and the kept copy: Save writes a .tracedeck that a fresh page opens with the
// same counts, SLOs and notes (and that the command line reads); a reload offers the workspace
// kept in the browser back; a broken workspace file gives one message and leaves what is loaded.
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { openApp, openDemo, screenshot, defineFrontendSlo } from './support.ts';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';

const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });

/** A browser without the File System Access API: Save is a download, which the test can catch. */
async function withoutSavePicker(page: Page): Promise<void> {
  await page.addInitScript(() => {
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  });
}

async function openFile(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open files…' }).first().click();
  await (await chooser).setFiles(file);
}

const noteText = '<img src=x onerror="window.__pwned=1">payment <b>times out</b>';

test('save, then open the file in a fresh page: the same counts, SLOs, notes and view; the CLI reads it', async ({ page, context }) => {
  await withoutSavePicker(page);
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  const totals = await page.getByTestId('totals').textContent();
  await expect(page).toHaveTitle('• Untitled workspace — Tracedeck');

  // A starred trace with a note on one of its spans; a starred log line.
  await page.locator('.trace-row').nth(2).click();
  await expect(page.getByTestId('trace-stats')).toBeVisible();
  const traceId = await page.getByTestId('trace-id').textContent();
  await page.getByTestId('note-controls-trace').getByRole('button', { name: 'Star this trace' }).click();
  await page.getByRole('treeitem').nth(1).click();
  const span = page.getByTestId('span-detail');
  await span.getByRole('button', { name: 'Add note…' }).click();
  await span.getByRole('textbox', { name: 'Note on this span' }).fill(noteText);
  await span.getByRole('button', { name: 'Save note' }).click();
  await expect(span.getByTestId('note-body')).toHaveText(noteText);
  await screenshot(page, 'workspace-span-note');
  await tab(page, 'Logs').click();
  await page.locator('.log-row').nth(3).click();
  await page.getByTestId('log-record').getByRole('button', { name: 'Star this log line' }).click();
  await defineFrontendSlo(page);
  await expect(page.getByTestId('slo-compliance')).toHaveText('91.028%', { timeout: 15_000 });

  await tab(page, 'Bookmarks').click();
  await expect(page.getByTestId('bookmark')).toHaveCount(3);
  await screenshot(page, 'workspace-bookmarks');
  await tab(page, 'Traces').click();
  await page.getByRole('combobox', { name: 'Sort', exact: true }).selectOption({ label: 'Most errors' });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'tracedeck-e2e-ws-')), 'incident.tracedeck');
  await (await download).saveAs(file);
  await expect(page).toHaveTitle('workspace.tracedeck — Tracedeck');
  expect(watch.problems).toEqual([]);

  // A fresh page opens the saved file: same counts, the SLO, the notes, the trace list's order.
  const fresh = await context.newPage();
  const watch2 = await openApp(fresh);
  await openFile(fresh, file);
  await expect(fresh.getByTestId('totals')).toHaveText(totals ?? '');
  await expect(fresh).toHaveTitle('incident.tracedeck — Tracedeck');
  await expect(fresh).toHaveURL(/#\/traces\?sort=errors$/);
  await tab(fresh, 'Bookmarks').click();
  await expect(fresh.getByTestId('bookmark')).toHaveCount(3);
  await expect(fresh.getByTestId('bookmarks')).toContainText(noteText);
  expect(await fresh.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await fresh.getByTestId('bookmark').first().getByRole('button', { name: `Trace ${traceId}` }).click();
  await expect(fresh).toHaveURL(new RegExp(`#/trace/${traceId}$`));
  await expect(fresh.getByTestId('note-controls-trace').getByRole('button', { name: 'Star this trace' })).toHaveAttribute('aria-pressed', 'true');
  await fresh.goBack();
  await expect(fresh.getByTestId('bookmark')).toHaveCount(3);
  await tab(fresh, 'SLOs').click();
  await expect(fresh.getByTestId('slo-compliance')).toHaveText('91.028%', { timeout: 15_000 });
  expect(watch2.problems).toEqual([]);

  // The command line reads the same file.
  const cli = spawnSync(process.execPath, ['src-renderer/cli/bin.mjs', 'notes', file, '--json'], { encoding: 'utf8' });
  expect(cli.stderr).toBe('');
  const notes = (JSON.parse(cli.stdout) as { notes: { target: string; starred: boolean; body: string }[] }).notes;
  expect(notes.map((n) => [n.target, n.starred, n.body])).toEqual([
    ['trace', true, ''],
    ['span', false, noteText],
    ['log', true, ''],
  ]);
  const q = spawnSync(process.execPath, ['src-renderer/cli/bin.mjs', 'query', file, '--sql', 'SELECT count(*) AS n FROM slos', '--json'], { encoding: 'utf8' });
  expect(JSON.parse(q.stdout)).toEqual([{ n: 1 }]);
});

test('Save through the picker: the engine writes the picked file, Save again rewrites it, and a fresh page opens it with the same counts', async ({ page, context }) => {
  // Playwright cannot answer Chromium's native save dialog: this picker answers with a file of the
  // Origin Private File System, as the dialog would with the file the user chose, and counts its calls.
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.__picked = 0;
    w.showSaveFilePicker = async (o: { suggestedName: string }) => {
      (w.__picked as number)++;
      return (await navigator.storage.getDirectory()).getFileHandle(`picked-${o.suggestedName}`, { create: true });
    };
  });
  const watch = await openApp(page);
  await openDemo(page);
  const totals = await page.getByTestId('totals').textContent();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveTitle('picked-workspace.tracedeck — Tracedeck');

  // An edit, then Save again: the same file, without asking.
  await page.locator('.trace-row').first().click();
  await page.getByTestId('note-controls-trace').getByRole('button', { name: 'Star this trace' }).click();
  await expect(page).toHaveTitle('• picked-workspace.tracedeck — Tracedeck');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveTitle('picked-workspace.tracedeck — Tracedeck');
  expect(await page.evaluate(() => (window as unknown as { __picked: number }).__picked)).toBe(1);
  const base64 = await page.evaluate(async () => {
    const file = await (await (await navigator.storage.getDirectory()).getFileHandle('picked-workspace.tracedeck')).getFile();
    const bytes = new Uint8Array(await file.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const file = join(mkdtempSync(join(tmpdir(), 'tracedeck-e2e-picked-')), 'picked.tracedeck');
  writeFileSync(file, Buffer.from(base64, 'base64'));
  expect(watch.problems).toEqual([]);
  // The file holds the star given before Save again.
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(file));
  expect(db.exec('SELECT target, starred FROM notes')[0]?.values).toEqual([['trace', 1]]);
  db.close();

  const fresh = await context.newPage();
  const watch2 = await openApp(fresh);
  await openFile(fresh, file);
  await expect(fresh.getByTestId('totals')).toHaveText(totals ?? '');
  // The view saved with it comes back first: the trace that was open.
  await expect(fresh).toHaveURL(/#\/trace\/[0-9a-f]{32}/);
  await expect(fresh.getByTestId('trace-stats')).toBeVisible();
  await tab(fresh, 'Bookmarks').click();
  await expect(fresh.getByTestId('bookmark')).toHaveCount(1);
  expect(watch2.problems).toEqual([]);
});

test('a reload offers the kept workspace back, with the same counts', async ({ page }) => {
  await openApp(page);
  await openDemo(page);
  const totals = await page.getByTestId('totals').textContent();
  // The copy is written shortly after the import ends.
  await expect
    .poll(() => page.evaluate(async () => (await navigator.storage.getDirectory()).getFileHandle('kept.json').then(() => true, () => false)), { timeout: 20_000 })
    .toBe(true);
  page.on('dialog', (d) => void d.accept()); // leave the page: the unsaved-data question
  await page.reload();
  const offer = page.getByTestId('restore-offer');
  await expect(offer).toContainText(/Restore the workspace from \d\d:\d\d( [AP]M)?\?/);
  await screenshot(page, 'workspace-restore-offer');
  await offer.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByTestId('totals')).toHaveText(totals ?? '');
  await expect(page.locator('.trace-row').first()).toBeVisible();
  await expect(page.getByTestId('workspace-name')).toContainText('•'); // still not saved to a file
});

test('a truncated workspace file: one message naming it, and what is loaded stays', async ({ page }) => {
  await withoutSavePicker(page);
  const watch = await openApp(page);
  await openDemo(page);
  const totals = await page.getByTestId('totals').textContent();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'tracedeck-e2e-cut-')), 'whole.tracedeck');
  await (await download).saveAs(file);
  const whole = readFileSync(file);
  page.on('dialog', (d) => void d.accept()); // replace what is loaded: yes
  await openFile(page, { name: 'cut.tracedeck', mimeType: 'application/octet-stream', buffer: whole.subarray(0, 40_000) });
  await expect(page.getByRole('alert')).toHaveText(/^cut\.tracedeck is truncated: it ends at byte 40,000 of the [\d,]+ its header announces/);
  await expect(page.getByTestId('totals')).toHaveText(totals ?? '');
  await page.locator('.trace-row').first().click();
  await expect(page.getByTestId('trace-stats')).toBeVisible();
  await screenshot(page, 'workspace-bad-file');
  expect(watch.problems).toEqual([]);
});

test('a workspace whose SLOs were edited by hand: it opens, the report names the SLO left out, the other SLO is there', async ({ page }) => {
  await withoutSavePicker(page);
  const watch = await openApp(page);
  await openDemo(page);
  await defineFrontendSlo(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'tracedeck-e2e-edited-')), 'whole.tracedeck');
  await (await download).saveAs(file);
  // What a hand edit with the sqlite3 command line could leave: a definition that is not one.
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(file));
  db.run('INSERT INTO slos (definition, warnings) VALUES (?, ?)', ['{"name": "broken", "service": 42}', '[]']);
  const edited = Buffer.from(db.export());
  db.close();

  page.on('dialog', (d) => void d.accept()); // replace what is loaded: yes
  await openFile(page, { name: 'edited.tracedeck', mimeType: 'application/octet-stream', buffer: edited });
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('edited.tracedeck: SLO definition 2 is not a readable SLO and was left out');
  await tab(page, 'SLOs').click();
  await expect(page.getByTestId('slo-compliance')).toHaveText('91.028%', { timeout: 15_000 });
  await screenshot(page, 'workspace-edited-slo');
  expect(watch.problems).toEqual([]);
});

// Accessibility of every screen: axe-core (WCAG 2.1 A/AA) finds no critical or serious violation
// in either theme, with the demo loaded, a trace open and starred, a log record open and an SLO evaluated;
// the theme follows the choice and is remembered; screenshots of each screen in both themes (who to
// page and the redaction preview too).
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openApp, openDemo, screenshot } from './support.ts';

async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${where}: ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')} ${v.nodes[0]?.failureSummary ?? ''}`);
  expect.soft(serious, serious.join('\n')).toEqual([]);
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByTestId('theme').selectOption(theme);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

const screen = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });

async function defineSlo(page: Page): Promise<void> {
  await screen(page, 'SLOs').click();
  const form = page.getByRole('form', { name: 'Define an SLO' });
  await form.getByLabel('Service', { exact: true }).selectOption('frontend');
  await form.getByLabel('Operation', { exact: true }).selectOption('POST /checkout');
  await form.getByLabel('Threshold', { exact: true }).fill('1s');
  await form.getByRole('button', { name: 'Add SLO' }).click();
  await expect(page.getByTestId('slo-summary')).toBeVisible({ timeout: 15_000 });
}

for (const theme of ['light', 'dark'] as const) {
  test(`every screen in the ${theme} theme: no critical or serious axe violation`, async ({ page }) => {
    test.setTimeout(240_000);
    const watch = await openApp(page);
    await setTheme(page, theme);
    await expectNoSeriousViolations(page, 'empty');
    await screenshot(page, `${theme}-empty`);
    await openDemo(page);
    await expect(page.locator('.trace-row').first()).toBeVisible();
    await expectNoSeriousViolations(page, 'traces with the import report');
    await screenshot(page, `${theme}-traces`);

    await page.locator('.trace-row').first().click();
    await expect(page.getByTestId('trace-stats')).toBeVisible({ timeout: 15_000 });
    await page.getByTestId('note-controls-trace').getByRole('button', { name: 'Star this trace' }).click();
    await expectNoSeriousViolations(page, 'trace');
    await screenshot(page, `${theme}-trace`);
    // Read once the user moved on: the import report is one line, its details a click away.
    const report = page.getByTestId('import-report');
    await expect(report.getByRole('button', { name: 'Details' })).toHaveAttribute('aria-expanded', 'false');
    await expect(report.getByRole('list')).toBeHidden();
    // The side panel's tabs: one Tab stop, the arrow keys move between them.
    const tabs = page.getByRole('tablist', { name: 'Trace panels' });
    await tabs.getByRole('tab', { name: 'Span' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(tabs.getByRole('tab', { name: 'Critical path' })).toBeFocused();
    await expect(tabs.getByRole('tab', { name: 'Critical path' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel', { name: 'Critical path' })).toBeVisible();
    await page.keyboard.press('End');
    await expect(tabs.getByRole('tab', { name: /Data quality/ })).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Home');
    await expect(tabs.getByRole('tab', { name: 'Span' })).toHaveAttribute('aria-selected', 'true');

    await screen(page, 'Logs').click();
    await expect(page.locator('.log-row').first()).toBeVisible();
    await page.locator('.log-row').first().click();
    await expect(page.getByTestId('log-record')).toBeVisible();
    await expectNoSeriousViolations(page, 'logs with a record');
    await screenshot(page, `${theme}-logs`);

    await defineSlo(page);
    await expectNoSeriousViolations(page, 'SLO');
    await screenshot(page, `${theme}-slo`);

    await page.keyboard.press('Control+k');
    await expect(page.getByTestId('command-palette')).toBeVisible();
    await page.keyboard.type('theme');
    await expectNoSeriousViolations(page, 'command palette');
    await screenshot(page, `${theme}-palette`);
    await page.keyboard.press('Escape');
    // Focus went back where it was, maybe a field of the SLO form, where ? is text: the palette opens the map.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('keyboard shortcuts');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('keymap')).toBeVisible();
    await expectNoSeriousViolations(page, 'keyboard map');
    await screenshot(page, `${theme}-keymap`);
    await page.keyboard.press('Escape');

    await screen(page, 'Across traces').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Across traces' })).toBeFocused();
    await expect(page.getByRole('main').getByRole('heading', { level: 2 }).first()).toBeVisible({ timeout: 30_000 });
    await expectNoSeriousViolations(page, 'across traces');
    await screenshot(page, `${theme}-across`);

    // Two traces ticked and compared side by side.
    await screen(page, 'Traces').click();
    const ticks = page.getByRole('checkbox', { name: /^Compare trace / });
    await ticks.nth(0).check();
    await ticks.nth(1).check();
    await page.getByRole('button', { name: 'Compare (2 of 2)' }).click();
    await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 60_000 });
    await expectNoSeriousViolations(page, 'compare');
    await screenshot(page, `${theme}-compare`);

    await screen(page, 'Failures').click();
    const causes = page.getByTestId('root-causes');
    await causes.locator('tbody tr').first().getByRole('button').click();
    await expect(causes.locator('tr.traces button').first()).toBeVisible({ timeout: 30_000 });
    await expectNoSeriousViolations(page, 'failures with a group open');
    await screenshot(page, `${theme}-failures`);

    await screen(page, 'Owners').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Owners' })).toBeFocused();
    await expect(page.getByTestId('owners-table')).toBeVisible({ timeout: 30_000 });
    await expectNoSeriousViolations(page, 'owners');
    await screenshot(page, `${theme}-owners`);
    const pageList = page.getByTestId('page-list');
    await pageList.getByLabel('Incident window start').fill('2026-11-20T10:10:00Z');
    await pageList.getByLabel('Incident window end').fill('2026-11-20T10:20:00Z');
    await pageList.getByRole('button', { name: 'Apply' }).click();
    await expect(pageList.getByTestId('page-window')).toContainText('critical-path time against', { timeout: 60_000 });
    await expectNoSeriousViolations(page, 'who to page');
    await screenshot(page, `${theme}-owners-page`);

    await screen(page, 'Report').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Postmortem report' })).toBeFocused();
    await page.getByLabel('Report window start').fill('2026-11-20T10:10:00Z');
    await page.getByLabel('Report window end').fill('2026-11-20T10:20:00Z');
    await page.getByRole('button', { name: 'Build' }).click();
    await expect(page.getByTestId('report-preview')).toContainText('## Owners involved', { timeout: 60_000 });
    await expectNoSeriousViolations(page, 'report');
    await screenshot(page, `${theme}-report`);

    await screen(page, 'Files').click();
    await expectNoSeriousViolations(page, 'files');
    // Members of the demo's zip are listed with their own sizes.
    for (const size of await page.locator('tbody tr[data-file] td:nth-child(4)').allTextContents()) expect(size).toMatch(/^\d+(\.\d)? (B|KB|MB|GB)$/);
    await screenshot(page, `${theme}-files`);
    const redact = page.getByTestId('redact-panel');
    await redact.getByLabel('Patterns to replace').fill('cart:[0-9]+');
    await redact.getByRole('button', { name: 'Preview' }).click();
    await expect(redact.getByTestId('redact-summary')).toBeVisible({ timeout: 60_000 });
    await redact.scrollIntoViewIfNeeded();
    await expectNoSeriousViolations(page, 'redaction preview');
    await screenshot(page, `${theme}-redact`);

    await screen(page, 'Map').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Service map' })).toBeFocused();
    await expect(page.getByTestId('map-summary')).toContainText('services', { timeout: 30_000 });
    await expectNoSeriousViolations(page, 'service map');
    await screenshot(page, `${theme}-map`);

    await screen(page, 'Traces').click();
    await page.getByRole('searchbox', { name: 'Search traces' }).fill('service=checkout error=true');
    await page.getByRole('searchbox', { name: 'Search traces' }).press('Enter');
    await expect(page.getByTestId('trace-count')).toContainText(' of ');
    await expectNoSeriousViolations(page, 'trace search');
    await screenshot(page, `${theme}-trace-search`);

    await screen(page, 'SQL').click();
    await expect(page.getByRole('heading', { level: 1, name: 'SQL console' })).toBeFocused();
    await page.getByRole('button', { name: 'Run' }).click();
    await expect(page.getByTestId('sql-status')).toContainText('rows in', { timeout: 30_000 });
    await expectNoSeriousViolations(page, 'SQL console');
    await screenshot(page, `${theme}-sql`);

    await screen(page, 'Bookmarks').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Bookmarks' })).toBeFocused();
    await expect(page.getByTestId('bookmark')).toHaveCount(1);
    await expectNoSeriousViolations(page, 'bookmarks');
    await screenshot(page, `${theme}-bookmarks`);
    expect(watch.problems).toEqual([]);
  });
}

test('the theme follows the system until chosen, and the choice is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await setTheme(page, 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('theme')).toHaveValue('dark');
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(bg);
  await page.getByTestId('theme').selectOption('system');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('keyboard only: the demo, the slowest trace, a span and its logs, a log record, the theme', async ({ page }) => {
  test.setTimeout(180_000);
  const watch = await openApp(page);
  const kb = page.keyboard;
  const focused = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.outerHTML.slice(0, 120) ?? '');
  /** Tab (at most n times) until the focused element matches. */
  async function tabTo(selector: string, n = 30): Promise<void> {
    for (let i = 0; i < n; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await kb.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}; focus is on ${await focused()}`);
  }
  async function command(text: string): Promise<void> {
    await kb.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await expect(palette).toBeVisible();
    await expect(palette.getByRole('combobox', { name: 'Command' })).toBeFocused();
    await kb.type(text);
    await kb.press('Enter');
    await expect(palette).toBeHidden();
  }

  // The skip link is the first stop, and leads into the content.
  await kb.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await command('demo');
  await expect(page.locator('.trace-row').first()).toBeVisible({ timeout: 60_000 });
  // After the import, focus is on the new screen's heading, not the page body.
  await expect(page.getByRole('heading', { level: 1, name: 'Traces' })).toBeFocused();

  // The slowest trace: the sort box, by typing, then the first row.
  await tabTo('.toolbar select');
  await kb.type('Slo');
  await expect(page.getByRole('combobox', { name: 'Sort', exact: true })).toHaveValue('duration');
  // The list is one Tab stop, its first row; the arrows, End and Home move the focus through it.
  const grid = page.getByRole('grid', { name: 'Trace list' });
  await tabTo('[role="grid"] [role="row"]');
  const rowAt = (n: number) => grid.locator(`[role="row"][aria-rowindex="${n}"]`);
  await expect(rowAt(1)).toBeFocused();
  await expect(grid).toHaveAttribute('aria-rowcount', '1840');
  await kb.press('ArrowDown');
  await expect(rowAt(2)).toBeFocused();
  await expect(rowAt(2)).toHaveAttribute('aria-selected', 'true');
  await kb.press('End');
  await expect(rowAt(1840)).toBeFocused();
  await kb.press('PageUp');
  await expect(grid.locator('[role="row"]:focus')).not.toHaveAttribute('aria-rowindex', '1840');
  await kb.press('Home');
  await expect(rowAt(1)).toBeFocused();
  // Tab leaves the list at once (its rows' buttons and ticks are not stops of their own).
  await kb.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('[role="grid"]') ?? null)).toBeNull();
  await kb.press('Shift+Tab');
  await expect(rowAt(1)).toBeFocused();
  const slowest = await rowAt(1).locator('.trace-row').getAttribute('data-trace-id');
  await kb.press('Enter');
  await expect(page.getByTestId('trace-stats')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('heading', { level: 1, name: `Trace ${slowest}` })).toBeFocused();

  // The waterfall's rows take the focus as j/k and the arrows move through them; each says its
  // service, operation, duration and whether it is on the critical path.
  await kb.press('j');
  const first = page.getByRole('treeitem').first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(first).toBeFocused();
  await expect(first).toHaveAttribute('aria-label', /^frontend .+, [\d.]+ (s|ms|µs), .*on the critical path/);
  await kb.press('ArrowDown');
  await expect(page.getByRole('treeitem').nth(1)).toBeFocused();
  await kb.press('ArrowLeft'); // a leaf or an open span: to its parent, or folded
  await kb.press('Home');
  await expect(first).toBeFocused();
  await kb.press('End');
  await expect(page.locator('[role="treeitem"]:focus')).toHaveAttribute('aria-selected', 'true');
  await kb.press('Home');
  await expect(first).toBeFocused();
  await tabTo('[role="tabpanel"]', 60);
  const panel = page.getByRole('tabpanel', { name: 'Span' });
  await expect(panel.getByRole('heading', { name: 'Logs' })).toBeVisible();
  await expect(panel.getByText(/Exact \(by trace and span id\)/)).toBeVisible();

  // Back to the list: the focus returns to the row the trace was opened from.
  await command('back to the trace list');
  await expect(rowAt(1)).toBeFocused();
  await kb.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Trace ${slowest}` })).toBeFocused();
  await kb.press('j');
  await tabTo('[role="tabpanel"]', 60);

  // The keyboard map lists this screen's keys; Escape closes it.
  await kb.press('?');
  const map = page.getByTestId('keymap');
  await expect(map).toBeVisible();
  await expect(map.getByRole('region', { name: 'Trace' })).toContainText('Zoom in');
  await expect(map.getByRole('region', { name: 'Help' })).toContainText('Command palette');
  await kb.press('Escape');
  await expect(map).toBeHidden();

  // A log record: the log screen from the palette, the search by '/', Enter opens the first hit.
  await command('go logs');
  await expect(page.getByRole('heading', { level: 1, name: 'Logs' })).toBeFocused();
  await kb.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search logs' })).toBeFocused();
  await kb.type('timeout');
  await kb.press('Enter');
  // The search waits its turn behind the full-text index's steps: slow on a busy machine.
  await expect(page.getByTestId('log-record')).toContainText(/timeout/i, { timeout: 20_000 });

  // The theme, from the palette.
  await command('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'keyboard-walk-dark');
  expect(watch.problems).toEqual([]);
});

// Accessibility of every screen: axe-core (WCAG 2.1 A/AA) finds no critical or serious violation
// in either theme, with the demo loaded, a trace open, a log record open and an SLO evaluated;
// the theme follows the choice and is remembered; screenshots of each screen in both themes.
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

    await screen(page, 'Files').click();
    await expectNoSeriousViolations(page, 'files');
    // Members of the demo's zip are listed with their own sizes.
    for (const size of await page.locator('tbody tr[data-file] td:nth-child(4)').allTextContents()) expect(size).toMatch(/^\d+(\.\d)? (B|KB|MB|GB)$/);
    await screenshot(page, `${theme}-files`);
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

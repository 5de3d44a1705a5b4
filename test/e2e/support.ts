// Shared steps of the end-to-end tests: start the app, collect CSP violations and page errors
// (each test asserts there were none), open the demo incident.
import { expect, type Page } from '@playwright/test';

export interface Watch {
  problems: string[];
}

/**
 * Start the app. Chromium's Open files… goes through showOpenFilePicker, whose native dialog
 * Playwright cannot answer (https://github.com/microsoft/playwright/issues/8850): unless a test
 * brings its own picker (`picker: 'own'`), the page goes without it and Open files… uses the file
 * input, as in a browser without the File System Access API, which Playwright's file chooser answers.
 */
export async function openApp(page: Page, opts: { picker?: 'own' } = {}): Promise<Watch> {
  const watch: Watch = { problems: [] };
  if (opts.picker !== 'own') {
    await page.addInitScript(() => {
      delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
    });
  }
  page.on('pageerror', (e) => watch.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') watch.problems.push(`console error: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Open the demo incident' })).toBeEnabled({ timeout: 20_000 });
  return watch;
}

export async function openDemo(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open the demo incident' }).click();
  await expect(page.getByTestId('import-report')).toBeVisible({ timeout: 60_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test/out/screens/${name}.png` });
}

/** The demo's frontend SLO (POST /checkout, latency ≤ 1 s, 99%, 5 m window, 30 d period), defined in the SLO form. */
export async function defineFrontendSlo(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'SLOs' }).click();
  const form = page.getByRole('form', { name: 'Define an SLO' });
  await form.getByLabel('Service', { exact: true }).selectOption('frontend');
  await form.getByLabel('Operation', { exact: true }).selectOption('POST /checkout');
  await form.getByLabel('Indicator', { exact: true }).selectOption('latency');
  await form.getByLabel('Threshold', { exact: true }).fill('1s');
  await form.getByLabel('Objective', { exact: true }).fill('99');
  await form.getByLabel('Window', { exact: true }).fill('5m');
  await form.getByLabel('Period', { exact: true }).fill('30d');
  await form.getByRole('button', { name: 'Add SLO' }).click();
  await expect(page.getByTestId('slo-summary')).toBeVisible({ timeout: 15_000 });
}

/** Drop files on the app as a user would from a file manager. */
export async function dropFiles(page: Page, files: Array<{ name: string; text: string }>): Promise<void> {
  const dt = await page.evaluateHandle((fs) => {
    const d = new DataTransfer();
    for (const f of fs) d.items.add(new File([f.text], f.name));
    return d;
  }, files);
  await page.locator('.app').dispatchEvent('drop', { dataTransfer: dt });
}

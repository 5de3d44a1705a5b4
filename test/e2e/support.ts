// Shared steps of the end-to-end tests: start the app, collect CSP violations and page errors
// (each test asserts there were none), open the demo incident.
import { expect, type Page } from '@playwright/test';

export interface Watch {
  problems: string[];
}

export async function openApp(page: Page): Promise<Watch> {
  const watch: Watch = { problems: [] };
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

// The span search index is built in steps after the data loads: beside the query bar the trace
// list says how far ("Indexing spans for search: 43 %"), searches work meanwhile (reading the spans
// not yet indexed) and find the same once it is built, and the line goes when it is. Steps are made
// short on this machine (localStorage tracedeck.searchIndexStepMs) so that the demo's build takes
// many of them and the line stays long enough to be read.
import { test, expect, type Page } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

async function search(page: Page, query: string): Promise<string> {
  const bar = page.getByRole('searchbox', { name: 'Search traces' });
  await bar.fill(query);
  await bar.press('Enter');
  await expect(page).toHaveURL(/#\/traces\?q=/);
  const count = page.getByTestId('trace-count');
  await expect(count).toHaveText(/ of [\d,]+ traces/);
  return (await count.textContent())!.trim();
}

for (const scheme of ['light', 'dark'] as const) {
  test(`says how far the search index is built, searches meanwhile, and stops saying so once built (${scheme})`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.addInitScript(() => localStorage.setItem('tracedeck.searchIndexStepMs', '1'));
    const watch = await openApp(page);
    await openDemo(page);
    const status = page.getByRole('status').filter({ hasText: /^Indexing spans for search: \d{1,2} %$/ });
    await expect(status).toBeVisible({ timeout: 30_000 });

    const query = 'db.system=postgresql timeout';
    const meanwhile = await search(page, query);
    expect(meanwhile).toMatch(/^[1-9][\d,]* of /);
    await expect(status).toBeVisible();
    await screenshot(page, `search-indexing-${scheme}`);

    await expect(status).toBeHidden({ timeout: 120_000 });
    await expect(page.getByText(/Indexing spans for search/)).toHaveCount(0);
    await search(page, 'service=checkout'); // another search between: the same one again is asked anew
    expect(await search(page, query)).toBe(meanwhile);
    expect(watch.problems).toEqual([]);
  });
}

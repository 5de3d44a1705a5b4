// The span search index is built in steps after the data loads: beside the query bar the trace
// list says how far ("Indexing spans for search: 43 %"), searches work meanwhile (reading the spans
// not yet indexed) and find the same once it is built, and the line goes when it is. Steps are made
// short on this machine (localStorage tracedeck.searchIndexStepMs) so that the demo's build takes
// many of them and the line stays long enough to be read.
import { test, expect, type Page } from '@playwright/test';
import { openApp, openDemo, screenshot } from './support.ts';

/** Search, and wait for the count of that search (the count of the one before stays until it comes). */
async function search(page: Page, query: string, found: string): Promise<void> {
  const bar = page.getByRole('searchbox', { name: 'Search traces' });
  await bar.fill(query);
  await bar.press('Enter');
  await expect(page.getByTestId('trace-count')).toHaveText(`${found} of 1,840 traces`);
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

    // 25 traces: what `tracedeck traces assets/demo-incident.zip --query '…'` finds (the same engine request).
    const query = 'db.system=postgresql timeout';
    await search(page, query, '25');
    await expect(status).toBeVisible();
    await screenshot(page, `search-indexing-${scheme}`);

    await expect(status).toBeHidden({ timeout: 120_000 });
    await expect(page.getByText(/Indexing spans for search/)).toHaveCount(0);
    await search(page, 'nothing-matches-this', '0'); // another search between: the same one again is asked anew
    await search(page, query, '25');
    expect(watch.problems).toEqual([]);
  });
}

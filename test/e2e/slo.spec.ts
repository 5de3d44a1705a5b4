import { test, expect } from '@playwright/test';
import { openApp, openDemo, screenshot, defineFrontendSlo } from './support.ts';

// The demo incident: postgres slows 10:10–10:20 UTC and payment calls time out, so the frontend's
// POST /checkout p99 ≤ 1 s promise burns its budget then. Figures below were checked by hand
// against SQL over the same data (see test/unit/slo-view.test.ts).

test('SLO on the demo: budget burns in the incident, budgets derive, YAML exports', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await defineFrontendSlo(page);

  // 535 checkout requests, 48 slower than 1 s: compliance 91.028%, budget 5.35 requests.
  await expect(page.getByTestId('slo-compliance')).toHaveText('91.028%');
  await expect(page.getByTestId('slo-summary')).toContainText('total 5.35 requests, consumed 48');
  await expect(page.getByTestId('slo-budget-remaining')).toHaveText('exhausted');
  await expect(page.getByTestId('slo-summary')).toContainText('remaining -42.65 (-797.2%)');
  await expect(page.getByTestId('slo-burn-rate')).toHaveText('8.97x');
  // Two hours of data for a 30-day period: said, not extrapolated.
  await expect(page.getByTestId('slo-coverage')).toHaveText('coverage 0.3%');
  await expect(page.getByTestId('slo-coverage-note')).toContainText('not extrapolated');
  // Whose SLO it is: the owner of its service beside its name.
  await expect(page.locator('.slo-screen h2.title').getByTestId('service-owner')).toHaveText('team-web');

  // The 1 h / 5 m page alert (14.4x for 30 days) fires in the incident; the 6 h one cannot be judged on 2 h.
  const alerts = page.getByRole('table', { name: 'Burn-rate alerts' });
  const page1h = alerts.locator('tbody tr').nth(0);
  await expect(page1h).toContainText('14.40x');
  await expect(page1h).toContainText(/fired 10:(1\d|2\d)–10:\d\d UTC/);
  await expect(alerts.locator('tbody tr').nth(1)).toContainText('not evaluated');
  await expect(page.getByTestId('chart-latency').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-budget').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-burn').locator('canvas')).toBeVisible();
  await screenshot(page, 'slo-evaluation');
  await page.getByTestId('chart-burn').scrollIntoViewIfNeeded();
  await screenshot(page, 'slo-charts');

  // Derive budgets: payment sits on the critical path ~2 times per request (1055 calls over 535
  // requests; a few checkouts stop after a failed first charge), so it must hold ~p99.5.
  await page.getByRole('button', { name: 'Derive budgets' }).click();
  const payment = page.locator('[data-testid="budget-row"][data-service="payment"][data-operation="POST /charge"]');
  await expect(payment).toBeVisible({ timeout: 15_000 });
  const n = Number(await payment.getByTestId('budget-n').textContent());
  expect(n).toBeCloseTo(1055 / 535, 3);
  const q = Number((await payment.getByTestId('budget-q').textContent())?.replace(/^p/, ''));
  expect(q).toBeCloseTo(100 - 1 / (1055 / 535), 3);
  expect(q).toBeGreaterThan(99.49);
  await expect(payment.getByTestId('budget-status')).toHaveText('violated');
  await expect(page.locator('[data-testid="budget-row"][data-service="pricing"]').first().getByTestId('budget-status')).toHaveText('met');
  await page.getByRole('table', { name: 'Budget tree' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'slo-budgets');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export budgets as OpenSLO' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.openslo\.yaml$/);
  const text = await streamText(await file.createReadStream());
  expect(text).toContain('apiVersion: openslo/v1');
  expect(text).toContain('kind: SLO');
  expect(text).toContain('service: payment');

  expect(watch.problems).toEqual([]);
});

test('SLOs from pasted OpenSLO YAML evaluate and export again', async ({ page }) => {
  const watch = await openApp(page);
  await openDemo(page);
  await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('button', { name: 'SLOs' }).click();
  await page.getByRole('button', { name: 'Paste YAML' }).click();
  await page.getByLabel('OpenSLO or Sloth YAML').fill(
    [
      'apiVersion: openslo/v1',
      'kind: SLO',
      'metadata:',
      '  name: checkout-availability',
      '  displayName: Checkout availability',
      'spec:',
      '  service: checkout',
      '  indicator:',
      '    metadata: { name: checkout-errors }',
      '    spec:',
      '      ratioMetric:',
      '        counter: true',
      '        good: { metricSource: { type: Prometheus, spec: { query: "sum(ok)" } } }',
      '        total: { metricSource: { type: Prometheus, spec: { query: "sum(all)" } } }',
      '  timeWindow: [{ duration: 7d, isRolling: true }]',
      '  budgetingMethod: Occurrences',
      '  objectives: [{ target: 0.995 }]',
    ].join('\n'),
  );
  await page.getByRole('button', { name: 'Read pasted YAML' }).click();
  await expect(page.getByRole('list', { name: 'Import notes' })).toContainText('1 SLO read as OpenSLO v1');
  await expect(page.getByRole('heading', { name: /Checkout availability/ })).toBeVisible();
  await expect(page.getByTestId('slo-summary')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('slo-coverage')).toHaveText(/coverage 1\.2%/);
  await screenshot(page, 'slo-imported');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export OpenSLO YAML' }).click();
  const text = await streamText(await (await download).createReadStream());
  expect(text).toContain('name: checkout-availability');
  expect(text).toContain('query: sum(ok)');

  // A Sloth file through the file picker: its SLO joins the list and is evaluated.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import YAML file…' }).click();
  await (await chooser).setFiles({
    name: 'payment.sloth.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from(
      [
        'version: "prometheus/v1"',
        'service: "payment"',
        'labels: { owner: team-payments }',
        'slos:',
        '  - name: "charge-errors"',
        '    objective: 99.9',
        '    sli:',
        '      events:',
        '        error_query: sum(rate(traces_span_metrics_calls_total{service_name="payment",span_name="POST /charge",status_code="STATUS_CODE_ERROR"}[{{.window}}]))',
        '        total_query: sum(rate(traces_span_metrics_calls_total{service_name="payment",span_name="POST /charge"}[{{.window}}]))',
        '    alerting: { name: ChargeErrors }',
      ].join('\n'),
    ),
  });
  await expect(page.getByRole('list', { name: 'Import notes' })).toContainText('payment.sloth.yaml: 1 SLO read as Sloth prometheus/v1');
  await expect(page.getByRole('heading', { name: /charge-errors/ })).toContainText('payment POST /charge');
  await expect(page.getByRole('region', { name: 'Defined SLOs' }).getByRole('listitem')).toHaveCount(2);
  expect(watch.problems).toEqual([]);
});

async function streamText(s: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

// The latency scatter's first paint with 1,000,000 points, in Chromium: uPlot (the library the
// Chart widget wraps) drawing a points-only series with errors as a second series on a log y axis,
// with the widget's own path builder (widgets/pixel-points.ts), as the trace list's scatter does. Timed from the
// chart's construction to the end of its first draw (uPlot's draw hook), three times.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pixelPoints } from '../../src-renderer/widgets/pixel-points.ts';

export async function benchScatterPaint(points: number, report: (what: string, figure: string) => void): Promise<void> {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.setContent('<div id="chart" style="width:1100px"></div>');
    await page.addScriptTag({ path: resolve('node_modules/uplot/dist/uPlot.iife.min.js') });
    // Written as text: the bundler that runs this file would wrap named functions in a helper the page lacks.
    await page.evaluate('window.__name = (f) => f');
    const times = (await page.evaluate(`(async (n) => {
      const pixelPoints = ${pixelPoints.toString()};
      // Traces over two hours, durations log-normal around 50 ms, 3% with errors: columns as the engine sends them.
      const xs = new Float64Array(n);
      const ok = new Array(n);
      const bad = new Array(n);
      let seed = 7;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      for (let i = 0; i < n; i++) {
        xs[i] = 1763630000 + (7200 * i) / n;
        const ms = Math.exp(Math.log(50) + 1.2 * Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd()));
        const err = rnd() < 0.03;
        ok[i] = err ? null : ms;
        bad[i] = err ? ms : null;
      }
      const out = [];
      for (let k = 0; k < 3; k++) {
        const el = document.getElementById('chart');
        const t0 = performance.now();
        const drawn = await new Promise((done) => {
          const u = new uPlot(
            {
              width: 1100, height: 170, scales: { x: { time: true }, y: { distr: 3 } },
              series: [{}, { stroke: '#2f62d8', fill: '#2f62d8', width: 0, paths: pixelPoints, points: { show: false } }, { stroke: '#c62828', fill: '#c62828', width: 0, paths: pixelPoints, points: { show: false } }],
              hooks: { draw: [() => done(performance.now())] },
            },
            [xs, ok, bad],
            el,
          );
          setTimeout(() => u.destroy(), 0);
        });
        out.push(drawn - t0);
      }
      return out;
    })(${points})`)) as number[];
    report(`latency scatter, first paint of ${points.toLocaleString('en-US')} points in Chromium (uPlot, log y, squares per pixel; 3 runs)`, times.map((t) => `${t.toFixed(0)} ms`).join(', '));
  } finally {
    await browser.close();
  }
}

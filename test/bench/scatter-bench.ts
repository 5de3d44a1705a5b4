// The latency scatter's first paint with 1,000,000 points, in Chromium: uPlot (the library the
// Chart widget wraps) drawing a points-only series with errors as a second series on a log y axis,
// with the widget's own path builder (widgets/pixel-points.ts) and its y axis set from the series'
// bounds (widgets/chart-data.ts), as the trace list's scatter does, timed from the chart's
// construction to the end of its first draw (uPlot's draw hook). The series and the histogram are
// made first by the app's own functions (core/analysis/scatter-series.ts), from the columns the
// store reads; the app makes them in the engine worker, so they are timed apart. Those modules
// and uPlot are bundled for the page with esbuild. Three times, each from new columns.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

async function pageBundle(): Promise<string> {
  const out = await build({
    stdin: {
      contents: `export { default as uPlot } from 'uplot'; export { pixelPoints } from './src-renderer/widgets/pixel-points.ts'; export { yAxisRange } from './src-renderer/widgets/chart-data.ts'; export { seriesOf, durationBins } from './src-renderer/core/analysis/scatter-series.ts';`,
      resolveDir: resolve('.'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'chartBench',
    write: false,
  });
  return out.outputFiles[0].text;
}

export async function benchScatterPaint(points: number, report: (what: string, figure: string) => void): Promise<void> {
  const { chromium } = await import('@playwright/test');
  const bundle = await pageBundle();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.setContent('<p style="font: 12px system-ui">Traces 10:00 10:10 1 ms 10 s</p><div id="chart" style="width:1100px"></div>');
    await page.addScriptTag({ content: bundle });
    const times = (await page.evaluate(`(async (n) => {
      const { uPlot, pixelPoints, yAxisRange, seriesOf, durationBins } = window.chartBench;
      // Traces over two hours, durations log-normal around 50 ms, 3% with errors: the columns the
      // engine's trace search reads for the traceScatter request (TraceScatterPoints, core/analysis/scatter-series.ts).
      let seed = 7;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const columns = () => {
        const p = { baseNs: '1763630000000000000', startNs: new Float64Array(n), durationNs: new Float64Array(n), error: new Uint8Array(n), traceNo: new Int32Array(n) };
        for (let i = 0; i < n; i++) {
          p.startNs[i] = Math.round((7200e9 * i) / n);
          p.durationNs[i] = Math.round(1e6 * Math.exp(Math.log(50) + 1.2 * Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd())));
          p.error[i] = rnd() < 0.03 ? 1 : 0;
          p.traceNo[i] = i;
        }
        return p;
      };
      const out = [];
      let pm = 0;
      // The path builder's share of each paint.
      const timed = (...a) => { const t = performance.now(); const r = pixelPoints(...a); pm += performance.now() - t; return r; };
      for (let k = 0; k < 3; k++) {
        const p = columns();
        const el = document.getElementById('chart');
        const s0 = performance.now();
        const { data, bounds } = seriesOf(p);
        durationBins(p, 12, bounds);
        const made = performance.now() - s0;
        const t0 = performance.now();
        const drawn = await new Promise((done) => {
          const u = new uPlot(
            {
              width: 1100, height: 170, scales: { x: { time: true }, y: { distr: 3, auto: false, range: () => yAxisRange(bounds, true) } },
              series: [{}, { stroke: '#2f62d8', fill: '#2f62d8', width: 0, paths: timed, points: { show: false } }, { stroke: '#c62828', fill: '#c62828', width: 0, paths: timed, points: { show: false } }],
              hooks: { draw: [() => done(performance.now())] },
            },
            data,
            el,
          );
          setTimeout(() => u.destroy(), 0);
        });
        out.push([drawn - t0, made, pm]);
        pm = 0;
      }
      return out;
    })(${points})`)) as Array<[number, number, number]>;
    report(
      `latency scatter, first paint of ${points.toLocaleString('en-US')} points in Chromium (uPlot, log y, covered pixels as runs; 3 runs; series made before, in the engine worker)`,
      times.map(([t, s, p]) => `${t.toFixed(0)} ms (points ${p.toFixed(0)} ms; series ${s.toFixed(0)} ms)`).join(', '),
    );
  } finally {
    await browser.close();
  }
}

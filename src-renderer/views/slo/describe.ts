// Words and numbers of the SLO screen: one line per SLO, percents, burn rates, times of day.
import type { SloDefinition } from '../../core/analysis/slo.ts';
import { formatWindow } from '../../core/base/time.ts';
import { formatDuration, formatTimestamp } from '../format.ts';

/** A percent with as many decimals as it needs, up to `max` (99, 99.5, 99.493). */
export function formatPercent(fraction: number, max = 3): string {
  return `${+(fraction * 100).toFixed(max)}%`;
}

/** "frontend POST /checkout: 99% ≤ 1.00 s, 5m / 30d" */
export function describeSlo(d: SloDefinition): string {
  const where = `${d.service} ${d.operation ?? '(entry spans)'}`;
  const ind = d.indicator;
  const what =
    ind.kind === 'latency'
      ? `${formatPercent(d.objective)} ≤ ${formatDuration(ind.thresholdNs)}`
      : ind.kind === 'latency-percentile'
        ? `p${+(ind.percentile * 100).toFixed(4)} ≤ ${formatDuration(ind.thresholdNs)} in ${formatPercent(d.objective)} of slices`
        : `${formatPercent(d.objective)} not in error`;
  return `${where}: ${what}, ${formatWindow(d.windowNs)} / ${formatWindow(d.periodNs)}`;
}

/** A burn rate: "2.40x", "n/a" when there is none. */
export function formatBurnRate(x: number | null): string {
  return x === null || Number.isNaN(x) ? 'n/a' : `${x >= 100 ? x.toFixed(0) : x.toFixed(2)}x`;
}

/** "10:19" of an epoch-ns string (UTC), with the date when `withDate`. */
export function formatClock(ns: string, withDate = false): string {
  const t = formatTimestamp(ns, 3);
  return withDate ? t.slice(0, 16) : t.slice(11, 16);
}

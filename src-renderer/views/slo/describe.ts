// Words and numbers of the SLO screen: one line per SLO, percents, burn rates, times of day.
import type { SloDefinition } from '../../core/analysis/slo.ts';
import { formatDuration, formatTimestamp } from '../format.ts';

function shortWindow(ns: number): string {
  if (ns % 86_400e9 === 0) return `${ns / 86_400e9}d`;
  if (ns % 3_600e9 === 0) return `${ns / 3_600e9}h`;
  if (ns % 60e9 === 0) return `${ns / 60e9}m`;
  return formatDuration(ns);
}
export { shortWindow };

/** A percent with as many decimals as it needs, up to `max` (99, 99.5, 99.493). */
export function percent(fraction: number, max = 3): string {
  return `${+(fraction * 100).toFixed(max)}%`;
}

/** "frontend POST /checkout: 99% ≤ 1.00 s, 5m / 30d" */
export function describeSlo(d: SloDefinition): string {
  const where = `${d.service} ${d.operation ?? '(entry spans)'}`;
  const ind = d.indicator;
  const what =
    ind.kind === 'latency'
      ? `${percent(d.objective)} ≤ ${formatDuration(ind.thresholdNs)}`
      : ind.kind === 'latency-percentile'
        ? `p${+(ind.percentile * 100).toFixed(4)} ≤ ${formatDuration(ind.thresholdNs)} in ${percent(d.objective)} of slices`
        : `${percent(d.objective)} not in error`;
  return `${where}: ${what}, ${shortWindow(d.windowNs)} / ${shortWindow(d.periodNs)}`;
}

export function burn(x: number | null): string {
  return x === null || Number.isNaN(x) ? 'n/a' : `${x >= 100 ? x.toFixed(0) : x.toFixed(2)}x`;
}

/** "10:19" of an epoch-ns string (UTC), with the date when `withDate`. */
export function clock(ns: string, withDate = false): string {
  const t = formatTimestamp(ns, 3);
  return withDate ? t.slice(0, 16) : t.slice(11, 16);
}

/** Event counts that may be fractional (a budget of 5.35 requests). */
export function count(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

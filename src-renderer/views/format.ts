// Formatting for display. Times are shown in UTC unless a view offers a zone toggle.
import { formatIsoNs } from '../core/base/time.ts';

export { formatDuration } from '../core/base/time.ts';

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KB`;
  return `${n} B`;
}

/** "2026-11-20 10:10:01.123" from epoch ns given as a decimal string. */
export function formatTimestamp(ns: string, precision: 3 | 6 | 9 = 3): string {
  const iso = formatIsoNs(ns);
  return iso.slice(0, 10) + ' ' + iso.slice(11, 20 + precision);
}

/** A count as shown everywhere: 1,234,567; a fractional one (an error budget of 5.35 requests) with up to two decimals. */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/**
 * What a line source's lines became, beside its records and rejected lines (for line sources,
 * lines = records + continuations + rejected + blank): "1,204 lines (90 continuations, 10 blank)".
 * Empty where the reader counted no lines.
 */
export function describeLines(lines: number | null, continuations: number | null, blank: number | null): string {
  if (lines === null || lines === 0) return '';
  const parts: string[] = [];
  if (continuations) parts.push(`${formatCount(continuations)} continuation${continuations === 1 ? '' : 's'}`);
  if (blank) parts.push(`${formatCount(blank)} blank`);
  return `${formatCount(lines)} line${lines === 1 ? '' : 's'}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** What a source held, for people: "traces", "logs", "traces and logs". */
export function describeKind(kind: string | null): string {
  return kind === 'traces+logs' ? 'traces and logs' : (kind ?? '');
}

/**
 * A chart's time (seconds since the epoch) in the tables' convention, UTC and 24-hour: the time
 * to the precision of the tick step ("10:10", "10:10:05", "10:10:05.250"), preceded by the date
 * when prevSec is null or falls on another day. stepSec 0 gives the full time to the millisecond.
 */
export function formatChartTime(sec: number, stepSec: number, prevSec: number | null): string {
  const iso = new Date(Math.round(sec * 1000)).toISOString();
  if (stepSec >= 86_400) return iso.slice(0, 10);
  const time = stepSec === 0 || stepSec < 1 ? iso.slice(11, 23) : stepSec >= 60 ? iso.slice(11, 16) : iso.slice(11, 19);
  const newDay = prevSec === null || new Date(Math.round(prevSec * 1000)).toISOString().slice(0, 10) !== iso.slice(0, 10);
  return newDay ? `${iso.slice(0, 10)} ${time}` : time;
}

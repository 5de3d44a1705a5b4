// Formatting for display. Clock times are in the app's one zone choice (UTC or this machine's,
// state/time-zone.svelte.ts), 24-hour, so tables, charts and panels agree.
import { formatIsoNs } from '../core/base/time.ts';
import { timeZone, type ZoneChoice } from '../state/time-zone.svelte.ts';

export { formatDuration } from '../core/base/time.ts';

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KB`;
  return `${n} B`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "2026-11-20T10:10:01" of a time in milliseconds, on the clock of `zone`. */
function wallSeconds(ms: number, zone: ZoneChoice): string {
  const d = new Date(ms);
  if (zone === 'utc') return d.toISOString().slice(0, 19);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * "2026-11-20T10:10:01.123456789" from epoch ns (a decimal string or a bigint), on the clock of
 * `zone` (the app's choice unless given). The sub-second digits are exact and the same in any zone.
 */
export function wallTimeNs(ns: string | bigint, zone: ZoneChoice = timeZone.choice): string {
  const iso = formatIsoNs(ns.toString());
  if (zone === 'utc') return iso.slice(0, 29);
  return `${wallSeconds(Date.parse(iso.slice(0, 19) + 'Z'), zone)}${iso.slice(19, 29)}`;
}

/** "2026-11-20 10:10:01.123" from epoch ns given as a decimal string, in the app's zone. */
export function formatTimestamp(ns: string, precision: 3 | 6 | 9 = 3): string {
  const t = wallTimeNs(ns);
  return t.slice(0, 10) + ' ' + t.slice(11, 20 + precision);
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
 * A chart's time (seconds since the epoch) in the tables' convention, the app's zone, 24-hour: the time
 * to the precision of the tick step ("10:10", "10:10:05", "10:10:05.250"), preceded by the date
 * when prevSec is null or falls on another day. stepSec 0 gives the full time to the millisecond.
 */
export function formatChartTime(sec: number, stepSec: number, prevSec: number | null): string {
  const zone = timeZone.choice;
  const ms = Math.round(sec * 1000);
  const wall = `${wallSeconds(ms, zone)}.${pad(((ms % 1000) + 1000) % 1000, 3)}`;
  if (stepSec >= 86_400) return wall.slice(0, 10);
  const time = stepSec === 0 || stepSec < 1 ? wall.slice(11, 23) : stepSec >= 60 ? wall.slice(11, 16) : wall.slice(11, 19);
  const newDay = prevSec === null || wallSeconds(Math.round(prevSec * 1000), zone).slice(0, 10) !== wall.slice(0, 10);
  return newDay ? `${wall.slice(0, 10)} ${time}` : time;
}

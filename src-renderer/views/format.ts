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
export function formatTimestamp(ns: string | bigint, precision: 3 | 6 | 9 = 3): string {
  const iso = formatIsoNs(BigInt(ns));
  return iso.slice(0, 10) + ' ' + iso.slice(11, 20 + precision);
}

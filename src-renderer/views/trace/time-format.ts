// Absolute times of a span for people, to the nanosecond, in UTC or in the machine's zone.
import { formatIsoNs, type EpochNs } from '../../core/base/time.ts';

export type ZoneMode = 'utc' | 'local';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "2026-11-20 10:10:01.123456789 UTC" or "… +01:00 (Europe/Paris)". */
export function formatAbsoluteNs(ns: EpochNs, mode: ZoneMode): string {
  const iso = formatIsoNs(ns);
  if (mode === 'utc') return `${iso.slice(0, 10)} ${iso.slice(11, 29)} UTC`;
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const frac = iso.slice(20, 29); // the nine sub-second digits do not depend on the zone
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${frac} ` +
    `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}${zone ? ` (${zone})` : ''}`
  );
}

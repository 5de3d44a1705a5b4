// Absolute times of a span for people, to the nanosecond, in UTC or in the machine's zone.
import type { EpochNs } from '../../core/base/time.ts';
import { wallTimeNs } from '../format.ts';
import { localZoneName, type ZoneChoice } from '../../state/time-zone.svelte.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-20 10:10:01.123456789 UTC" or "… +01:00 (Europe/Paris)", from epoch ns or their decimal text. */
export function formatAbsoluteNs(ns: EpochNs | string, mode: ZoneChoice): string {
  const t = wallTimeNs(ns.toString(), mode).replace('T', ' ');
  if (mode === 'utc') return `${t} UTC`;
  const off = -new Date(Number(BigInt(ns.toString()) / 1_000_000n)).getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  return `${t} ${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)} (${localZoneName()})`;
}

// Time zones for log stamps written without an offset. A file's zone is set by the user
// (ImportOptions.timeZone) as an IANA name ("Europe/Berlin") or a fixed offset ("+02:00", "UTC").
// Without one we read such stamps as UTC: deterministic, and what servers mostly write.
// IANA offsets come from Intl (no tz library): the wall-clock fields of a UTC instant in the zone,
// minus the instant, give the offset. Results are cached per quarter hour, since formatToParts
// costs microseconds and a log file has millions of stamps but few distinct quarter hours.

import { parseZoneOffset } from '../../base/time.ts';

/** Offset of local time from UTC, in minutes, for a wall-clock time given as "UTC-like" ms. */
export type ZoneFn = (wallMs: number) => number;

/** Abbreviations seen in real logs (PostgreSQL, Java, date(1)). Ambiguous ones (IST, CST in Asia) take the US/EU reading. */
export const ZONE_ABBREVIATIONS: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, UT: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480,
  HST: -600, JST: 540, KST: 540, AEST: 600, AEDT: 660, ACST: 570, AWST: 480, NZST: 720, NZDT: 780, IST: 330,
};

export const UTC_ZONE: ZoneFn = () => 0;

function fixedZone(minutes: number): ZoneFn {
  return () => minutes;
}

function ianaZone(name: string): ZoneFn | null {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
  } catch {
    return null;
  }
  const cache = new Map<number, number>();
  const offsetAtUtc = (utcMs: number): number => {
    const key = Math.floor(utcMs / 900_000);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const probe = key * 900_000;
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(new Date(probe))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const off = Math.round((wall - probe) / 60_000);
    if (cache.size > 100_000) cache.clear();
    cache.set(key, off);
    return off;
  };
  // Local wall time to offset: two passes settle it except inside a DST gap/overlap, where the
  // earlier offset wins (the same choice as java.time for overlaps).
  return (wallMs: number) => {
    const first = offsetAtUtc(wallMs - offsetAtUtc(wallMs) * 60_000);
    return offsetAtUtc(wallMs - first * 60_000);
  };
}

/** The zone for a file: fixed offset, IANA name, or UTC. Returns an error message when the name is unknown. */
export function resolveZone(spec: string | undefined | null): { zone: ZoneFn; error: string | null } {
  if (!spec || spec.trim() === '') return { zone: UTC_ZONE, error: null };
  const s = spec.trim();
  const upper = s.toUpperCase();
  if (upper in ZONE_ABBREVIATIONS) return { zone: fixedZone(ZONE_ABBREVIATIONS[upper]), error: null };
  const off = parseZoneOffset(s);
  if (off !== null) return { zone: fixedZone(off), error: null };
  const iana = ianaZone(s);
  if (iana) return { zone: iana, error: null };
  return { zone: UTC_ZONE, error: `unknown time zone "${s}"; stamps without an offset are read as UTC` };
}

// Log timestamps to exact epoch nanoseconds (BigInt). Reads:
//  - ISO 8601 / RFC 3339 with any fraction (1 to 9 digits, "." or ","), "T" or a space, "Z",
//    "+hh:mm", "+hhmm", "+hh" or a zone abbreviation ("PDT", zone.ts); also "yyyy/mm/dd hh:mm:ss";
//  - epoch seconds, ms, us or ns, chosen by magnitude (digits before any fraction: <=11 s,
//    12-14 ms, 15-17 us, 18-19 ns), as text or as JSON numbers (BigInt from parseExact stays exact);
//  - Apache/NCSA "20/Jul/2009:22:59:26 +0000"; "25 Apr 2024 05:32:35.018" (Redis);
//  - BSD syslog "Nov  3 09:23:38" and glog "0517 15:04:22.619632" without a year (YearGuesser).
// At the start of a line (stampAtLineStart) also the layouts that are too loose to look for
// anywhere: Hadoop/Spark "yy/MM/dd HH:mm:ss", HDFS "yyMMdd HHmmss", Android logcat
// "MM-dd HH:mm:ss.SSS", Tomcat "dd-Mon-yyyy HH:mm:ss.SSS", gin "yyyy/MM/dd - HH:mm:ss",
// "yyyyMMdd-HH:mm:ss:SSS", Proxifier "[MM.dd HH:mm:ss]", and a time of day alone ("HH:mm:ss.SSS",
// Go's "3:04PM"), whose date is inferred (DayGuesser).
// Stamps without an offset are read in the file's zone (zone.ts; UTC unless the user sets one).

import type { ZoneFn } from './zone.ts';
import { epochNsOrNull, parseRfc3339Ns, parseZoneOffset, wallTimeToEpochNs, type EpochNs } from '../../base/time.ts';
import { ZONE_ABBREVIATIONS } from './zone.ts';

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

export function monthNumber(name: string): number | null {
  return MONTHS[name.slice(0, 3).toLowerCase()] ?? null;
}

const ABBR = Object.keys(ZONE_ABBREVIATIONS).filter((z) => z !== 'Z').join('|');
const ISO = new RegExp(
  `(\\d{4})[-/](\\d{2})[-/](\\d{2})(?:T|\\s{1,2})(\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9})\\d*)?)?(?:(Z|[+-]\\d{2}(?::?\\d{2})?)(?![\\d:])|\\s?\\b(${ABBR})\\b)?`,
  'g',
);
const CLF = /(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s([+-]\d{4}))?/g;
const BSD = /\b([A-Z][a-z]{2})\s{1,2}(\d{1,2})\s(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s(\d{4})\b)?/g;
const DMY = /\b(\d{1,2})\s([A-Z][a-z]{2})\s(\d{4})\s(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/g;
const EPOCH_START = /^(\d{9,19})(?:\.(\d{1,9}))?(?=$|[\s,;:\]|)])/;

/** Two-digit years: 70..99 are 19xx, the rest 20xx. */
export function fullYear(yy: number): number {
  return yy >= 70 ? 1900 + yy : 2000 + yy;
}

function offsetMinutes(z: string | undefined, abbr: string | undefined): number | null {
  if (abbr) return ZONE_ABBREVIATIONS[abbr] ?? null;
  return z ? parseZoneOffset(z) : null;
}

/** Epoch digits (and an optional fraction of the same unit) to ns, by magnitude. */
export function epochToNs(intDigits: string, frac?: string): EpochNs | null {
  const n = intDigits.replace(/^0+/, '').length;
  let unitExp: number;
  if (n >= 9 && n <= 11) unitExp = 9;
  else if (n >= 12 && n <= 14) unitExp = 6;
  else if (n >= 15 && n <= 17) unitExp = 3;
  else if (n >= 18 && n <= 19) unitExp = 0;
  else return null;
  let ns = BigInt(intDigits) * 10n ** BigInt(unitExp);
  if (frac && unitExp > 0) ns += BigInt(frac.slice(0, unitExp).padEnd(unitExp, '0'));
  return epochNsOrNull(ns);
}

/** A JSON field value holding a time: number, BigInt or text. */
export function parseTimeValue(v: unknown, zone: ZoneFn, years?: YearGuesser): EpochNs | null {
  if (typeof v === 'bigint') return epochToNs(v.toString());
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0) return null;
    const s = Number.isInteger(v) ? BigInt(v).toString() : String(v);
    if (s.includes('e')) return null;
    const [i, f] = s.split('.');
    return epochToNs(i, f);
  }
  if (typeof v !== 'string') return null;
  const rfc = parseRfc3339Ns(v);
  if (rfc !== null) return rfc;
  const t = v.trim();
  const ep = /^(\d{9,19})(?:\.(\d{1,9}))?$/.exec(t);
  if (ep) return epochToNs(ep[1], ep[2]);
  const found = findTimestamp(t, 0, zone, years);
  return found && found.start === 0 ? found.ns : null;
}

export interface FoundStamp {
  ns: EpochNs;
  start: number;
  end: number;
}

/**
 * Find a timestamp that begins within the first `maxStart` characters of `text`. Tries the
 * formats in order of how specific they are and keeps the earliest match.
 */
export function findTimestamp(text: string, maxStart: number, zone: ZoneFn, years?: YearGuesser): FoundStamp | null {
  const ep = EPOCH_START.exec(text);
  if (ep) {
    const ns = epochToNs(ep[1], ep[2]);
    if (ns !== null) return { ns, start: 0, end: ep[0].length };
  }
  let best: FoundStamp | null = null;
  const limit = maxStart;
  ISO.lastIndex = 0;
  let m = ISO.exec(text);
  if (m && m.index <= limit) {
    const ns = wallTimeToEpochNs(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0), m[7], offsetMinutes(m[8], m[9]) ?? zone);
    if (ns !== null) best = { ns, start: m.index, end: m.index + m[0].length };
  }
  if (best && best.start === 0) return best;
  CLF.lastIndex = 0;
  m = CLF.exec(text);
  if (m && m.index <= limit && (!best || m.index < best.start)) {
    const mo = monthNumber(m[2]);
    const ns = mo ? wallTimeToEpochNs(+m[3], mo, +m[1], +m[4], +m[5], +m[6], m[7], (m[8] ? parseZoneOffset(m[8]) : null) ?? zone) : null;
    if (ns !== null) best = { ns, start: m.index, end: m.index + m[0].length };
  }
  DMY.lastIndex = 0;
  m = DMY.exec(text);
  if (m && m.index <= limit && (!best || m.index < best.start)) {
    const mo = monthNumber(m[2]);
    const ns = mo ? wallTimeToEpochNs(+m[3], mo, +m[1], +m[4], +m[5], +m[6], m[7], zone) : null;
    if (ns !== null) best = { ns, start: m.index, end: m.index + m[0].length };
  }
  BSD.lastIndex = 0;
  m = BSD.exec(text);
  if (m && m.index <= limit && (!best || m.index < best.start)) {
    const mo = monthNumber(m[1]);
    if (mo) {
      const y = m[7] ? +m[7] : (years ?? new YearGuesser()).year(mo, +m[2]);
      const ns = wallTimeToEpochNs(y, mo, +m[2], +m[3], +m[4], +m[5], m[6], zone);
      if (ns !== null) best = { ns, start: m.index, end: m.index + m[0].length };
    }
  }
  return best;
}

// Line-start layouts, tried at one position (sticky), most common first.
const ISO_AT = new RegExp(ISO.source, 'y');
const EPOCH_AT = /(\d{9,19})(?:\.(\d{1,9}))?(?=$|[\s,;:\]|)])/y;
const YY_SLASH_AT = /(\d{2})\/(\d{2})\/(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/y;
const MONTH_DAY_AT = /(\d{2})-(\d{2})\s+(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/y;
const COMPACT_AT = /(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})(?=\s|$)/y;
const DMY_DASH_AT = /(\d{2})-([A-Z][a-z]{2})-(\d{4})[ :](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/y;
const GIN_AT = /(\d{4})\/(\d{2})\/(\d{2}) - (\d{2}):(\d{2}):(\d{2})/y;
const DASHED_AT = /(\d{4})(\d{2})(\d{2})-(\d{1,2}):(\d{1,2}):(\d{1,2})(?::(\d{1,3}))?(?!\d)/y;
const DOTTED_AT = /(\d{2})\.(\d{2}) (\d{2}):(\d{2}):(\d{2})(?=\])/y;
const TIME_AT = /(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?![\d:])/y;
const KITCHEN_AT = /(\d{1,2}):(\d{2}) ?([AP]M)\b/y;

function sticky(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** Milliseconds as written ("606" of "22:15:29:606") to a fraction string of the right length. */
function msFraction(ms: string | undefined): string | undefined {
  return ms === undefined ? undefined : ms.padStart(3, '0');
}

/**
 * A timestamp that begins exactly at `at` (the start of a line, or just after its "["), in any
 * layout above. Stamps without a year take one from `years`, a time of day alone takes its day
 * from `days`.
 */
export function stampAtLineStart(text: string, at: number, zone: ZoneFn, years: YearGuesser, days: DayGuesser): FoundStamp | null {
  const c = text.charCodeAt(at);
  if (!(c >= 48 && c <= 57)) return null;
  const found = (ns: EpochNs | null, m: RegExpExecArray): FoundStamp | null => (ns === null ? null : { ns, start: at, end: at + m[0].length });
  let m = sticky(ISO_AT, text, at);
  if (m) {
    const r = found(wallTimeToEpochNs(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0), m[7], offsetMinutes(m[8], m[9]) ?? zone), m);
    if (r) return r;
  }
  if ((m = sticky(EPOCH_AT, text, at))) {
    const r = found(epochToNs(m[1], m[2]), m);
    if (r) return r;
  }
  if ((m = sticky(YY_SLASH_AT, text, at))) {
    const r = found(wallTimeToEpochNs(fullYear(+m[1]), +m[2], +m[3], +m[4], +m[5], +m[6], m[7], zone), m);
    if (r) return r;
  }
  if ((m = sticky(MONTH_DAY_AT, text, at))) {
    const r = found(wallTimeToEpochNs(years.year(+m[1], +m[2]), +m[1], +m[2], +m[3], +m[4], +m[5], m[6], zone), m);
    if (r) return r;
  }
  if ((m = sticky(COMPACT_AT, text, at))) {
    const r = found(wallTimeToEpochNs(fullYear(+m[1]), +m[2], +m[3], +m[4], +m[5], +m[6], undefined, zone), m);
    if (r) return r;
  }
  if ((m = sticky(DMY_DASH_AT, text, at))) {
    const mo = monthNumber(m[2]);
    const r = mo ? found(wallTimeToEpochNs(+m[3], mo, +m[1], +m[4], +m[5], +m[6], m[7], zone), m) : null;
    if (r) return r;
  }
  if ((m = sticky(GIN_AT, text, at))) {
    const r = found(wallTimeToEpochNs(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], undefined, zone), m);
    if (r) return r;
  }
  if ((m = sticky(DASHED_AT, text, at))) {
    const r = found(wallTimeToEpochNs(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], msFraction(m[7]), zone), m);
    if (r) return r;
  }
  if ((m = sticky(DOTTED_AT, text, at))) {
    const r = found(wallTimeToEpochNs(years.year(+m[1], +m[2]), +m[1], +m[2], +m[3], +m[4], +m[5], undefined, zone), m);
    if (r) return r;
  }
  if ((m = sticky(TIME_AT, text, at))) return found(timeOfDayToNs(+m[1], +m[2], +m[3], m[4], zone, days), m);
  if ((m = sticky(KITCHEN_AT, text, at))) {
    const h = (+m[1] % 12) + (m[3] === 'PM' ? 12 : 0);
    return found(timeOfDayToNs(h, +m[2], 0, undefined, zone, days), m);
  }
  return null;
}

function timeOfDayToNs(h: number, mi: number, s: number, frac: string | undefined, zone: ZoneFn, days: DayGuesser): EpochNs | null {
  if (h > 23 || mi > 59 || s > 60) return null;
  const day = new Date(days.day(h * 3600 + mi * 60 + s));
  return wallTimeToEpochNs(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), h, mi, s, frac, zone);
}

/**
 * The day of stamps that give only a time of day (logback's default "HH:mm:ss.SSS", Go's
 * "3:04PM"). Nothing in such a line says the date: the first stamp is put on the day of the
 * reference time (the import clock), or the day before when that would put it more than an hour
 * in the future, and the day moves on whenever the clock goes back by more than an hour (past
 * midnight). `count` says how many stamps were placed this way, so the reader can say so.
 */
export class DayGuesser {
  private dayMs: number | null = null;
  private lastSecond = 0;
  count = 0;
  first: number | null = null;

  constructor(private readonly nowMs: number = Date.now()) {}

  /** The wall-clock midnight (ms, UTC-like) of the day a time of day falls on. */
  day(secondOfDay: number): number {
    if (this.dayMs === null) {
      let d = Math.floor(this.nowMs / 86_400_000) * 86_400_000;
      if (d + secondOfDay * 1000 > this.nowMs + 3_600_000) d -= 86_400_000;
      this.dayMs = d;
      this.first = d;
    } else if (secondOfDay < this.lastSecond - 3600) this.dayMs += 86_400_000;
    this.lastSecond = secondOfDay;
    this.count++;
    return this.dayMs;
  }
}

/**
 * The year of stamps written without one (BSD syslog, glog/klog). The first stamp gets the year
 * of the reference time (the import clock, or ImportOptions `now` in tests) unless that would put
 * it more than a day in the future, in which case it is last year's: a log is read after it was
 * written. After that the year follows the file: a jump back of six months or more (Dec -> Jan)
 * is a new year, a jump forward of six months or more (Jan -> Dec, lines out of order across New
 * Year) goes back one.
 */
export class YearGuesser {
  private current: number | null = null;
  private lastMonth = 0;

  constructor(private readonly nowMs: number = Date.now()) {}

  year(month: number, day: number): number {
    if (this.current === null) {
      const now = new Date(this.nowMs);
      let y = now.getUTCFullYear();
      if (Date.UTC(y, month - 1, day) > this.nowMs + 86_400_000) y--;
      this.current = y;
    } else if (month - this.lastMonth <= -6) this.current++;
    else if (month - this.lastMonth >= 6) this.current--;
    this.lastMonth = month;
    return this.current;
  }
}

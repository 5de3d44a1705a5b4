// A line of text read without knowing its layout: a timestamp near its start (timestamp.ts: any
// ISO 8601 / RFC 3339 stamp, an epoch in s/ms/us/ns, and the line-start layouts), a level among
// its first words ("INFO", "[warn]", "E", "<Warning>", "[core:error]"), and the rest as the
// message. The generic text log, the plain-text fallback and the prefixed (compose, kubectl)
// reader read lines this way, and every line reader uses hasLeadingStamp for its rule that a line
// starting with its own timestamp is a record, never a continuation of the one above.

import type { LogRecord } from '../../model/log.ts';
import type { ParseEnv } from './reader.ts';
import { newRecord } from './record.ts';
import { findTimestamp, stampAtLineStart, type FoundStamp } from './timestamp.ts';
import { severityFromText, isLevelWord } from './severity.ts';

/** How far into a line a timestamp may begin (a file name, a host or a bracketed context before it). */
export const MAX_STAMP_START = 48;
/** Characters of a line searched for a stamp that does not begin it. */
const STAMP_WINDOW = MAX_STAMP_START + 48;

/** A timestamp at the start of the line (or just after its "["), else one beginning within `maxStart` characters. */
export function findLineStamp(text: string, env: ParseEnv, maxStart = MAX_STAMP_START): FoundStamp | null {
  const at = text.charCodeAt(0) === 91 ? 1 : 0; // '['
  const s = stampAtLineStart(text, at, env.zone, env.years, env.days);
  if (s) return s;
  const window = text.length > STAMP_WINDOW ? text.slice(0, STAMP_WINDOW) : text;
  // Every stamp findTimestamp reads has a clock ("10:42"); most lines of plain text have none.
  return HAS_CLOCK.test(window) ? findTimestamp(window, maxStart, env.zone, env.years) : null;
}

const HAS_CLOCK = /\d:\d\d/;

/** Does the line begin with a timestamp ("2026-12-06 10:42:01 …", "[10.30 16:49:06] …", "Dec  6 10:42:01 …", "Sat Dec 06 …")? */
export function hasLeadingStamp(text: string, env: ParseEnv): boolean {
  const c = text.charCodeAt(0);
  if (c === 32 || c === 9) return false;
  const at = c === 91 ? 1 : 0;
  const d = text.charCodeAt(at);
  if (d >= 48 && d <= 57) return stampAtLineStart(text, at, env.zone, env.years, env.days) !== null;
  // Month or weekday names: "Dec  6 10:42:01", "Sun Dec 06 10:42:01 2026", "Sun, 06 Dec 2026 10:42:01".
  if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122)) return findTimestamp(text.slice(0, 40), at + 5, env.zone, env.years) !== null;
  return false;
}

const SINGLE_LETTER_LEVELS = 'VDIWEFA';
const WORD = /^(\S+)\s*/;
const SEPARATORS = /^[\s:,|\-\]]+/;
/** Bracketed or numeric context before the level: "[12345]", "(main)", "<3>", "4711:", "1234#1234:". */
const CONTEXT = /^(?:[[(<].*[\])>]:?|\d+(?:[#:/]\d+)?:?)$/;

/** A level word among the first words of `rest`: its severity, text and where the message starts. */
export function levelAmongFirstWords(rest: string, allowLetter: boolean): { word: string; after: number; context: string[] } | null {
  const context: string[] = [];
  let cursor = 0;
  for (let i = 0; i < 4; i++) {
    const t = WORD.exec(rest.slice(cursor));
    if (!t) return null;
    const token = t[1];
    const w = token.replace(/^[[(<]+|[\]):>,|]+$/g, '');
    if (isLevelWord(w) || (allowLetter && i === context.length && w.length === 1 && SINGLE_LETTER_LEVELS.includes(w))) {
      return { word: w, after: cursor + t[0].length, context };
    }
    const colon = w.indexOf(':');
    if (colon > 0) {
      // "[core:error]", "[php:warn]": a module and its level.
      const last = w.lastIndexOf(':');
      if (token.startsWith('[') && isLevelWord(w.slice(last + 1))) return { word: w.slice(last + 1), after: cursor + t[0].length, context: [...context, w.slice(0, last)] };
      // "DEBUG:foo bar": the level and the message joined by a colon.
      if (isLevelWord(w.slice(0, colon))) return { word: w.slice(0, colon), after: cursor + token.indexOf(':') + 1, context };
    }
    if (!CONTEXT.test(token)) return null;
    context.push(token);
    cursor += t[0].length;
  }
  return null;
}

/**
 * A record for one line of text (ANSI codes already removed). The stamp may sit after a prefix
 * (kept as `log.prefix`); the level is one of the first words after the stamp, after any bracketed
 * context or process id (kept as `log.context`); a single letter counts as a level right after the
 * stamp or its context (logcat, glog, zerolog write "I", "W", "E"). Without a stamp, a level word
 * may open the line ("ERROR: disk full", "[WARN] slow").
 */
export function readTextLine(text: string, line: number, env: ParseEnv, service: string | null = env.service, stamp = findLineStamp(text, env)): LogRecord {
  if (!stamp) {
    const rec = newRecord(line, text, service);
    const lv = text.length > 0 && text.charCodeAt(0) > 32 ? levelAmongFirstWords(text, false) : null;
    if (lv && lv.context.length === 0) {
      rec.severity = severityFromText(lv.word);
      rec.severityText = lv.word;
    }
    return rec;
  }
  let restStart = stamp.end;
  // "[10.30 16:49:06] …": the stamp's closing bracket
  if (text.charCodeAt(restStart) === 93) restStart++;
  const rest = text.slice(restStart).replace(SEPARATORS, '');
  const rec = newRecord(line, rest, service);
  rec.timeNs = stamp.ns;
  const before = text.slice(0, stamp.start).replace(/[\s[]+$/, '').trim();
  if (before) rec.attributes['log.prefix'] = before;
  const lv = levelAmongFirstWords(rest, true);
  if (lv) {
    rec.severity = severityFromText(lv.word);
    rec.severityText = lv.word;
    rec.message = rest.slice(lv.after).replace(SEPARATORS, '');
    if (lv.context.length > 0) rec.attributes['log.context'] = lv.context.join(' ');
  }
  return rec;
}

// Text log layouts read by pattern, each with its continuation lines joined to the record:
//  - glog / klog (https://github.com/google/glog#log-line-prefix-format, https://github.com/kubernetes/klog):
//    "Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg", L in IWEF; no year (inferred), no zone.
//  - Java (log4j 2 PatternLayout https://logging.apache.org/log4j/2.x/manual/pattern-layout.html,
//    logback, Spring Boot): a dated stamp, a level and a [thread] in either order, then
//    "logger - msg" or "logger : msg". Stack traces ("\tat ...", "Caused by: ...", "... 3 more",
//    the exception line itself) join the record before them.
//  - Python logging (https://docs.python.org/3/library/logging.html#logrecord-attributes): the
//    common layouts of asctime, name and levelname ("%(asctime)s - %(name)s - %(levelname)s - ...",
//    "%(asctime)s:%(levelname)s:...", "%(levelname)s:%(name)s:..."); tracebacks join the record.
//  - generic: a timestamp near the start of the line (timestamp.ts finds it anywhere in the first
//    48 characters), then an optional level word among the next few words. Lines without a stamp
//    join the record before them when that record had one (multi-line messages); otherwise they are
//    records of their own without a time. Docker Compose's "name  | " prefix gives the service.

import type { FormatDef } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import { LogLineReader, scoreLines, newRecord, stripAnsi, type LineParser, type ParseEnv, type LineVerdict } from './reader.ts';
import { findTimestamp } from './timestamp.ts';
import { wallTimeToEpochNs } from '../../base/time.ts';
import { severityFromText, isLevelWord } from './severity.ts';

// ---------------------------------------------------------------- glog / klog

const GLOG = /^([IWEF])(\d{4})?(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,9})\s+(\d+) ([^:\]\s]+):(\d+)\] ?(.*)$/;

class GlogParser implements LineParser {
  readonly continuation = 'join' as const;
  constructor(private readonly env: ParseEnv) {}
  parse(text: string, line: number): LogRecord | null {
    const m = GLOG.exec(text);
    if (!m) return null;
    const [, level, year, mo, d, h, mi, s, frac, thread, file, srcLine, msg] = m;
    const rec = newRecord(line, msg, this.env.service);
    const y = year ? Number(year) : this.env.years.year(Number(mo), Number(d));
    rec.timeNs = wallTimeToEpochNs(y, +mo, +d, +h, +mi, +s, frac, this.env.zone);
    rec.severity = severityFromText(level);
    rec.severityText = level;
    rec.attributes = { 'thread.id': Number(thread), 'code.filepath': file, 'code.lineno': Number(srcLine) };
    return rec;
  }
}

// ---------------------------------------------------------------- Java

const STAMP = String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?`;
const JAVA_LEVEL = 'TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE|FINE|FINER|FINEST|CONFIG';
const JAVA = new RegExp(
  `^(${STAMP})\\s+(?:(${JAVA_LEVEL})\\s+(?:\\d+\\s+---\\s+)?\\[([^\\]]*)\\]|\\[([^\\]]*)\\]\\s+(${JAVA_LEVEL}))\\s+(.*)$`,
);
const LOGGER_SPLIT = /^(\S+)\s+(?:-|:)\s(.*)$/s;
const JAVA_CONTINUATION = /^(?:\s|Caused by:|Suppressed:|\.\.\. \d+ (?:more|common frames omitted)|[\w$.]+(?:Exception|Error|Throwable)\b)/;

/** A line that starts with a stamp but not in the format's layout is a record of its own, not a continuation. */
function stampedFallback(text: string, line: number, env: ParseEnv, generic: GenericParser): LogRecord | null {
  const f = findTimestamp(text, 0, env.zone, env.years);
  return f && f.start === 0 ? generic.parse(text, line) : null;
}

class JavaParser implements LineParser {
  readonly continuation = 'join' as const;
  private readonly generic: GenericParser;
  constructor(private readonly env: ParseEnv) {
    this.generic = new GenericParser(env);
  }
  parse(text: string, line: number): LogRecord | null {
    const m = JAVA.exec(text);
    if (!m) return stampedFallback(text, line, this.env, this.generic);
    const [, stamp, level1, thread1, thread2, level2, rest] = m;
    const level = level1 ?? level2;
    const split = LOGGER_SPLIT.exec(rest);
    const rec = newRecord(line, split ? split[2] : rest, this.env.service);
    rec.timeNs = findTimestamp(stamp, 0, this.env.zone)?.ns ?? null;
    rec.severity = severityFromText(level);
    rec.severityText = level;
    rec.attributes = { 'thread.name': (thread1 ?? thread2).trim() };
    if (split) rec.attributes['log.logger'] = split[1];
    return rec;
  }
}

export function classifyJava(l: string): LineVerdict {
  return JAVA.test(l) ? 'yes' : JAVA_CONTINUATION.test(l) ? 'neutral' : 'no';
}

// ---------------------------------------------------------------- Python

const PY_STAMP = String.raw`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d{1,6})?`;
const PY_LEVEL = 'DEBUG|INFO|WARNING|ERROR|CRITICAL|NOTSET';
// stamp? [name -]? level name? message, with " - ", ":", " | " or spaces between the parts.
const PYTHON = new RegExp(
  `^(?:(${PY_STAMP})(?:\\s*[-|:]\\s*|\\s+))?(?:([\\w.<>]+)\\s+-\\s+)?\\[?(${PY_LEVEL})\\]?(?:\\s*[-:|]\\s*|\\s+)(?:([\\w.<>]+)(?::\\s*|\\s+-\\s+))?(.*)$`,
);
const PY_CONTINUATION = /^(?:\s|Traceback \(most recent call last\):|During handling of the above exception|The above exception was|[\w.]+(?:Error|Exception|Exit|Interrupt|Warning)\b)/;

/**
 * "stamp LEVEL message" alone is every logger's layout; Python's own marks are asctime's comma
 * before the milliseconds, the " - " separators, or basicConfig's "LEVEL:name:message".
 */
function isPythonMatch(m: RegExpExecArray | null): m is RegExpExecArray {
  if (!m) return false;
  const [whole, stamp, name1, level] = m;
  if (stamp) return stamp.includes(',') || name1 !== undefined;
  return whole.startsWith(`${level}:`) || whole.startsWith(`[${level}]`) || name1 !== undefined;
}

class PythonParser implements LineParser {
  readonly continuation = 'join' as const;
  private readonly generic: GenericParser;
  constructor(private readonly env: ParseEnv) {
    this.generic = new GenericParser(env);
  }
  parse(text: string, line: number): LogRecord | null {
    const m = JAVA.test(text) ? null : PYTHON.exec(text);
    if (!isPythonMatch(m)) return stampedFallback(text, line, this.env, this.generic);
    const [, stamp, name1, level, name2, msg] = m;
    const rec = newRecord(line, msg, this.env.service);
    if (stamp) rec.timeNs = findTimestamp(stamp, 0, this.env.zone)?.ns ?? null;
    rec.severity = severityFromText(level);
    rec.severityText = level;
    const name = name1 ?? name2;
    if (name) rec.attributes = { 'log.logger': name };
    return rec;
  }
}

export function classifyPython(l: string): LineVerdict {
  return !JAVA.test(l) && isPythonMatch(PYTHON.exec(l)) ? 'yes' : PY_CONTINUATION.test(l) ? 'neutral' : 'no';
}

// ---------------------------------------------------------------- generic

const COMPOSE = /^([A-Za-z][\w.-]*)\s+\|\s?/;
const MAX_STAMP_START = 48;

class GenericParser implements LineParser {
  readonly continuation = 'join' as const;
  private lastHadTime = false;
  constructor(private readonly env: ParseEnv) {}

  parse(raw: string, line: number): LogRecord | null {
    let text = stripAnsi(raw);
    let service = this.env.service;
    const c = COMPOSE.exec(text);
    if (c) {
      service = c[1];
      text = text.slice(c[0].length);
    }
    const found = findTimestamp(text, MAX_STAMP_START, this.env.zone, this.env.years);
    if (!found) {
      // A line without a stamp continues a stamped record; before any stamp it stands alone.
      if (this.lastHadTime && !c) return null;
      this.lastHadTime = false;
      return newRecord(line, text, service);
    }
    this.lastHadTime = true;
    const before = text.slice(0, found.start).trim();
    let rest = text.slice(found.end).replace(/^[\s:,|\-\]]+/, '');
    const rec = newRecord(line, rest, service);
    rec.timeNs = found.ns;
    // The level is one of the first words, after any bracketed context or process id ("[12345] LOG:").
    const context: string[] = [];
    const tok = /^(\S+)\s*/;
    let cursor = rest;
    for (let i = 0; i < 4; i++) {
      const t = tok.exec(cursor);
      if (!t) break;
      const w = t[1].replace(/^[[(<]+|[\]):>,|]+$/g, '');
      if (isLevelWord(w)) {
        rec.severity = severityFromText(w);
        rec.severityText = w;
        rest = cursor.slice(t[0].length).replace(/^[\s:,|\-\]]+/, '');
        break;
      }
      if (!/^[[(<].*[\])>]:?$|^\d+:?$/.test(t[1])) break;
      context.push(t[1]);
      cursor = cursor.slice(t[0].length);
    }
    if (rec.severity !== null && context.length > 0) rec.attributes['log.context'] = context.join(' ');
    rec.message = rest;
    if (before) rec.attributes['log.prefix'] = before;
    return rec;
  }
}

function classifyGeneric(l: string, env: ParseEnv): LineVerdict {
  const text = stripAnsi(l).replace(COMPOSE, '');
  return findTimestamp(text, MAX_STAMP_START, env.zone, env.years) ? 'yes' : /^\s/.test(text) ? 'neutral' : 'no';
}

// ---------------------------------------------------------------- registry entries

const DETECT_ENV = (): ParseEnv => ({
  fileName: '', zone: () => 0, years: { year: () => 2000 } as unknown as ParseEnv['years'], service: null, traceFields: [], spanFields: [],
});

export const LOGS_GLOG: FormatDef = {
  id: 'logs-glog',
  label: 'glog / klog',
  kind: 'logs',
  detect(head) {
    return scoreLines(head, (l) => (GLOG.test(l) ? 'yes' : /^\s/.test(l) ? 'neutral' : 'no'));
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new GlogParser(env));
  },
};

export const LOGS_JAVA: FormatDef = {
  id: 'logs-java',
  label: 'Java (log4j, logback, Spring Boot)',
  kind: 'logs',
  detect(head) {
    return scoreLines(head, classifyJava, true);
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new JavaParser(env));
  },
};

export const LOGS_PYTHON: FormatDef = {
  id: 'logs-python',
  label: 'Python logging',
  kind: 'logs',
  detect(head) {
    return scoreLines(head, classifyPython, true);
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new PythonParser(env));
  },
};

/** Weight of the generic fallback: any specific format reading as many lines wins over it. */
export const GENERIC_WEIGHT = 0.6;

export const LOGS_GENERIC: FormatDef = {
  id: 'logs-generic',
  label: 'Text log (timestamp, level, message)',
  kind: 'logs',
  detect(head) {
    const env = DETECT_ENV();
    // sqrt: a file where a third of the lines are stamped (the rest multi-line messages) is still a log.
    return GENERIC_WEIGHT * Math.sqrt(scoreLines(head, (l) => classifyGeneric(l, env)));
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new GenericParser(env));
  },
};

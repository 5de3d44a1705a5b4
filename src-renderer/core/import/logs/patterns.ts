// Text log layouts read by pattern, each with its continuation lines joined to the record:
//  - glog / klog (https://github.com/google/glog#log-line-prefix-format, https://github.com/kubernetes/klog):
//    "Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg", L in IWEF; no year (inferred), no zone.
//  - Java (log4j 2 PatternLayout https://logging.apache.org/log4j/2.x/manual/pattern-layout.html,
//    logback https://logback.qos.ch/manual/layouts.html, Spring Boot): a stamp, a level and a
//    [thread] in either order, then "logger - msg", "logger : msg" or "logger: msg"; also without
//    a thread when a logger is named (Hadoop and Spark "yy/MM/dd HH:mm:ss LEVEL logger: msg",
//    HDFS "yyMMdd HHmmss pid LEVEL logger: msg"), ZooKeeper's "stamp - LEVEL [thread] - msg",
//    Spring Boot's pid and [app] (the app is the service), and logback's default pattern, whose
//    stamp is a time of day. Stack traces ("\tat ...", "Caused by: ...", "... 3 more", the
//    exception line itself) join the record before them.
//  - Python logging (https://docs.python.org/3/library/logging.html#logrecord-attributes): the
//    common layouts of asctime, name and levelname ("%(asctime)s - %(name)s - %(levelname)s - ...",
//    "%(asctime)s:%(levelname)s:...", "%(levelname)s:%(name)s:..."); tracebacks join the record.
//  - generic: a timestamp near the start of the line, then an optional level among the next few
//    words (text-line.ts). Lines without a stamp join the record before them when that record had
//    one (multi-line messages); before the first stamp they are records of their own.

import type { FormatDef } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import { LogLineReader, lineFormat, scoreLines, newRecord, stripAnsi, detectEnv, type LineParser, type ParseEnv, type LineVerdict } from './reader.ts';
import { findTimestamp, stampAtLineStart } from './timestamp.ts';
import { wallTimeToEpochNs } from '../../base/time.ts';
import { severityFromText } from './severity.ts';
import { findLineStamp, readTextLine } from './text-line.ts';

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

// The stamps log4j/logback layouts write: ISO 8601 ("%d", "%d{ISO8601}"), Hadoop/Spark's
// "yy/MM/dd HH:mm:ss", HDFS's "yyMMdd HHmmss", Tomcat's "dd-MMM-yyyy HH:mm:ss.SSS", and logback's
// default pattern, a time of day alone ("HH:mm:ss.SSS", its date inferred).
const STAMP = String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?|\d{2}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?|\d{6} \d{6}|\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}[.,]\d{3}|\d{2}:\d{2}:\d{2}[.,]\d{3}`;
const JAVA_LEVEL = 'TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE|FINE|FINER|FINEST|CONFIG';
/** A [thread], which may hold one level of brackets (ZooKeeper's "[QuorumPeer[myid=1]/0.0.0.0:2181:Class@774]"). */
const THREAD = String.raw`\[((?:[^\[\]]|\[[^\]]*\])*)\]`;
// stamp [-] [pid] then LEVEL [pid ---] [[app]] [thread] | [thread] LEVEL, then the rest.
const JAVA = new RegExp(
  `^(${STAMP})\\s+(?:-\\s+)?(?:(\\d+)\\s+)?(?:(${JAVA_LEVEL})\\s+(?:(\\d+)\\s+---\\s+)?(?:\\[([^\\]]*)\\]\\s+(?=\\[))?(?:${THREAD}\\s+)?|${THREAD}\\s+(${JAVA_LEVEL})\\s+)(.*)$`,
);
/** "logger - msg", "logger : msg" (Spring Boot pads the logger), "logger: msg" (Hadoop, Spark). */
const LOGGER_SPLIT = /^([\w$.<>\-]+?)(?::|\s+[-:])\s+(.*)$/s;
const JAVA_CONTINUATION = /^(?:\s|Caused by:|Suppressed:|\.\.\. \d+ (?:more|common frames omitted)|[\w$.]+(?:Exception|Error|Throwable)\b)/;

/** The parts of a Java line, or null. A line without a [thread] must name its logger ("INFO org.a.B: msg"). */
function matchJava(text: string): { stamp: string; level: string; thread?: string; app?: string; pid?: string; logger?: string; message: string } | null {
  const m = JAVA.exec(text);
  if (!m) return null;
  const [, stamp, pidBefore, level1, pidAfter, app, thread1, thread2, level2, rest0] = m;
  const thread = thread1 ?? thread2;
  const rest = rest0.startsWith('- ') ? rest0.slice(2) : rest0;
  const split = LOGGER_SPLIT.exec(rest);
  // Without a [thread], only a dotted logger (a class: "dfs.DataNode", "org.apache.spark.SparkContext")
  // says log4j: "stamp LEVEL checkout: message" is any program's layout.
  if (thread === undefined && (!split || !/[.$]/.test(split[1]))) return null;
  return {
    stamp, level: level1 ?? level2, thread, app, pid: pidBefore ?? pidAfter,
    logger: split ? split[1] : undefined, message: split ? split[2] : rest,
  };
}

class JavaParser implements LineParser {
  readonly continuation = 'join' as const;
  constructor(private readonly env: ParseEnv) {}
  parse(text: string, line: number): LogRecord | null {
    const j = matchJava(text);
    if (!j) return null;
    const rec = newRecord(line, j.message, j.app?.trim() || this.env.service);
    rec.timeNs = stampAtLineStart(j.stamp, 0, this.env.zone, this.env.years, this.env.days)?.ns ?? null;
    rec.severity = severityFromText(j.level);
    rec.severityText = j.level;
    if (j.thread !== undefined) rec.attributes['thread.name'] = j.thread.trim();
    if (j.logger) rec.attributes['log.logger'] = j.logger;
    if (j.pid) rec.attributes['process.pid'] = Number(j.pid);
    return rec;
  }
}

export function classifyJava(l: string): LineVerdict {
  return matchJava(l) ? 'yes' : JAVA_CONTINUATION.test(l) ? 'neutral' : 'no';
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
  // basicConfig's "LEVEL:logger:message": the logger follows the colon directly.
  return /^[A-Z]+:[\w.<>]+:/.test(whole) || whole.startsWith(`[${level}]`) || name1 !== undefined;
}

class PythonParser implements LineParser {
  readonly continuation = 'join' as const;
  constructor(private readonly env: ParseEnv) {}
  parse(text: string, line: number): LogRecord | null {
    const m = matchJava(text) ? null : PYTHON.exec(text);
    if (!isPythonMatch(m)) return null;
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
  return !matchJava(l) && isPythonMatch(PYTHON.exec(l)) ? 'yes' : PY_CONTINUATION.test(l) ? 'neutral' : 'no';
}

// ---------------------------------------------------------------- generic

class GenericParser implements LineParser {
  readonly continuation = 'join' as const;
  private hadStamp = false;
  constructor(private readonly env: ParseEnv) {}

  parse(raw: string, line: number): LogRecord | null {
    const text = stripAnsi(raw);
    const stamp = findLineStamp(text, this.env);
    // A line without a stamp continues a stamped record; before any stamp it stands alone.
    if (!stamp && this.hadStamp) return null;
    if (stamp) this.hadStamp = true;
    return readTextLine(text, line, this.env, this.env.service, stamp);
  }
}

function classifyGeneric(l: string, env: ParseEnv): LineVerdict {
  const text = stripAnsi(l);
  return findLineStamp(text, env) ? 'yes' : /^\s/.test(text) ? 'neutral' : 'no';
}

// ---------------------------------------------------------------- registry entries

export const LOGS_GLOG = lineFormat({
  id: 'logs-glog',
  label: 'glog / klog',
  detect(head) {
    return scoreLines(head, (l) => (GLOG.test(l) ? 'yes' : /^\s/.test(l) ? 'neutral' : 'no'));
  },
  parser: (env) => new GlogParser(env),
});

export const LOGS_JAVA = lineFormat({
  id: 'logs-java',
  label: 'Java (log4j, logback, Spring Boot, Hadoop, Spark, ZooKeeper)',
  detect(head) {
    return scoreLines(head, classifyJava, true);
  },
  parser: (env) => new JavaParser(env),
});

export const LOGS_PYTHON = lineFormat({
  id: 'logs-python',
  label: 'Python logging',
  detect(head) {
    return scoreLines(head, classifyPython, true);
  },
  parser: (env) => new PythonParser(env),
});

/** Weight of the generic fallback: any specific format reading as many lines wins over it. */
export const GENERIC_WEIGHT = 0.6;

export const LOGS_GENERIC: FormatDef = {
  id: 'logs-generic',
  label: 'Text log (timestamp, level, message)',
  kind: 'logs',
  detect(head) {
    const env = detectEnv();
    // sqrt: a file where a third of the lines are stamped (the rest multi-line messages) is still a log.
    return GENERIC_WEIGHT * Math.sqrt(scoreLines(head, (l) => classifyGeneric(l, env), false, 0));
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new GenericParser(env));
  },
};

// Line formats defined by one regular expression per line: a line the expression matches starts a
// record built from its groups; any other line continues the record above (or, when it starts
// with its own timestamp, is a record of its own: reader.ts). Detection scores the share of the
// first lines the expression matches, lines that look like continuations not counting.

import type { LogRecord } from '../../model/log.ts';
import { lineFormat, scoreLines, stripAnsi, type LineFormatDef, type LineParser, type ParseEnv } from './reader.ts';

export interface LayoutSpec {
  id: string;
  /** For people: "Android logcat". */
  label: string;
  /** The layouts of a line that starts a record, tried in order (colour codes are removed first). */
  layouts: RegExp[];
  /** The record of a line that matched `layouts[which]`. */
  build(m: RegExpExecArray, which: number, line: number, env: ParseEnv): LogRecord;
  /** Lines that continue a record, neutral in detection (default: indented lines). */
  continues?: RegExp;
  /** Score 0 unless the first line matches (for layouts that a stray line might match). */
  firstMustMatch?: boolean;
}

const INDENTED = /^\s/;

/** The record a line of `spec` starts, or null. */
export function readLayoutLine(spec: LayoutSpec, raw: string, line: number, env: ParseEnv): LogRecord | null {
  const text = stripAnsi(raw);
  for (let i = 0; i < spec.layouts.length; i++) {
    const m = spec.layouts[i].exec(text);
    if (m) return spec.build(m, i, line, env);
  }
  return null;
}

export function layoutFormat(spec: LayoutSpec): LineFormatDef {
  const continues = spec.continues ?? INDENTED;
  const parser = (env: ParseEnv): LineParser => ({
    continuation: 'join',
    parse: (text, line) => readLayoutLine(spec, text, line, env),
  });
  return lineFormat({
    id: spec.id,
    label: spec.label,
    detect(head) {
      return scoreLines(
        head,
        (l) => {
          const t = stripAnsi(l);
          return spec.layouts.some((re) => re.test(t)) ? 'yes' : continues.test(t) ? 'neutral' : 'no';
        },
        spec.firstMustMatch,
      );
    },
    parser,
  });
}

// logfmt (https://brandur.org/logfmt, as written by logrus, go-kit, Heroku): key=value pairs
// separated by spaces; values may be double-quoted with backslash escapes; a bare key is a true
// flag. The pairs are read like a flat JSON object (fields.ts): time/ts, level/lvl, msg, service,
// trace_id/span_id and the rest kept as attributes. A line must begin with a key=value pair.

import type { FormatDef } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import { LogLineReader, scoreLines, type LineParser, type ParseEnv } from './reader.ts';
import { recordFromObject } from './fields.ts';

const KEY_START = /^[A-Za-z_@][\w.@/-]*=/;

/** Parse a logfmt line, or null when it is not one (no key=value pair at its start, or fewer than two pairs). */
export function parseLogfmt(line: string): Record<string, string | boolean> | null {
  if (!KEY_START.test(line)) return null;
  const out: Record<string, string | boolean> = {};
  let i = 0;
  let pairs = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const ks = i;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c === 61 || c === 32 || c === 34) break; // = space "
      i++;
    }
    const key = line.slice(ks, i);
    if (key === '') return null;
    if (i >= n || line.charCodeAt(i) !== 61) {
      if (i < n && line.charCodeAt(i) === 34) return null;
      out[key] = true;
      continue;
    }
    i++; // '='
    if (i < n && line.charCodeAt(i) === 34) {
      i++;
      let v = '';
      let closed = false;
      while (i < n) {
        const c = line.charCodeAt(i);
        if (c === 92 && i + 1 < n) {
          const e = line[i + 1];
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          i += 2;
          continue;
        }
        if (c === 34) {
          closed = true;
          i++;
          break;
        }
        v += line[i];
        i++;
      }
      if (!closed) return null;
      out[key] = v;
    } else {
      const vs = i;
      while (i < n && line.charCodeAt(i) !== 32) i++;
      out[key] = line.slice(vs, i);
    }
    pairs++;
  }
  return pairs >= 2 ? out : null;
}

class LogfmtParser implements LineParser {
  readonly continuation = 'join' as const;
  constructor(private readonly env: ParseEnv) {}
  parse(text: string, line: number): LogRecord | null {
    const obj = parseLogfmt(text);
    return obj ? recordFromObject(obj, text, line, this.env) : null;
  }
}

export const LOGS_LOGFMT: FormatDef = {
  id: 'logs-logfmt',
  label: 'logfmt',
  kind: 'logs',
  detect(head) {
    return scoreLines(head, (l) => (parseLogfmt(l) ? 'yes' : /^\s/.test(l) ? 'neutral' : 'no'));
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new LogfmtParser(env));
  },
};

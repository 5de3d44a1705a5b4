// Plain text: the reader of last resort for a text file that no other format claims, so that no
// text file is dropped whole. Each line is a record, read as text-line.ts reads lines: a timestamp
// where one appears near its start, a level where a level word or letter appears, trace and span
// ids as everywhere else (reader.ts). Lines that continue the record above are folded into it:
// indented lines, Java stack frames ("at …", "Caused by: …", "... 12 more", the exception's own
// line) and Python tracebacks (from "Traceback (most recent call last):" to the exception line).
// The import report says the file was read as plain text.
// Not read as plain text: binary content (text-source.ts isBinaryHead) and JSON documents, which
// belong to the JSON formats or are refused with the reason.

import type { FormatDef } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import { LogLineReader, stripAnsi, type LineParser, type ParseEnv } from './reader.ts';
import { readTextLine } from './text-line.ts';
import { parseObject, recordFromObject } from './fields.ts';
import { headLines, isBinaryHead } from './text-source.ts';

/** The note the report shows for a source read this way. */
export const PLAIN_TEXT_NOTE = 'read as plain text';
/** The lowest score that detection accepts: any format that reads the file at all wins over plain text. */
export const PLAIN_TEXT_SCORE = 0.2;

const CONTINUATION = /^(?:\s|at\s|Caused by:|Suppressed:|\.\.\. \d+ (?:more|common frames omitted)|Traceback \(most recent call last\):|During handling of the above exception|The above exception was the direct cause)/;
/** "java.lang.IllegalStateException: boom", "ZeroDivisionError: division by zero", "KeyboardInterrupt". */
const EXCEPTION_LINE = /^[\w$]+(?:\.[\w$]+)*(?:Exception|Error|Throwable|Exit|Interrupt)(?::\s|$)/;

class PlainTextParser implements LineParser {
  readonly continuation = 'join' as const;
  constructor(private readonly env: ParseEnv) {}

  parse(raw: string, line: number): LogRecord | null {
    const text = stripAnsi(raw);
    if (CONTINUATION.test(text) || EXCEPTION_LINE.test(text)) return null;
    const obj = text.charCodeAt(0) === 123 ? parseObject(text) : null;
    return obj ? recordFromObject(obj, text, line, this.env) : readTextLine(text, line, this.env);
  }
}

/**
 * Does the head look like a JSON document rather than text lines? A first line that is a whole
 * JSON object is not: JSON lines mixed with text (a console log) are text with JSON records in it.
 */
function isJsonLike(head: Uint8Array): boolean {
  for (const l of headLines(head, head.length >= 64 * 1024)) {
    const t = l.trimStart();
    if (t === '') continue;
    return (t.startsWith('{') && parseObject(t) === null) || /^\[\s*(?:[[{"\]]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*[,\]]|(?:true|false|null)\s*[,\]]|$)/.test(t);
  }
  return false;
}

export const LOGS_PLAIN_TEXT: FormatDef = {
  id: 'logs-text',
  label: 'Plain text',
  kind: 'logs',
  detect(head) {
    return head.length === 0 || isBinaryHead(head) || isJsonLike(head) ? 0 : PLAIN_TEXT_SCORE;
  },
  create(ctx) {
    const reader = new LogLineReader(ctx, (env) => new PlainTextParser(env));
    reader.note = PLAIN_TEXT_NOTE;
    return reader;
  },
};

// JSON lines logs: one JSON object per line (https://jsonlines.org/), flat or nested. Flavours
// (ECS, bunyan, pino, zap, logrus, structlog, Serilog CLEF, Docker json-file, journald JSON, GCP)
// are told apart by their keys in fields.ts. Kubernetes CRI container lines
// ("<RFC 3339 ns> stdout|stderr P|F <text>", https://github.com/kubernetes/design-proposals-archive/blob/main/node/kubelet-cri-logging.md)
// are unwrapped: the text may itself be JSON; "P" (partial) pieces are joined with the next ones.
// Ignores: lines that are JSON but not objects (rejected, with their line number), OTLP requests
// (logs-otlp-json reads those).

import type { FormatDef } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import { LogLineReader, scoreLines, newRecord, HEAD_FULL, type LineParser, type ParseEnv } from './reader.ts';
import { recordFromObject, parseObject } from './fields.ts';
import { parseTimeValue } from './timestamp.ts';

const CRI = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (stdout|stderr) ([PF]) ?(.*)$/;

class JsonLinesParser implements LineParser {
  readonly continuation = 'reject' as const;
  private partial: { text: string; time: string; stream: string; line: number } | null = null;

  constructor(private readonly env: ParseEnv) {}

  parse(text: string, line: number): LogRecord | null {
    const obj = parseObject(text);
    if (obj) {
      if ('resourceLogs' in obj || 'resourceSpans' in obj) throw new Error('an OTLP request inside JSON lines logs: read the file as logs-otlp-json');
      return recordFromObject(obj, text, line, this.env);
    }
    const m = CRI.exec(text);
    if (!m) {
      if (text.trimStart().startsWith('{')) throw new Error('invalid JSON');
      return null;
    }
    const [, time, stream, , body] = m;
    let full = body;
    let first = line;
    let firstTime = time;
    if (this.partial) {
      full = this.partial.text + body;
      first = this.partial.line;
      firstTime = this.partial.time;
      this.partial = null;
    }
    return this.criRecord(full, firstTime, stream, first);
  }

  /** CRI "P" pieces are held here, so the reader neither rejects them nor ends the previous record. */
  skip(text: string, line: number): 'hold' | false {
    if (text.charCodeAt(0) === 123) return false;
    const m = CRI.exec(text);
    if (!m || m[3] !== 'P') return false;
    if (this.partial) this.partial.text += m[4];
    else this.partial = { text: m[4], time: m[1], stream: m[2], line };
    return 'hold';
  }

  private criRecord(body: string, time: string, stream: string, line: number): LogRecord {
    const inner = parseObject(body);
    const rec = inner ? recordFromObject(inner, body, line, this.env) : newRecord(line, body, this.env.service);
    rec.timeNs ??= parseTimeValue(time, this.env.zone);
    rec.attributes = { ...rec.attributes, 'log.iostream': stream };
    return rec;
  }

  end(emit: (r: LogRecord) => void): void {
    if (this.partial) {
      emit(this.criRecord(this.partial.text, this.partial.time, this.partial.stream, this.partial.line));
      this.partial = null;
    }
  }
}

/** An object's opening: optional BOM and blanks, a brace, a quoted key and its colon. */
const FIRST_KEY = /^\uFEFF?\s*\{\s*"[^"\\]{1,256}"\s*:/;

export function isJsonLogLine(line: string): boolean {
  const obj = parseObject(line);
  if (obj) return !('resourceLogs' in obj || 'resourceSpans' in obj || 'resourceMetrics' in obj);
  return CRI.test(line);
}

export const LOGS_JSONL: FormatDef = {
  id: 'logs-jsonl',
  label: 'JSON lines logs',
  kind: 'logs',
  detect(head) {
    // Capped below 1 so that a one-line JSON document of a trace format (Jaeger {"data":[..]}) still wins.
    const score = 0.9 * scoreLines(head, (l) => (isJsonLogLine(l) ? 'yes' : 'no'));
    if (score > 0 || head.length < HEAD_FULL || head.includes(10)) return score;
    // The first line is longer than the bytes detection looks at (an audit log with a request
    // body): an object's opening is all there is to judge by, so claim it just above plain text.
    return FIRST_KEY.test(new TextDecoder().decode(head.subarray(0, 1024))) ? 0.3 : 0;
  },
  create(ctx) {
    return new LogLineReader(ctx, (env) => new JsonLinesParser(env));
  },
};

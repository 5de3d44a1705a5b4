// The canonical record as the text readers start it, trace context applied to it, and the ANSI
// colour codes that consoles leave in log files.

import type { LogRecord } from '../../model/log.ts';
import type { TraceContext } from './trace-context.ts';

export function newRecord(line: number, message: string, service: string | null): LogRecord {
  return {
    timeNs: null, severity: null, severityText: '', service, message, traceId: null, spanId: null, traceIdPartial: false,
    traceIdRaw: null, spanIdRaw: null, line, attributes: {},
  };
}

export function applyContext(rec: LogRecord, c: TraceContext | null): void {
  if (!c) return;
  rec.traceId = c.traceId;
  rec.spanId = c.spanId;
  rec.traceIdPartial = c.partial;
  rec.traceIdRaw = c.traceRaw;
  rec.spanIdRaw = c.spanRaw;
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
export function stripAnsi(s: string): string {
  return s.indexOf('\x1b') >= 0 ? s.replace(ANSI, '') : s;
}

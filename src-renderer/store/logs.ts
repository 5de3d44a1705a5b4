// Log queries: correlation with spans, the merged log view, the severity histogram and full-text
// search (FTS4). Tables are in schema.ts (the "logs" block). Every query binds its parameters.
//
// Correlation kinds, never mixed up:
//   exact     the line's trace id equals the span's (and, for a span, its span id too);
//   partial   the line carried a 64-bit trace id (Datadog, 64-bit B3) equal to the low half;
//   inferred  the line had no id; same service, its time inside the innermost span (log_inferred).

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { SEVERITY_CODES } from './schema.ts';
import type { Severity } from '../core/model/log.ts';
import { inferInnermostSpans, type WindowSpan, type TimedLine, type LogMatch } from '../core/analysis/correlate.ts';

const ZERO64 = '0000000000000000';

/** The padded form a 64-bit id of this trace's low half takes in logs.trace_id. */
function partialKey(traceId: string): string {
  return ZERO64 + traceId.slice(16);
}

export interface LogRow {
  logRow: number;
  fileId: number;
  line: number;
  /** Epoch ns as a decimal string, or null. */
  timeNs: string | null;
  severity: Severity | null;
  severityText: string | null;
  service: string | null;
  message: string;
  traceId: string | null;
  spanId: string | null;
  match: LogMatch;
}

const ROW_COLS = `l.log_row, l.file_id, l.line, CAST(l.time_ns AS TEXT), l.severity, l.severity_text, l.service, l.message, l.trace_id, l.span_id,
  l.trace_id_partial`;

function toRow(r: SqlValue[], match: LogMatch | null): LogRow {
  return {
    logRow: r[0] as number, fileId: r[1] as number, line: r[2] as number, timeNs: r[3] as string | null,
    severity: r[4] === null ? null : SEVERITY_CODES[r[4] as number], severityText: r[5] as string | null, service: r[6] as string | null,
    message: r[7] as string, traceId: r[8] as string | null, spanId: r[9] as string | null, match: match ?? (r[10] === 1 ? 'partial' : 'exact'),
  };
}

function all(store: Store, sql: string, params: SqlValue[], match: LogMatch | null): LogRow[] {
  const st = store.stmt(sql);
  st.bind(params);
  const out: LogRow[] = [];
  while (st.step()) out.push(toRow(st.get(), match));
  st.reset();
  return out;
}

// ---------------------------------------------------------------- correlation

/**
 * Recompute the inferred matches of all lines without ids against all spans (run after each
 * import job: a log file may come before or after its traces). Reads only the services that
 * have such lines. Times become offsets from the earliest one so the sweep works on numbers
 * (exact while the data spans less than 104 days). Returns the number of inferred matches.
 */
export function correlateLogs(store: Store): number {
  const db = store.db;
  db.exec('DELETE FROM log_inferred');
  const services = db.exec(`SELECT DISTINCT service FROM logs WHERE trace_id IS NULL AND service IS NOT NULL AND time_ns IS NOT NULL`);
  if (services.length === 0) return 0;
  const names = services[0].values.map((v) => v[0] as string);
  const baseRow = db.exec(`SELECT CAST(min(start_ns) AS TEXT) FROM spans`)[0]?.values[0][0];
  if (baseRow == null) return 0;
  const base = BigInt(baseRow as string);
  const spansBy = new Map<string, WindowSpan[]>(names.map((n) => [n, []]));
  const marks = names.map(() => '?').join(',');
  const sp = db.prepare(`SELECT service, span_row, start_ns - ?, duration_ns FROM spans WHERE service IN (${marks})`);
  sp.bind([base as unknown as SqlValue, ...names]);
  while (sp.step()) {
    const r = sp.get();
    const start = r[2] as number;
    spansBy.get(r[0] as string)!.push({ key: r[1] as number, start, end: start + (r[3] as number) });
  }
  sp.free();
  const linesBy = new Map<string, TimedLine[]>(names.map((n) => [n, []]));
  const lg = db.prepare(`SELECT service, log_row, time_ns - ? FROM logs WHERE trace_id IS NULL AND service IS NOT NULL AND time_ns IS NOT NULL`);
  lg.bind([base as unknown as SqlValue]);
  while (lg.step()) {
    const r = lg.get();
    linesBy.get(r[0] as string)?.push({ key: r[1] as number, time: r[2] as number });
  }
  lg.free();
  let n = 0;
  const ins = store.stmt('INSERT INTO log_inferred (log_row, span_row) VALUES (?, ?)');
  db.exec('SAVEPOINT correlate');
  try {
    for (const name of names) {
      const spans = spansBy.get(name)!;
      if (spans.length === 0) continue;
      for (const m of inferInnermostSpans(spans, linesBy.get(name)!)) {
        ins.run([m.lineKey, m.spanKey]);
        n++;
      }
    }
    db.exec('RELEASE correlate');
  } catch (e) {
    db.exec('ROLLBACK TO correlate; RELEASE correlate');
    throw e;
  }
  return n;
}

/** The logs of one span: exact (and partial) by ids, and inferred, kept apart. */
export function logsForSpan(store: Store, traceId: string, spanId: string): { exact: LogRow[]; inferred: LogRow[] } {
  const exact = all(
    store,
    `SELECT ${ROW_COLS} FROM logs l WHERE l.trace_id IN (?, ?) AND l.span_id = ? AND (l.trace_id = ? OR l.trace_id_partial = 1) ORDER BY l.time_ns, l.log_row`,
    [traceId, partialKey(traceId), spanId, traceId],
    null,
  );
  const inferred = all(
    store,
    `SELECT ${ROW_COLS} FROM log_inferred i JOIN logs l ON l.log_row = i.log_row
     WHERE i.span_row IN (SELECT span_row FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?) AND span_id = ?) ORDER BY l.time_ns, l.log_row`,
    [traceId, spanId],
    'inferred',
  );
  return { exact, inferred };
}

/** The logs of a whole trace: every line with its trace id (exact or partial), and the inferred ones. */
export function logsForTrace(store: Store, traceId: string): { exact: LogRow[]; inferred: LogRow[] } {
  const exact = all(
    store,
    `SELECT ${ROW_COLS} FROM logs l WHERE l.trace_id IN (?, ?) AND (l.trace_id = ? OR l.trace_id_partial = 1) ORDER BY l.time_ns, l.log_row`,
    [traceId, partialKey(traceId), traceId],
    null,
  );
  const inferred = all(
    store,
    `SELECT ${ROW_COLS} FROM log_inferred i JOIN logs l ON l.log_row = i.log_row
     WHERE i.span_row IN (SELECT span_row FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?)) ORDER BY l.time_ns, l.log_row`,
    [traceId],
    'inferred',
  );
  return { exact, inferred };
}


/** Lines of one file joined to a trace by id (exact or partial) and by inference, for SourceReport.correlated. */
export function correlationCounts(store: Store, fileId: number): { exact: number; inferred: number } {
  const st = store.stmt(
    `SELECT
       (SELECT count(*) FROM logs l WHERE l.file_id = ? AND l.trace_id IS NOT NULL AND (
          EXISTS (SELECT 1 FROM traces t WHERE t.trace_id = l.trace_id)
          OR (l.trace_id_partial = 1 AND EXISTS (SELECT 1 FROM traces t WHERE substr(t.trace_id, 17) = l.trace_id_low64)))),
       (SELECT count(*) FROM log_inferred i JOIN logs l ON l.log_row = i.log_row WHERE l.file_id = ?)`,
  );
  const r = st.get([fileId, fileId]);
  st.reset();
  return { exact: r[0] as number, inferred: r[1] as number };
}

/**
 * Name the service of a log file's lines that do not name one (e.g. a postgres log), then join
 * again: those lines can now be matched to spans of that service by time. Lines that named their
 * own service keep it. Returns the file's new correlation counts.
 */
export function setFileService(store: Store, fileId: number, service: string | null): { exact: number; inferred: number } {
  const db = store.db;
  const prev = db.exec('SELECT service FROM files WHERE file_id = ?', [fileId])[0]?.values[0]?.[0] ?? null;
  db.exec('SAVEPOINT file_service');
  try {
    db.run('UPDATE logs SET service = ? WHERE file_id = ? AND (service IS NULL OR service IS ?)', [service, fileId, prev]);
    db.run('UPDATE files SET service = ? WHERE file_id = ?', [service, fileId]);
    correlateLogs(store);
    recountCorrelation(store);
    db.exec('RELEASE file_service');
  } catch (e) {
    db.exec('ROLLBACK TO file_service; RELEASE file_service');
    throw e;
  }
  return correlationCounts(store, fileId);
}

/** Store the correlation counts of every source with logs (after new traces or logs arrived, or a service was set). */
export function recountCorrelation(store: Store): Map<number, { exact: number; inferred: number }> {
  const files = store.db.exec(`SELECT file_id FROM files WHERE logs > 0`)[0]?.values ?? [];
  const counts = new Map<number, { exact: number; inferred: number }>();
  for (const [fileId] of files) {
    const c = correlationCounts(store, fileId as number);
    store.db.run('UPDATE files SET joined_exact = ?, joined_inferred = ? WHERE file_id = ?', [c.exact, c.inferred, fileId as number]);
    counts.set(fileId as number, c);
  }
  return counts;
}

// The workspace store: one sql.js database. All SQL of the app lives in this folder; everything
// else calls the named methods below. Each imported file is one transaction, so a cancelled or
// failed file leaves the workspace exactly as it was before that file.

import type { Database, SqlJsStatic, Statement, SqlValue } from 'sql.js';
import { SCHEMA_SQL, KIND_CODES, STATUS_CODES, SEVERITY_CODES } from './schema.ts';
import { stringifyExact } from '../core/base/json.ts';
import { traceIdLow64 } from '../core/base/ids.ts';
import { isErrorSpan, type Span, type Finding } from '../core/model/trace.ts';
import type { LogRecord } from '../core/model/log.ts';
import type { SourceReport } from '../core/import/types.ts';
import { findStructureProblems, type StructSpan } from '../core/analysis/structure.ts';

const INSERT_SPAN = `INSERT INTO spans (file_id, trace_id, span_id, parent_span_id, parent_ref, name, service, kind, start_ns, duration_ns,
  status, status_message, is_error, attributes, resource_id, scope_name, scope_version, trace_id_raw, span_id_raw,
  event_count, link_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;
const SPAN_COLUMNS = 21;
const WIDE_ROWS = 64;
const SPAN_PLACEHOLDERS = `(${new Array(SPAN_COLUMNS).fill('?').join(',')})`;
const INSERT_SPANS_WIDE = INSERT_SPAN.replace(SPAN_PLACEHOLDERS, new Array(WIDE_ROWS).fill(SPAN_PLACEHOLDERS).join(','));
const INSERT_EVENT = 'INSERT INTO span_events (span_row, time_ns, name, attributes) VALUES (?,?,?,?)';
const INSERT_LINK = 'INSERT INTO span_links (span_row, trace_id, span_id, attributes) VALUES (?,?,?,?)';
const INSERT_LOG = `INSERT INTO logs (file_id, line, time_ns, severity, severity_text, service, message, trace_id, span_id, trace_id_low64,
  trace_id_partial, trace_id_raw, span_id_raw, attributes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`;
const LOG_COLUMNS = 14;
const LOG_PLACEHOLDERS = `(${new Array(LOG_COLUMNS).fill('?').join(',')})`;
const INSERT_LOGS_WIDE = INSERT_LOG.replace(LOG_PLACEHOLDERS, new Array(WIDE_ROWS).fill(LOG_PLACEHOLDERS).join(','));
const INSERT_FINDING = 'INSERT INTO import_findings (file_id, trace_id, span_id, kind, message, data) VALUES (?,?,?,?,?,?)';

const KIND_INDEX = new Map<string, number>(KIND_CODES.map((k, i) => [k, i]));
const STATUS_INDEX = new Map<string, number>(STATUS_CODES.map((k, i) => [k, i]));
const SEVERITY_INDEX = new Map<string, number>(SEVERITY_CODES.map((k, i) => [k, i]));

/** Per-trace running summary of the file being imported (avoids a GROUP BY over all spans). */
interface TraceAcc {
  start: bigint;
  end: bigint;
  count: number;
  errors: number;
  services: Set<string>;
  rootStart: bigint | null;
  rootService: string | null;
  rootName: string | null;
  rootSpanId: string | null;
  firstService: string;
  firstName: string;
  firstSpanId: string;
  structure: StructSpan[];
  base: bigint;
}

function attrsJson(a: Record<string, unknown>): string | null {
  for (const _ in a) return stringifyExact(a);
  return null;
}

/** Fill the bound values of one log row at `o`. */
function logRow(fileId: number, l: LogRecord, v: SqlValue[], o: number): void {
  v[o] = fileId;
  v[o + 1] = l.line;
  v[o + 2] = l.timeNs as unknown as SqlValue;
  v[o + 3] = l.severity === null ? null : (SEVERITY_INDEX.get(l.severity) ?? null);
  v[o + 4] = l.severityText || null;
  v[o + 5] = l.service;
  v[o + 6] = l.message;
  v[o + 7] = l.traceId;
  v[o + 8] = l.spanId;
  v[o + 9] = l.traceIdPartial && l.traceId ? traceIdLow64(l.traceId) : null; // only partial ids join on it: one string less per line
  v[o + 10] = l.traceIdPartial ? 1 : 0;
  v[o + 11] = l.traceIdRaw;
  v[o + 12] = l.spanIdRaw;
  v[o + 13] = attrsJson(l.attributes);
}

export class Store {
  private readonly statements = new Map<string, Statement>();
  private readonly resourceIds = new Map<string, number>();
  private readonly lastResource = { obj: null as unknown, id: 0 };
  private current: { fileId: number; traces: Map<string, TraceAcc>; spans: number; logs: number } | null = null;

  private constructor(
    readonly sql: SqlJsStatic,
    readonly db: Database,
  ) {
    db.exec('PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;');
    db.exec(SCHEMA_SQL);
  }

  /** A prepared statement, kept until the next export (sql.js's export() frees all statements). */
  stmt(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** A new, empty workspace, or one loaded from a saved SQLite file. */
  static create(sql: SqlJsStatic, bytes?: Uint8Array): Store {
    return new Store(sql, bytes ? new sql.Database(bytes) : new sql.Database());
  }

  // ---------------------------------------------------------------- ingest

  /**
   * Import jobs and sources nest as savepoints: one job (a file the user opened, which may be a zip
   * of several sources) holds one savepoint per source. Cancelling the job rolls back all of it;
   * a source that cannot be read at all is rolled back alone.
   */
  beginJob(): void {
    this.db.exec('SAVEPOINT job');
  }

  commitJob(): void {
    this.db.exec('RELEASE job');
  }

  rollbackJob(): void {
    if (this.current) this.abortFile();
    this.db.exec('ROLLBACK TO job; RELEASE job');
    this.forgetResources();
  }

  /** Start importing one source: everything until finishFile/abortFile is one savepoint. */
  beginFile(name: string, sizeBytes: number | null): number {
    if (this.current) throw new Error('another file is being imported');
    this.db.exec('SAVEPOINT file');
    this.db.run('INSERT INTO files (name, size_bytes) VALUES (?, ?)', [name, sizeBytes]);
    const fileId = Number(this.db.exec('SELECT last_insert_rowid()')[0].values[0][0]);
    this.current = { fileId, traces: new Map(), spans: 0, logs: 0 };
    return fileId;
  }

  private resourceId(attributes: Record<string, unknown>, service: string): number {
    const key = stringifyExact(attributes);
    let id = this.resourceIds.get(key);
    if (id !== undefined) return id;
    const find = this.stmt('SELECT resource_id FROM resources WHERE attributes = ?');
    const found = find.get([key]);
    find.reset();
    if (found.length > 0) id = Number(found[0]);
    else {
      const add = this.stmt('INSERT INTO resources (service, attributes) VALUES (?, ?) RETURNING resource_id');
      id = Number(add.get([service, key])[0]);
      add.reset();
    }
    this.resourceIds.set(key, id);
    return id;
  }

  addSpans(spans: readonly Span[]): void {
    const cur = this.requireCurrent();
    // Rows go in as multi-row INSERTs: sql.js pays per statement step, so 64 rows per step
    // roughly doubles the insert rate (REFERENCE.md: most of its cost is on the JavaScript side).
    const wide = this.stmt(INSERT_SPANS_WIDE);
    const values: SqlValue[] = new Array(SPAN_COLUMNS * WIDE_ROWS);
    let i = 0;
    for (; i + WIDE_ROWS <= spans.length; i += WIDE_ROWS) {
      for (let k = 0; k < WIDE_ROWS; k++) this.spanRow(cur.fileId, spans[i + k], values, k * SPAN_COLUMNS);
      wide.run(values);
      this.afterInsert(cur.traces, spans, i, WIDE_ROWS);
    }
    const one = this.stmt(INSERT_SPAN);
    const row: SqlValue[] = new Array(SPAN_COLUMNS);
    for (; i < spans.length; i++) {
      this.spanRow(cur.fileId, spans[i], row, 0);
      one.run(row);
      this.afterInsert(cur.traces, spans, i, 1);
    }
    cur.spans += spans.length;
  }

  /** Fill the bound values of one span row at `o`. */
  private spanRow(fileId: number, s: Span, v: SqlValue[], o: number): void {
    // Importers normalise ids (core/base/ids.ts); readers of the store rely on the widths.
    if (s.traceId.length !== 32 || s.spanId.length !== 16 || (s.parentSpanId !== null && s.parentSpanId.length !== 16)) {
      throw new Error(`span ${s.spanId} of trace ${s.traceId}: ids are not in canonical form (an importer bug)`);
    }
    if (s.resource !== this.lastResource.obj) {
      this.lastResource.obj = s.resource;
      this.lastResource.id = this.resourceId(s.resource.attributes, s.service);
    }
    v[o] = fileId;
    v[o + 1] = s.traceId;
    v[o + 2] = s.spanId;
    v[o + 3] = s.parentSpanId;
    v[o + 4] = s.parentRef === 'follows_from' ? 1 : 0;
    v[o + 5] = s.name;
    v[o + 6] = s.service;
    v[o + 7] = KIND_INDEX.get(s.kind) ?? 0;
    v[o + 8] = s.startNs as unknown as SqlValue;
    v[o + 9] = s.durationNs;
    v[o + 10] = STATUS_INDEX.get(s.status) ?? 0;
    v[o + 11] = s.statusMessage || null;
    v[o + 12] = isErrorSpan(s) ? 1 : 0;
    v[o + 13] = attrsJson(s.attributes);
    v[o + 14] = this.lastResource.id;
    v[o + 15] = s.scope.name || null;
    v[o + 16] = s.scope.version || null;
    v[o + 17] = s.traceIdRaw ?? null;
    v[o + 18] = s.spanIdRaw ?? null;
    v[o + 19] = s.events.length;
    v[o + 20] = s.links.length;
  }

  /** Events and links of the `n` spans just inserted (their rowids are consecutive), and the trace summaries. */
  private afterInsert(traces: Map<string, TraceAcc>, spans: readonly Span[], from: number, n: number): void {
    let lastRow = -1;
    for (let k = 0; k < n; k++) {
      const s = spans[from + k];
      if (s.events.length > 0 || s.links.length > 0) {
        if (lastRow < 0) lastRow = this.lastRowId();
        const spanRow = lastRow - (n - 1 - k);
        for (const e of s.events) this.stmt(INSERT_EVENT).run([spanRow, e.timeNs as unknown as SqlValue, e.name, attrsJson(e.attributes)]);
        for (const l of s.links) this.stmt(INSERT_LINK).run([spanRow, l.traceId, l.spanId, attrsJson(l.attributes)]);
      }
      this.accumulate(traces, s, isErrorSpan(s));
    }
  }

  private accumulate(traces: Map<string, TraceAcc>, s: Span, isError: boolean): void {
    const end = s.startNs + BigInt(s.durationNs);
    let t = traces.get(s.traceId);
    if (!t) {
      t = {
        start: s.startNs, end, count: 0, errors: 0, services: new Set(), rootStart: null, rootService: null, rootName: null,
        rootSpanId: null, firstService: s.service, firstName: s.name, firstSpanId: s.spanId, structure: [], base: s.startNs,
      };
      traces.set(s.traceId, t);
    }
    if (s.startNs < t.start) {
      t.start = s.startNs;
      t.firstService = s.service;
      t.firstName = s.name;
      t.firstSpanId = s.spanId;
    }
    if (end > t.end) t.end = end;
    t.count++;
    if (isError) t.errors++;
    t.services.add(s.service);
    if (s.parentSpanId === null && (t.rootStart === null || s.startNs < t.rootStart)) {
      t.rootStart = s.startNs;
      t.rootService = s.service;
      t.rootName = s.name;
      t.rootSpanId = s.spanId;
    }
    t.structure.push({
      spanId: s.spanId, parentSpanId: s.parentSpanId, start: Number(s.startNs - t.base), duration: s.durationNs, service: s.service, kind: s.kind,
      parentRef: s.parentRef,
    });
  }

  addLogs(logs: readonly LogRecord[]): void {
    const cur = this.requireCurrent();
    // Multi-row INSERTs, as for spans.
    const wide = this.stmt(INSERT_LOGS_WIDE);
    const values: SqlValue[] = new Array(LOG_COLUMNS * WIDE_ROWS);
    let i = 0;
    for (; i + WIDE_ROWS <= logs.length; i += WIDE_ROWS) {
      for (let k = 0; k < WIDE_ROWS; k++) logRow(cur.fileId, logs[i + k], values, k * LOG_COLUMNS);
      wide.run(values);
    }
    const one = this.stmt(INSERT_LOG);
    const row: SqlValue[] = new Array(LOG_COLUMNS);
    for (; i < logs.length; i++) {
      logRow(cur.fileId, logs[i], row, 0);
      one.run(row);
    }
    cur.logs += logs.length;
  }

  addFindings(findings: readonly Finding[]): void {
    const cur = this.requireCurrent();
    for (const f of findings) {
      this.stmt(INSERT_FINDING).run([cur.fileId, f.traceId, f.spanId, f.kind, f.message, f.data ? stringifyExact(f.data) : null]);
    }
  }

  /** Finish the current source: summarise its traces, record structural findings, commit. */
  finishFile(report: { format: string; kind: string; rejected: number; errors: string[] }): SourceReport {
    const cur = this.requireCurrent();
    const known = this.stmt('SELECT 1 FROM traces WHERE trace_id = ?');
    const merged: string[] = [];
    const insertTrace = this.stmt(
      `INSERT INTO traces (trace_id, start_ns, end_ns, duration_ns, span_count, error_count, service_count, root_service, root_name, root_span_id)
       VALUES (?,?,?,?,?,?,?,?,?,?)`,
    );
    {
      for (const [traceId, t] of cur.traces) {
        const exists = known.get([traceId]).length > 0;
        known.reset();
        if (exists) {
          merged.push(traceId);
          continue;
        }
        insertTrace.run([
          traceId, t.start as unknown as SqlValue, t.end as unknown as SqlValue, Number(t.end - t.start), t.count, t.errors, t.services.size,
          t.rootService ?? t.firstService, t.rootName ?? t.firstName, t.rootSpanId ?? t.firstSpanId,
        ]);
        this.addFindings(findStructureProblems(traceId, t.structure));
      }
    }
    for (const traceId of merged) this.resummarizeTrace(traceId);
    this.db.run(
      `UPDATE traces SET finding_count = (SELECT count(*) FROM import_findings f WHERE f.trace_id = traces.trace_id)
       WHERE trace_id IN (SELECT DISTINCT trace_id FROM import_findings WHERE file_id = ?)`,
      [cur.fileId],
    );
    const status = report.errors.length > 0 || report.rejected > 0 ? (cur.spans + cur.logs > 0 ? 'partial' : 'failed') : 'done';
    this.db.run('UPDATE files SET format = ?, kind = ?, spans = ?, logs = ?, traces = ?, rejected = ?, errors = ?, status = ? WHERE file_id = ?', [
      report.format, report.kind, cur.spans, cur.logs, cur.traces.size, report.rejected, JSON.stringify(report.errors), status, cur.fileId,
    ]);
    this.db.exec('RELEASE file');
    this.current = null;
    return {
      fileId: cur.fileId, file: this.fileName(cur.fileId), format: report.format, traces: cur.traces.size, spans: cur.spans, logs: cur.logs,
      rejected: report.rejected, errors: report.errors,
    };
  }

  /** Drop everything of the current source (cancel, or a file that could not be read at all). */
  abortFile(): void {
    if (!this.current) return;
    this.db.exec('ROLLBACK TO file; RELEASE file');
    this.current = null;
    this.forgetResources();
  }

  /** Resource ids handed out inside a rolled-back savepoint no longer exist. */
  private forgetResources(): void {
    this.resourceIds.clear();
    this.lastResource.obj = null;
  }

  /** A trace that arrived in several files: recompute its summary and findings from all its spans. */
  private resummarizeTrace(traceId: string): void {
    const rows = this.db.exec(
      `SELECT span_id, parent_span_id, CAST(start_ns AS TEXT), duration_ns, service, kind, name, is_error, parent_ref FROM spans WHERE trace_id = ?`,
      [traceId],
    )[0].values;
    let start: bigint | null = null;
    let end: bigint | null = null;
    const structure: StructSpan[] = [];
    for (const r of rows) {
      const s = BigInt(r[2] as string);
      const e = s + BigInt(r[3] as number);
      if (start === null || s < start) start = s;
      if (end === null || e > end) end = e;
    }
    let root: (typeof rows)[number] | null = null;
    for (const r of rows) {
      structure.push({
        spanId: r[0] as string, parentSpanId: r[1] as string | null, start: Number(BigInt(r[2] as string) - start!), duration: r[3] as number,
        service: r[4] as string, kind: KIND_CODES[r[5] as number], parentRef: r[8] === 1 ? 'follows_from' : 'child_of',
      });
      if (r[1] === null && (root === null || BigInt(r[2] as string) < BigInt(root[2] as string))) root = r;
    }
    root ??= rows.reduce((a, b) => (BigInt(b[2] as string) < BigInt(a[2] as string) ? b : a));
    const services = new Set(rows.map((r) => r[4]));
    const errors = rows.filter((r) => r[7] === 1).length;
    this.db.run(
      `UPDATE traces SET start_ns = ?, end_ns = ?, duration_ns = ?, span_count = ?, error_count = ?, service_count = ?, root_service = ?,
        root_name = ?, root_span_id = ? WHERE trace_id = ?`,
      [start as unknown as SqlValue, end as unknown as SqlValue, Number(end! - start!), rows.length, errors, services.size, root[4], root[6], root[0], traceId],
    );
    // Structural findings are recomputed over the whole trace; findings made while reading a file stay.
    this.db.run(`DELETE FROM import_findings WHERE trace_id = ? AND kind NOT IN ('rejected_record', 'warning', 'no_duration')`, [traceId]);
    this.addFindings(findStructureProblems(traceId, structure));
    this.db.run('UPDATE traces SET finding_count = (SELECT count(*) FROM import_findings WHERE trace_id = ?) WHERE trace_id = ?', [traceId, traceId]);
  }

  private requireCurrent() {
    if (!this.current) throw new Error('no file is being imported');
    return this.current;
  }

  private lastRowId(): number {
    const st = this.stmt('SELECT last_insert_rowid()');
    st.step();
    const id = Number(st.get()[0]);
    st.reset();
    return id;
  }

  private fileName(fileId: number): string {
    return String(this.db.exec('SELECT name FROM files WHERE file_id = ?', [fileId])[0].values[0][0]);
  }

  /** The whole workspace as a SQLite file. */
  export(): Uint8Array {
    this.statements.clear(); // export() frees them
    const bytes = this.db.export();
    this.db.exec('PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY;'); // export() reopens with defaults
    return bytes;
  }

  close(): void {
    this.db.close();
  }
}

// The workspace store: one sql.js database. All SQL of the app lives in this folder; everything
// else calls the named methods below. Each imported file is one transaction, so a cancelled or
// failed file leaves the workspace exactly as it was before that file.

import type { Database, SqlJsStatic, Statement, SqlValue } from 'sql.js';
import { schemaIn, low64IndexIn, upgradeSavedWorkspace, SCHEMA_VERSION, OPERATIONS_SCHEMA_VERSION } from './schema.ts';
import { stringifyExact } from '../core/base/json.ts';
import { epochAt } from '../core/base/time.ts';
import type { Span, Finding } from '../core/model/trace.ts';
import type { LogRecord } from '../core/model/log.ts';
import { SPAN, LOG_PARTIAL, LOG_SCOPE, toSpanRows, toLogRows, type SpanRows, type LogRows } from './rows.ts';
import { CELL_NULL, RowPacker, reindexed, withoutRows, type PackedRows } from './packed.ts';
import { insertPacked, InsertStatements } from './bulk-insert.ts';
import { sqliteC, handedOver, type SqliteC } from './sqljs.ts';
import { exportWorkspaceBytes } from './stream-export.ts';
import type { SourceMeta, SourceReport } from '../core/import/types.ts';
import { findStructureProblems } from '../core/analysis/structure.ts';
import { FileTraces, TraceSummary, spanKey } from './file-traces.ts';
import { traceSpans } from './trace-spans.ts';
import { backfillOperations } from './operations.ts';
import { openWorkspaceDatabase } from './workspace-file.ts';
import { newSpanTree, putSpanTree, putSpanTreeOf, fillMissingSpanTrees, eachSpanTree } from './span-trees.ts';
import { addSpanTree, foldKeptMap, rebuildKeptMap } from './map-summary.ts';
import { KeptMapParts } from '../core/analysis/service-map.ts';
import { packSpanFlags } from '../core/model/span-codes.ts';
import { spanIndexBytes } from './span-index.ts';

// Heads of the bulk INSERTs (bulk-insert.ts adds the VALUES); columns in the order of rows.ts.
// OR FAIL: a statement that inserts several rows and may abort makes SQLite keep a statement
// journal to undo its own rows, about a quarter of an insert's cost here. No constraint should
// fail on canonical rows, and if one did, the error ends the source, whose savepoint is what
// restores the workspace on cancel.
const INSERT_SPANS = `INSERT OR FAIL INTO spans (file_id, trace_id, span_id, parent_span_id, parent_ref, name, service, kind, start_ns, duration_ns,
  status, status_message, is_error, attributes, resource_id, scope_id, trace_id_raw, span_id_raw, event_count, link_count, trace_no, op_id)`;
const INSERT_TRACES = `INSERT OR FAIL INTO traces (trace_id, start_ns, end_ns, duration_ns, span_count, error_count, service_count, root_service, root_name,
  root_span_id, trace_no)`;
const INSERT_EVENTS = 'INSERT OR FAIL INTO span_events (span_row, time_ns, name, attributes)';
const INSERT_LINKS = 'INSERT OR FAIL INTO span_links (span_row, trace_id, span_id, attributes)';
const INSERT_LOGS = `INSERT OR FAIL INTO logs (file_id, line, time_ns, severity, severity_text, service, message, trace_id, span_id, trace_id_low64,
  trace_id_partial, trace_id_raw, span_id_raw, attributes, scope_id, observed_ns)`;
/** The most reserveFor asks for at once: sql.js's WebAssembly memory ends at 4 GB, and past ~2 GB its in-memory file copies itself on every page write. */
const MAX_RESERVE = 1 << 30;
const INSERT_FINDING = 'INSERT INTO import_findings (file_id, trace_id, span_id, kind, message, data) VALUES (?,?,?,?,?,?)';

/**
 * How big the workspace's database may grow. sql.js keeps it in WebAssembly memory, which ends at
 * 4 GB (wasm32 linear memory), and its in-memory file degrades past about 2 GB: past `maxBytes` the store
 * refuses more rows (the file being read stops there, with a message, keeping what it stored);
 * past `warnBytes` the app warns that the next files may not fit.
 */
export const STORE_BUDGET = { maxBytes: 2 * 2 ** 30, warnBytes: 1.6 * 2 ** 30 };

/** Thrown when a batch would go past STORE_BUDGET.maxBytes. */
export class StoreFullError extends Error {
  constructor(usedBytes: number) {
    const gb = (n: number) => `${(n / 2 ** 30).toFixed(2)} GB`;
    super(`the workspace is full (${gb(usedBytes)} of its ${gb(STORE_BUDGET.maxBytes)} limit): no more rows are taken; what was read before stays`);
    this.name = 'StoreFullError';
  }
}

export interface StoreBudget {
  usedBytes: number;
  maxBytes: number;
  warnBytes: number;
  /** True past warnBytes. */
  warn: boolean;
}

export class Store {
  private readonly statements = new Map<string, Statement>();
  private readonly resourceIds = new Map<string, number>();
  private readonly scopeIds = new Map<string, number>();
  private readonly opIds = new Map<string, number>();
  /** Bumped whenever operations or their settings change: readers' caches compare it. */
  operationsVersion = 0;
  private current: { fileId: number; traces: FileTraces; spans: number; logs: number; duplicates: number; entries: number } | null = null;
  private readonly c: SqliteC;
  /**
   * Counts committed imports: what is computed once over all the data (search's trace table, the
   * service map's summaries) is kept until this changes. A store opened from a file starts at 0.
   */
  dataVersion = 0;
  /** What the current file adds to the service map kept in the store, and takes away from it (store/map-summary.ts). */
  private mapParts = { added: new KeptMapParts(), removed: new KeptMapParts() };
  /** Whether traces_by_low64 exists (schema.ts): made with the first partial-id log line. Forgotten on rollback. */
  private hasLow64Index = false;

  /**
   * A new workspace lives in an attached in-memory database (`ws`): sql.js keeps its main database
   * as a file in its in-memory file system, and SQLite copies every page into that file at each
   * commit (200,000 log rows: ~250 ms), which an in-memory database skips (~3 ms). Unqualified
   * table names resolve to `ws` because `main` holds none. A workspace loaded from a saved file
   * stays in `main`.
   */
  private constructor(
    readonly sql: SqlJsStatic,
    readonly db: Database,
    readonly database: 'main' | 'ws',
  ) {
    this.c = sqliteC(sql);
    if (database === 'ws') db.exec(`ATTACH ':memory:' AS ws`);
    this.configure();
    const saved = database === 'main' ? Number(db.exec('PRAGMA main.user_version')[0].values[0][0]) : SCHEMA_VERSION;
    if (database === 'main') upgradeSavedWorkspace(db);
    db.exec(schemaIn(database));
    if (database === 'main') {
      // Looking for spans without an operation reads every span: only files from before operations can have any.
      if (saved < OPERATIONS_SCHEMA_VERSION) backfillOperations(db);
      fillMissingSpanTrees(this);
      rebuildKeptMap(this);
    }
  }

  /** A prepared statement, kept until the store closes. */
  stmt(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /**
   * A new, empty workspace, or one loaded from a saved workspace file (`name` is how errors name
   * it). A file that is not a workspace this build reads throws WorkspaceFileError (workspace-file.ts).
   * With `handOver`, the store takes the bytes as its file without copying them (sqljs.ts
   * handedOver): the caller must not use them afterwards.
   */
  static create(sql: SqlJsStatic, bytes?: Uint8Array, name?: string, opts: { handOver?: boolean } = {}): Store {
    if (!bytes) return new Store(sql, new sql.Database(), 'ws');
    return new Store(sql, openWorkspaceDatabase(sql, opts.handOver ? handedOver(bytes) : bytes, name), 'main');
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
    this.dataVersion++;
  }

  rollbackJob(): void {
    if (this.current) this.abortFile();
    this.db.exec('ROLLBACK TO job; RELEASE job');
    this.forgetResources();
  }

  /** Start importing one source: everything until finishFile/abortFile is one savepoint. */
  beginFile(name: string, sizeBytes: number | null): number {
    if (this.current) throw new Error('another file is being imported');
    this.reserveFor(sizeBytes);
    this.db.exec('SAVEPOINT file');
    this.db.run('INSERT INTO files (name, size_bytes) VALUES (?, ?)', [name, sizeBytes]);
    const fileId = Number(this.db.exec('SELECT last_insert_rowid()')[0].values[0][0]);
    // The number of a trace stored by an earlier file, asked once per trace (and not at all into an
    // empty workspace); new traces are numbered on from the highest.
    const known = this.stmt('SELECT trace_no FROM traces WHERE trace_id = ?');
    const last = Number(this.db.exec('SELECT coalesce(max(trace_no), 0) FROM traces')[0].values[0][0]);
    const stored =
      last === 0
        ? () => null
        : (traceId: string) => {
            const found = known.get([traceId]);
            known.reset();
            return found.length > 0 ? Number(found[0]) : null;
          };
    // The spans such a trace holds, read once, when this file first touches it.
    const storedSpans = (traceNo: number) => {
      const st = this.stmt('SELECT span_id, CAST(start_ns AS TEXT), duration_ns FROM spans WHERE trace_no = ?');
      st.bind([traceNo]);
      const keys = new Set<string>();
      while (st.step()) {
        const r = st.get();
        keys.add(spanKey(r[0] as string, r[1] as string, r[2] as number));
      }
      st.reset();
      return keys;
    };
    this.current = { fileId, traces: new FileTraces(stored, last + 1, storedSpans), spans: 0, logs: 0, duplicates: 0, entries: 0 };
    return fileId;
  }

  /**
   * Grow SQLite's memory once for what a file of this size will take, rather than in the many
   * small steps its allocator would take, each of which may copy all of the memory so far (Node,
   * 400k spans: ~10 µs per span on the store's side of the first import, against ~15 µs growing
   * step by step). Stores take about half the size of the files they come from.
   */
  private reserveFor(fileBytes: number | null): void {
    if (fileBytes === null) return;
    const want = Math.min(Math.round(fileBytes * 0.6), MAX_RESERVE);
    const have = this.c.memory.buffer.byteLength;
    if (want <= have / 4) return;
    const p = this.c.malloc(want);
    if (p !== 0) this.c.free(p); // the memory stays with the allocator for what comes next
  }

  /** The id of an instrumentation scope: each distinct (name, version) is stored once. */
  private scopeId(name: string, version: string): number {
    return this.intern(this.scopeIds, `${name}\u0000${version}`, 'SELECT scope_id FROM scopes WHERE name = ? AND version = ?', [name, version],
      'INSERT INTO scopes (name, version) VALUES (?, ?) RETURNING scope_id', [name, version]);
  }

  /** The id of an operation (core/model/operation.ts): each distinct service, operation and peer is stored once. */
  private opId(service: string, operation: string, peer: string, rule: string): number {
    const before = this.opIds.size;
    const id = this.intern(this.opIds, `${service}\u0000${operation}\u0000${peer}`, 'SELECT op_id FROM operations WHERE service = ? AND operation = ? AND peer = ?',
      [service, operation, peer], 'INSERT INTO operations (service, operation, peer, rule) VALUES (?, ?, ?, ?) RETURNING op_id', [service, operation, peer, rule]);
    if (this.opIds.size !== before) this.operationsVersion++;
    return id;
  }

  /** The id of a resource, by its attributes as JSON: each distinct resource is stored once. */
  private resourceId(key: string, service: string): number {
    return this.intern(this.resourceIds, key, 'SELECT resource_id FROM resources WHERE attributes = ?', [key],
      'INSERT INTO resources (service, attributes) VALUES (?, ?) RETURNING resource_id', [service, key]);
  }

  /** Find or insert a deduplicated row; its id is remembered by `key` (until a rollback). */
  private intern(cache: Map<string, number>, key: string, findSql: string, find: SqlValue[], addSql: string, add: SqlValue[]): number {
    let id = cache.get(key);
    if (id !== undefined) return id;
    const f = this.stmt(findSql);
    const found = f.get(find);
    f.reset();
    if (found.length > 0) id = Number(found[0]);
    else {
      const a = this.stmt(addSql);
      id = Number(a.get(add)[0]);
      a.reset();
    }
    cache.set(key, id);
    return id;
  }

  addSpans(spans: readonly Span[]): void {
    this.addSpanRows(toSpanRows(spans));
  }

  /** Spans already laid out as rows (store/rows.ts), e.g. by a parse worker. */
  addSpanRows(rows: SpanRows): void {
    const cur = this.requireCurrent();
    this.requireRoom();
    const p = rows.cells;
    const resourceIds = rows.resources.map((key, k) => this.resourceId(key, rows.resourceServices[k]));
    const scopeIds: number[] = [];
    for (let k = 0; k < rows.scopes.length; k += 2) scopeIds.push(this.scopeId(rows.scopes[k], rows.scopes[k + 1]));
    const opIds: number[] = [];
    const ol = rows.operations;
    for (let k = 0; k < ol.length; k += 4) opIds.push(this.opId(ol[k], ol[k + 1], ol[k + 2], ol[k + 3]));
    for (let o = 0; o < p.kinds.length; o += p.cols) {
      p.nums[o + SPAN.file] = cur.fileId;
      p.nums[o + SPAN.op] = opIds[p.nums[o + SPAN.op]];
      p.nums[o + SPAN.resource] = resourceIds[p.nums[o + SPAN.resource]];
      if (p.kinds[o + SPAN.scope] !== CELL_NULL) p.nums[o + SPAN.scope] = scopeIds[p.nums[o + SPAN.scope]];
    }
    // Summarises, fills in each row's trace number, and finds the spans an earlier file stored
    // already (the same trace exported twice, a file opened twice): those are counted, not stored.
    const dups = cur.traces.add(p);
    let spans = p;
    let events = rows.events;
    let links = rows.links;
    let keptIndex: Int32Array | null = null;
    if (dups !== null) {
      const kept = withoutRows(p, dups);
      keptIndex = kept.index;
      cur.duplicates += p.rows - kept.rows.rows;
      spans = kept.rows;
      events = reindexed(events, kept.index);
      links = reindexed(links, kept.index);
    }
    let first = 0;
    if (spans.rows > 0) {
      this.insert(INSERT_SPANS, spans);
      // Span rowids are consecutive: the batch's first is the last one less n - 1.
      first = this.lastRowId() - (spans.rows - 1);
    }
    cur.traces.placeRows(first, dups === null ? null : keptIndex!);
    if (events.rows > 0 || links.rows > 0) {
      for (const [head, q] of [[INSERT_EVENTS, events], [INSERT_LINKS, links]] as const) {
        for (let o = 0; o < q.kinds.length; o += q.cols) q.nums[o] += first; // column 0: span index → span_row
        this.insert(head, q);
      }
    }
    this.writeTraces([...cur.traces.settle()]);
    cur.spans += spans.rows;
  }

  private insert(head: string, p: PackedRows): void {
    const db = (this.db as unknown as { db: number }).db;
    if (this.inserts?.db !== db) this.inserts = new InsertStatements(this.c, db);
    insertPacked(this.c, db, head, p, this.inserts);
  }

  /** Prepared bulk INSERTs, for the connection they were made on (bulk-insert.ts). */
  private inserts: InsertStatements | null = null;

  private finalizeInserts(): void {
    this.inserts?.finalizeAll();
    this.inserts = null;
  }

  /** Traces of the current file that are complete (or taken as complete): their rows and structural findings. */
  private writeTraces(traces: [string, TraceSummary][]): void {
    if (traces.length === 0) return;
    // In trace id order: the traces table is keyed by it, and inserts in key order touch fewer pages.
    traces.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const rows = new RowPacker(traces.length, 11);
    for (const [traceId, t] of traces) {
      rows.text(traceId);
      rows.text(t.start.toString());
      rows.text(t.end.toString());
      rows.num(Number(t.end - t.start));
      rows.num(t.count);
      rows.num(t.errors);
      rows.num(t.services.size);
      const root = t.root;
      rows.text(root.service);
      rows.text(root.name);
      rows.text(root.spanId);
      rows.num(t.no);
    }
    this.insert(INSERT_TRACES, rows.finish());
    for (const [traceId, t] of traces) {
      // The trace's span_trees row, its parents from the structural check's index of ids.
      const st = t.structure;
      const cols = newSpanTree(st.length);
      const parents = { parent: cols.parent, uniqueIds: false };
      this.addFindings(findStructureProblems(traceId, st, t.base, parents));
      const shift = Number(t.base - t.start);
      for (let i = 0; i < st.length; i++) {
        cols.start[i] = st[i].start + shift;
        cols.duration[i] = st[i].duration;
      }
      cols.spanRow.set(t.spanRow);
      cols.opId.set(t.opId);
      cols.flags.set(t.flags);
      putSpanTree(this, t.no, t.start, parents.uniqueIds, cols);
      addSpanTree(this, this.mapParts.added, cols);
    }
  }

  addLogs(logs: readonly LogRecord[]): void {
    this.addLogRows(toLogRows(logs));
  }

  /** Log records already laid out as rows (store/rows.ts). */
  addLogRows(rows: LogRows): void {
    const cur = this.requireCurrent();
    this.requireRoom();
    const p = rows.cells;
    const scopeIds: number[] = [];
    for (let k = 0; k < rows.scopes.length; k += 2) scopeIds.push(this.scopeId(rows.scopes[k], rows.scopes[k + 1]));
    let partial = false;
    for (let o = 0; o < p.kinds.length; o += p.cols) {
      p.nums[o] = cur.fileId;
      if (p.nums[o + LOG_PARTIAL] === 1) partial = true;
      if (p.kinds[o + LOG_SCOPE] !== CELL_NULL) p.nums[o + LOG_SCOPE] = scopeIds[p.nums[o + LOG_SCOPE]];
    }
    if (partial && !this.hasLow64Index) {
      this.db.exec(low64IndexIn(this.database));
      this.hasLow64Index = true;
    }
    this.insert(INSERT_LOGS, p);
    cur.logs += p.rows;
  }

  addFindings(findings: readonly Finding[]): void {
    const cur = this.requireCurrent();
    for (const f of findings) {
      this.stmt(INSERT_FINDING).run([cur.fileId, f.traceId, f.spanId, f.kind, f.message, f.data ? stringifyExact(f.data) : null]);
    }
  }

  /** Finish the current source: summarise its traces, record structural findings, commit. */
  finishFile(meta: SourceMeta): SourceReport {
    const cur = this.requireCurrent();
    this.writeTraces([...cur.traces.rest()]);
    for (const traceId of cur.traces.recomputed()) this.resummarizeTrace(traceId);
    this.db.run(
      `UPDATE traces SET finding_count = (SELECT count(*) FROM import_findings f WHERE f.trace_id = traces.trace_id)
       WHERE trace_id IN (SELECT DISTINCT trace_id FROM import_findings WHERE file_id = ?)`,
      [cur.fileId],
    );
    const status = meta.errors.length > 0 || meta.rejected > 0 ? (cur.spans + cur.logs + cur.entries > 0 ? 'partial' : 'failed') : 'done';
    // A source may hold spans and logs alike (an OTLP file exporter's dump): its kind says what it held.
    const kind = cur.spans > 0 && cur.logs > 0 ? 'traces+logs' : cur.spans > 0 ? 'traces' : cur.logs > 0 ? 'logs' : meta.kind;
    const t = meta.tally;
    const notes = meta.notes ?? [];
    this.db.run(
      `UPDATE files SET format = ?, kind = ?, spans = ?, logs = ?, traces = ?, rejected = ?, errors = ?, status = ?, lines = ?, continuations = ?,
         blank = ?, skipped = ?, duplicates = ?, notes = ?, size_bytes = coalesce(size_bytes, ?) WHERE file_id = ?`,
      [
        meta.format, kind, cur.spans, cur.logs, cur.traces.size, meta.rejected, JSON.stringify(meta.errors), status, t ? t.lines : null,
        t ? t.continuations : null, t ? t.blank : null, t ? t.skipped : 0, cur.duplicates, JSON.stringify(notes), meta.bytes ?? null, cur.fileId,
      ],
    );
    foldKeptMap(this, this.mapParts.added, this.mapParts.removed);
    this.mapParts = { added: new KeptMapParts(), removed: new KeptMapParts() };
    this.db.exec('RELEASE file');
    this.current = null;
    const report: SourceReport = {
      fileId: cur.fileId, file: this.fileName(cur.fileId), format: meta.format, traces: cur.traces.size, spans: cur.spans, logs: cur.logs,
      rejected: meta.rejected, errors: meta.errors, duplicates: cur.duplicates,
    };
    if (t) report.tally = t;
    if (notes.length > 0) report.notes = notes;
    if (cur.entries > 0) report.entries = cur.entries;
    return report;
  }

  /** The files row of the source being imported (catalog entries are stored against it by store/catalog.ts). */
  currentFileId(kept: number): number {
    const cur = this.requireCurrent();
    cur.entries += kept;
    return cur.fileId;
  }

  /** Drop everything of the current source (cancel, or a file that could not be read at all). */
  abortFile(): void {
    if (!this.current) return;
    this.db.exec('ROLLBACK TO file; RELEASE file');
    this.current = null;
    this.mapParts = { added: new KeptMapParts(), removed: new KeptMapParts() };
    this.forgetResources();
  }

  /** Resource ids handed out inside a rolled-back savepoint no longer exist. */
  private forgetResources(): void {
    this.resourceIds.clear();
    this.scopeIds.clear();
    this.opIds.clear();
    this.operationsVersion++;
    this.hasLow64Index = false; // CREATE INDEX IF NOT EXISTS again is harmless if it survived
  }

  /** A trace that arrived in several files: recompute its summary and findings from all its spans. */
  private resummarizeTrace(traceId: string): void {
    const c = traceSpans(this, traceId)!;
    const t = new TraceSummary(traceId, 0, epochAt(c.startNs, 0));
    for (let i = 0; i < c.start.length; i++) {
      t.add(c.spanId[i], c.parentSpanId[i], epochAt(c.startNs, c.start[i]), c.duration[i], c.service[i], c.name[i], c.isError[i], c.kind[i], c.parentRef[i]);
    }
    const root = t.root;
    this.db.run(
      `UPDATE traces SET start_ns = ?, end_ns = ?, duration_ns = ?, span_count = ?, error_count = ?, service_count = ?, root_service = ?,
        root_name = ?, root_span_id = ? WHERE trace_id = ?`,
      [t.start as unknown as SqlValue, t.end as unknown as SqlValue, Number(t.end - t.start), t.count, t.errors, t.services.size, root.service, root.name, root.spanId, traceId],
    );
    // Structural findings are recomputed over the whole trace; findings made while reading a file stay.
    this.db.run(`DELETE FROM import_findings WHERE trace_id = ? AND kind NOT IN ('rejected_record', 'warning', 'no_duration', 'inexact_value')`, [traceId]);
    this.addFindings(findStructureProblems(traceId, t.structure, t.base));
    const no = Number(this.db.exec('SELECT trace_no FROM traces WHERE trace_id = ?', [traceId])[0].values[0][0]);
    // What the trace added to the kept service map is taken away, and what it adds now added.
    eachSpanTree(this, [no], (old) => addSpanTree(this, this.mapParts.removed, old));
    const flags = c.start.map((_, i) => packSpanFlags(c.kind[i], c.status[i], c.isError[i], c.parentRef[i]));
    const cols = putSpanTreeOf(this, no, t.start, { spanId: c.spanId, parentSpanId: c.parentSpanId, start: c.start, duration: c.duration, spanRow: c.spanRow, opId: c.opId ?? c.start.map(() => -1), flags }, 0);
    addSpanTree(this, this.mapParts.added, cols);
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

  /**
   * The connection's settings: a large page cache, temporary tables in memory. A saved
   * workspace's file lives in sql.js's in-memory file system too: its rollback journal is kept in
   * memory rather than as a second file there, which every write would copy pages into (filling
   * the span trees of an older file at 1M spans: 14 s with it, 8 s without). A crash loses the
   * database with the journal either way; ROLLBACK TO works the same.
   */
  private configure(): void {
    this.db.exec(`PRAGMA ${this.database}.cache_size=-1000000; PRAGMA temp_store=MEMORY;`);
    if (this.database === 'main') this.db.exec('PRAGMA main.journal_mode=MEMORY');
  }

  /** The whole workspace as a SQLite file in one array (stream-export.ts streams it to a sink instead). */
  export(): Uint8Array {
    return exportWorkspaceBytes(this);
  }

  /** Refuse a batch once the database and the span search index are past STORE_BUDGET.maxBytes (a batch is at most a few MB). */
  private requireRoom(): void {
    const used = this.sizeBytes() + spanIndexBytes(this);
    if (used > STORE_BUDGET.maxBytes) throw new StoreFullError(used);
  }

  /** How full the workspace is, with the span search index (span-index.ts), which takes the same memory. */
  budget(): StoreBudget {
    const usedBytes = this.sizeBytes() + spanIndexBytes(this);
    return { usedBytes, maxBytes: STORE_BUDGET.maxBytes, warnBytes: STORE_BUDGET.warnBytes, warn: usedBytes > STORE_BUDGET.warnBytes };
  }

  /** Bytes the workspace's database takes. */
  sizeBytes(): number {
    const st = this.stmt(`SELECT c.page_count * s.page_size FROM pragma_page_count AS c, pragma_page_size AS s WHERE c.schema = ? AND s.schema = ?`);
    const r = st.get([this.database, this.database]);
    st.reset();
    return Number(r[0]);
  }

  close(): void {
    this.finalizeInserts();
    this.db.close();
  }
}

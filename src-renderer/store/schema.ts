// The workspace schema. Absolute times are 64-bit integers of nanoseconds (exact); durations are
// integers of nanoseconds. Attribute maps are JSON text in which 64-bit integers are bare digits,
// which SQLite's JSON functions read exactly. Enumerations are small integers: a span's kind,
// status and parent reference as core/model/span-codes.ts codes them, a log's severity as below.

import type { Database } from 'sql.js';

export const SCHEMA_VERSION = 7;
/** The first version whose spans all name their operation (spans.op_id, the operations table). */
export const OPERATIONS_SCHEMA_VERSION = 4;

/** PRAGMA application_id of a workspace file ('TRDK'): what tells a workspace from any other SQLite file. */
export const APPLICATION_ID = 0x5452444b;

export const SEVERITY_CODES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * The catalog's table under the given name: the schema makes it as service_catalog; an upgrade
 * builds it beside an older one of the same name and swaps them.
 */
function serviceCatalogTable(name: string): string {
  return `CREATE TABLE IF NOT EXISTS ${name} (
  entry_id    INTEGER PRIMARY KEY,
  file_id     INTEGER,                    -- the catalog file; NULL for a row an older workspace kept without one
  line        INTEGER NOT NULL,           -- where the entity starts in that file (0 when unknown)
  kind        TEXT NOT NULL,              -- Backstage kind (Component, System), or Service for a list row
  name        TEXT NOT NULL,
  title       TEXT,
  description TEXT,
  owner       TEXT,
  system      TEXT,
  lifecycle   TEXT,
  on_call     TEXT,
  chat        TEXT,
  pagerduty   TEXT,
  links       TEXT NOT NULL DEFAULT '[]', -- JSON [{url, title, type}]
  depends_on  TEXT NOT NULL DEFAULT '[]', -- JSON array of entity references
  source      TEXT                        -- the Backstage entity (JSON) written back on export; NULL for list rows
);`;
}

export const SCHEMA_SQL = `
PRAGMA user_version = ${SCHEMA_VERSION};
PRAGMA application_id = ${APPLICATION_ID};

CREATE TABLE IF NOT EXISTS files (
  file_id     INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  format      TEXT,
  kind        TEXT,              -- what it held: 'traces', 'logs' or 'traces+logs'
  size_bytes  INTEGER,
  spans       INTEGER NOT NULL DEFAULT 0,
  logs        INTEGER NOT NULL DEFAULT 0,
  traces      INTEGER NOT NULL DEFAULT 0,
  rejected    INTEGER NOT NULL DEFAULT 0,
  errors      TEXT NOT NULL DEFAULT '[]', -- JSON array of messages naming line or byte offset
  status      TEXT NOT NULL DEFAULT 'importing', -- 'importing' | 'done' | 'partial' | 'failed'
  time_zone   TEXT,
  service     TEXT,              -- the service set by the user for lines that name none
  joined_exact    INTEGER NOT NULL DEFAULT 0, -- log lines joined to a loaded trace by id
  joined_inferred INTEGER NOT NULL DEFAULT 0, -- log lines joined to a span by service and time
  -- What the source held besides records (ImportSink.tally), so that nothing dropped can be
  -- checked: for line sources, lines = records + continuations + rejected + blank. NULL where
  -- the reader counted no lines (a JSON document).
  lines         INTEGER,
  continuations INTEGER,
  blank         INTEGER,
  skipped       INTEGER NOT NULL DEFAULT 0,  -- items left out on purpose (metric data points)
  duplicates    INTEGER NOT NULL DEFAULT 0,  -- spans already stored by an earlier file, not stored again
  notes         TEXT NOT NULL DEFAULT '[]'   -- JSON array: what the report says besides errors
);

CREATE TABLE IF NOT EXISTS resources (
  resource_id INTEGER PRIMARY KEY,
  service     TEXT NOT NULL,
  attributes  TEXT NOT NULL UNIQUE
);

-- Instrumentation scopes, each stored once (a span row binds one integer, not two strings).
CREATE TABLE IF NOT EXISTS scopes (
  scope_id INTEGER PRIMARY KEY,
  name     TEXT NOT NULL,
  version  TEXT NOT NULL,
  UNIQUE (name, version)
);

CREATE TABLE IF NOT EXISTS spans (
  span_row       INTEGER PRIMARY KEY,
  file_id        INTEGER NOT NULL,
  trace_id       TEXT NOT NULL,
  span_id        TEXT NOT NULL,
  parent_span_id TEXT,
  parent_ref     INTEGER NOT NULL DEFAULT 0, -- 0 child_of, 1 follows_from
  name           TEXT NOT NULL,
  service        TEXT NOT NULL,
  kind           INTEGER NOT NULL,           -- span-codes.ts KIND_CODES
  start_ns       INTEGER NOT NULL,
  duration_ns    INTEGER NOT NULL,
  status         INTEGER NOT NULL,           -- span-codes.ts STATUS_CODES
  status_message TEXT,
  is_error       INTEGER NOT NULL,
  attributes     TEXT,                       -- JSON object or NULL when empty
  resource_id    INTEGER,
  scope_id       INTEGER,                    -- scopes row; NULL when the span names no scope
  trace_id_raw   TEXT,                       -- as written, when it differs from trace_id
  span_id_raw    TEXT,
  event_count    INTEGER NOT NULL DEFAULT 0,
  link_count     INTEGER NOT NULL DEFAULT 0,
  trace_no       INTEGER NOT NULL DEFAULT 0, -- traces.trace_no: what spans are looked up by (see spans_by_trace_no)
  op_id          INTEGER                     -- operations row: the span's grouped operation and peer
);

-- What spans are grouped by (core/model/operation.ts): each distinct service, grouped operation
-- and peer once. Aggregates count by op_id; the raw name stays in spans.name.
CREATE TABLE IF NOT EXISTS operations (
  op_id     INTEGER PRIMARY KEY,
  service   TEXT NOT NULL,
  operation TEXT NOT NULL,
  peer      TEXT NOT NULL DEFAULT '',   -- who a call out goes to (database, cache, host); '' for none
  rule      TEXT NOT NULL,              -- where the name came from (operation.ts OperationRule)
  UNIQUE (service, operation, peer)
);

-- The user's choice per grouped operation: ungrouped = 1 shows its spans by their raw names.
-- Keyed by name, not op_id, so that it holds for spans imported later too.
CREATE TABLE IF NOT EXISTS operation_settings (
  service   TEXT NOT NULL,
  operation TEXT NOT NULL,
  ungrouped INTEGER NOT NULL,
  PRIMARY KEY (service, operation)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS span_events (
  span_row   INTEGER NOT NULL,
  time_ns    INTEGER NOT NULL,
  name       TEXT NOT NULL,
  attributes TEXT
);

CREATE TABLE IF NOT EXISTS span_links (
  span_row   INTEGER NOT NULL,
  trace_id   TEXT NOT NULL,
  span_id    TEXT NOT NULL,
  attributes TEXT
);

CREATE TABLE IF NOT EXISTS traces (
  trace_id      TEXT PRIMARY KEY,
  start_ns      INTEGER NOT NULL,
  end_ns        INTEGER NOT NULL,
  duration_ns   INTEGER NOT NULL,
  span_count    INTEGER NOT NULL,
  error_count   INTEGER NOT NULL,
  service_count INTEGER NOT NULL,
  root_service  TEXT,
  root_name     TEXT,
  root_span_id  TEXT,
  finding_count INTEGER NOT NULL DEFAULT 0,
  trace_no      INTEGER NOT NULL DEFAULT 0  -- numbered in the order traces are first seen
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS logs (
  log_row          INTEGER PRIMARY KEY,
  file_id          INTEGER NOT NULL,
  line             INTEGER NOT NULL,
  time_ns          INTEGER,
  severity         INTEGER,                  -- index into SEVERITY_CODES, NULL when unknown
  severity_text    TEXT,
  service          TEXT,
  message          TEXT NOT NULL,
  trace_id         TEXT,
  span_id          TEXT,
  trace_id_low64   TEXT,                     -- low 64 bits of a partial (64-bit) trace id, else NULL
  trace_id_partial INTEGER NOT NULL DEFAULT 0,
  trace_id_raw     TEXT,                     -- as written, when that differs from trace_id
  span_id_raw      TEXT,
  attributes       TEXT,
  scope_id         INTEGER,                  -- scopes row of an OTLP record; NULL when none is named
  observed_ns      INTEGER                   -- OTLP observedTimeUnixNano, when written
);

CREATE TABLE IF NOT EXISTS import_findings (
  finding_id INTEGER PRIMARY KEY,
  file_id    INTEGER,
  trace_id   TEXT,
  span_id    TEXT,
  kind       TEXT NOT NULL,
  message    TEXT NOT NULL,
  data       TEXT
);

-- Each trace's spans as numbers in one blob (store/span-trees.ts lays it out): start, duration,
-- span_row, parent index, op_id and flags per span, in span_row order. Written at import with the
-- trace's row; the service map and the aggregates read these instead of every span row. A
-- workspace saved without them gets them when it is opened.
CREATE TABLE IF NOT EXISTS span_trees (
  trace_no   INTEGER PRIMARY KEY,        -- traces.trace_no
  start_ns   INTEGER NOT NULL,           -- the trace's first start: the blob's starts are offsets from it
  spans      INTEGER NOT NULL,
  unique_ids INTEGER NOT NULL,           -- 1 when the trace's span ids are all distinct
  columns    BLOB NOT NULL
);

-- The service map's summary (core/analysis/service-map.ts KeptMapParts), kept at import with the
-- spans: the durations of each operation row's spans by node, and of each edge's calls, as
-- Float64 ns in ascending order. map_state says it stands for every span; a workspace saved
-- without it gets it when opened (store/map-summary.ts).
CREATE TABLE IF NOT EXISTS map_operations (
  op_id     INTEGER NOT NULL,
  via_peer  INTEGER NOT NULL,            -- 1: spans of the operation's peer (they called no other service)
  spans     INTEGER NOT NULL,
  errors    INTEGER NOT NULL,
  durations BLOB NOT NULL,
  PRIMARY KEY (op_id, via_peer)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS map_edges (
  from_node TEXT NOT NULL,
  to_node   TEXT NOT NULL,
  calls     INTEGER NOT NULL,
  errors    INTEGER NOT NULL,
  durations BLOB NOT NULL,
  PRIMARY KEY (from_node, to_node)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS map_state (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  complete INTEGER NOT NULL              -- 0 once a span without an operation row was met
);

-- Spans by trace go through the trace's number, not its id: numbers are handed out in the order
-- traces arrive, so the index grows at its end, where random 32-character ids made every insert
-- a seek and split pages (about 2 s of a 1M-span import). Queries look the number up in traces:
--   ... FROM spans WHERE trace_no = (SELECT trace_no FROM traces WHERE trace_id = ?)
CREATE INDEX IF NOT EXISTS spans_by_trace_no ON spans(trace_no);
-- What trace search asks of most spans (store/trace-search.ts): the traces with a span of some
-- operations (service=, the peers a service is called as), in error or not, read from the index
-- alone; and the traces with a span in error (error=true), whose index holds only those spans.
CREATE INDEX IF NOT EXISTS spans_by_op ON spans(op_id, is_error, trace_no);
CREATE INDEX IF NOT EXISTS spans_in_error ON spans(trace_no) WHERE is_error = 1;
CREATE INDEX IF NOT EXISTS traces_by_start ON traces(start_ns);
CREATE INDEX IF NOT EXISTS logs_by_trace ON logs(trace_id);
CREATE INDEX IF NOT EXISTS logs_by_time ON logs(time_ns);
CREATE INDEX IF NOT EXISTS findings_by_trace ON import_findings(trace_id);
CREATE INDEX IF NOT EXISTS events_by_span ON span_events(span_row);
CREATE INDEX IF NOT EXISTS links_by_span ON span_links(span_row);

-- ---- logs: correlation and full-text search (store/logs.ts and store/log-view-fts.ts own these) ----
-- Inferred log -> span matches (lines without ids: same service, time inside the innermost span),
-- recomputed by correlateLogs() after imports. Exact matches are joins on logs.trace_id/span_id.
CREATE TABLE IF NOT EXISTS log_inferred (
  log_row  INTEGER PRIMARY KEY,
  span_row INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS log_inferred_by_span ON log_inferred(span_row);
-- Full-text index over log messages and their attribute values (sql.js has FTS4, not FTS5), external
-- content so the text is stored once; built after import in batches (buildFtsBatch), up to
-- logs_fts_state.last_row. attribute_values: the index holds attribute values too (a workspace
-- saved when it held messages only lacks the column, and its index is built again).
CREATE VIRTUAL TABLE IF NOT EXISTS logs_fts USING fts4(content="logs", message, tokenize=unicode61);
CREATE TABLE IF NOT EXISTS logs_fts_state (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  last_row INTEGER NOT NULL,
  attribute_values INTEGER NOT NULL DEFAULT 1
);

-- ---- the user's work, saved with the data (store/workspace-items.ts owns these) ----
CREATE TABLE IF NOT EXISTS slos (
  slo_id     INTEGER PRIMARY KEY,       -- what the SLO screen's route names (#/slos?slo=2)
  definition TEXT NOT NULL,             -- JSON: core/analysis/slo.ts SloDefinition
  warnings   TEXT NOT NULL DEFAULT '[]',
  source     TEXT                       -- the OpenSLO document it was read from, as JSON
);
-- Notes and stars: on a span, a trace, a log line (logs.log_row) or a time range.
CREATE TABLE IF NOT EXISTS notes (
  note_id    INTEGER PRIMARY KEY,
  target     TEXT NOT NULL CHECK (target IN ('span', 'trace', 'log', 'range')),
  trace_id   TEXT,
  span_id    TEXT,
  log_row    INTEGER,
  from_ns    INTEGER,
  to_ns      INTEGER,
  label      TEXT NOT NULL DEFAULT '',  -- what it points at, as shown when it was made
  starred    INTEGER NOT NULL DEFAULT 0,
  body       TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL           -- ms since the epoch
);
-- The service catalog (store/catalog.ts owns these): one row per catalog entity read from a
-- catalog file (core/model/catalog.ts CatalogEntry); a later file's entry of the same kind and name
-- replaces the earlier one when read.
${serviceCatalogTable('service_catalog')}
-- Trace service names the user mapped to a catalog entry by hand (the third way, after exact and
-- normalised names).
CREATE TABLE IF NOT EXISTS catalog_aliases (
  service TEXT PRIMARY KEY,
  entry   TEXT NOT NULL
) WITHOUT ROWID;
-- Where the user was: state/navigation.svelte.ts ViewState as JSON.
CREATE TABLE IF NOT EXISTS view_state (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  state TEXT NOT NULL
);
-- The postmortem report the user is writing (store/report-draft.ts): its window as typed, title,
-- summary and actions (JSON array of strings).
CREATE TABLE IF NOT EXISTS report_drafts (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  from_text TEXT NOT NULL,
  to_text   TEXT NOT NULL,
  title     TEXT NOT NULL,
  summary   TEXT NOT NULL,
  actions   TEXT NOT NULL DEFAULT '[]'
);
`;

/**
 * The schema's statements for the named database (`main`, or an attached one): every table, index
 * and virtual table, and the version, are created in it.
 */
export function schemaIn(database: string): string {
  return qualified(SCHEMA_SQL.replace(/PRAGMA (user_version|application_id)/g, `PRAGMA ${database}.$1`), database);
}

/**
 * 64-bit-only trace ids (Datadog, 64-bit B3) join on the low half of 128-bit ones. The index is
 * made when the first log line with such an id is stored (Store.addLogRows): kept up to date on
 * every trace stored, it would cost each import as much as a third of writing its traces.
 */
export function low64IndexIn(database: string): string {
  return qualified('CREATE INDEX IF NOT EXISTS traces_by_low64 ON traces(substr(trace_id, 17));', database);
}

function qualified(sql: string, database: string): string {
  return sql.replace(/CREATE (TABLE|INDEX|VIRTUAL TABLE) IF NOT EXISTS (\w+)/g, `CREATE $1 IF NOT EXISTS ${database}.$2`);
}

/** Columns added since version 1, with their definitions: a saved workspace lacking one gets it. */
const ADDED_COLUMNS: Record<string, [string, string][]> = {
  files: [
    ['lines', 'INTEGER'], ['continuations', 'INTEGER'], ['blank', 'INTEGER'], ['skipped', 'INTEGER NOT NULL DEFAULT 0'],
    ['duplicates', 'INTEGER NOT NULL DEFAULT 0'], ['notes', "TEXT NOT NULL DEFAULT '[]'"],
  ],
  logs: [['scope_id', 'INTEGER'], ['observed_ns', 'INTEGER']],
  logs_fts_state: [['attribute_values', 'INTEGER NOT NULL DEFAULT 1']],
  spans: [['op_id', 'INTEGER']],
};

function columnsOf(db: Database, table: string): string[] {
  return (db.exec(`SELECT name FROM pragma_table_info('${table}')`)[0]?.values.map((r) => String(r[0]))) ?? [];
}

/**
 * A workspace saved by an older version: tables gain the columns added since (counts it never
 * made stay NULL or 0), a full-text index of messages alone is emptied to be built again, and one saved before traces were numbered (schema version 1) gets its
 * traces numbered in order of start, every span its trace's number, and spans indexed by it
 * instead of by the trace id.
 */
export function upgradeSavedWorkspace(db: Database): void {
  const spanColumns = columnsOf(db, 'spans');
  if (spanColumns.length === 0) return;
  db.exec('SAVEPOINT upgrade');
  const ftsState = columnsOf(db, 'logs_fts_state');
  if (ftsState.length > 0 && !ftsState.includes('attribute_values')) {
    // Its full-text index holds messages only: dropped (the schema makes it again, empty), the
    // background indexer builds it again.
    db.exec('DROP TABLE IF EXISTS logs_fts; DELETE FROM logs_fts_state;');
  }
  for (const [table, cols] of Object.entries(ADDED_COLUMNS)) {
    const have = columnsOf(db, table);
    for (const [name, def] of cols) if (!have.includes(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${def}`);
  }
  const catalog = columnsOf(db, 'service_catalog');
  if (catalog.length > 0 && !catalog.includes('entry_id')) {
    // Version 5's catalog: one row per service (owner, tier, description, other attributes as a
    // JSON object). Each becomes an entry whose entity keeps the tier and attributes in its spec,
    // so an exported catalog still carries them.
    db.exec(`
      ${serviceCatalogTable('service_catalog_next')}
      INSERT INTO service_catalog_next (line, kind, name, description, owner, source)
        SELECT 0, 'Component', service, description, owner, json_object(
          'apiVersion', 'backstage.io/v1alpha1', 'kind', 'Component',
          'metadata', json_patch(json_object('name', service), CASE WHEN description IS NULL THEN '{}' ELSE json_object('description', description) END),
          'spec', json_patch(
            CASE WHEN json_valid(attributes) AND json_type(attributes) = 'object' THEN attributes ELSE '{}' END,
            json_patch(json_object('type', 'service', 'owner', coalesce(owner, 'unknown')), CASE WHEN tier IS NULL THEN '{}' ELSE json_object('tier', tier) END)))
        FROM service_catalog ORDER BY service;
      DROP TABLE service_catalog;
      ALTER TABLE service_catalog_next RENAME TO service_catalog;
    `);
  }
  if (!spanColumns.includes('trace_no')) {
    db.exec(`
      ALTER TABLE traces ADD COLUMN trace_no INTEGER NOT NULL DEFAULT 0;
      CREATE TEMP TABLE numbered (trace_id TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO numbered SELECT trace_id, row_number() OVER (ORDER BY start_ns, trace_id) FROM traces;
      UPDATE traces SET trace_no = (SELECT n FROM numbered WHERE numbered.trace_id = traces.trace_id);
      DROP TABLE numbered;
      ALTER TABLE spans ADD COLUMN trace_no INTEGER NOT NULL DEFAULT 0;
      UPDATE spans SET trace_no = (SELECT t.trace_no FROM traces t WHERE t.trace_id = spans.trace_id);
      DROP INDEX IF EXISTS spans_by_trace;
    `);
  }
  db.exec('RELEASE upgrade');
}

// Example queries the SQL console offers: each a question people ask of a workspace, written over
// the tables of schema.ts, so a first query need not start from the schema.

export interface SqlExample {
  title: string;
  sql: string;
}

export const SQL_EXAMPLES: readonly SqlExample[] = [
  {
    title: 'Slowest traces',
    sql: `SELECT trace_id, root_service, root_name, duration_ns / 1e6 AS ms, span_count, error_count
FROM traces ORDER BY duration_ns DESC LIMIT 100`,
  },
  {
    title: 'Errors by service and operation',
    sql: `SELECT service, name, count(*) AS errors, min(status_message) AS a_message
FROM spans WHERE is_error = 1 GROUP BY service, name ORDER BY errors DESC`,
  },
  {
    title: 'Spans per service, with their mean duration',
    sql: `SELECT service, count(*) AS spans, round(avg(duration_ns) / 1e6, 2) AS mean_ms
FROM spans GROUP BY service ORDER BY spans DESC`,
  },
  {
    title: 'Log lines per level and service',
    sql: `SELECT coalesce(service, '(none)') AS service, severity_text, count(*) AS lines
FROM logs GROUP BY 1, 2 ORDER BY lines DESC`,
  },
  {
    title: 'Log lines of failed traces',
    sql: `SELECT l.trace_id, CAST(l.time_ns AS TEXT) AS time_ns, l.service, l.message
FROM logs l JOIN traces t ON t.trace_id = l.trace_id
WHERE t.error_count > 0 ORDER BY l.time_ns LIMIT 500`,
  },
  {
    title: 'An attribute across spans (http.route)',
    sql: `SELECT attributes ->> '$."http.route"' AS route, count(*) AS spans
FROM spans WHERE route IS NOT NULL GROUP BY route ORDER BY spans DESC`,
  },
  {
    title: 'The tables and their columns',
    sql: `SELECT m.name AS "table", p.name AS "column", p.type
FROM sqlite_schema m, pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'logs_fts%' ORDER BY m.name, p.cid`,
  },
];

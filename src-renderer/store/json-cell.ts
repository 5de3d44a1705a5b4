// A JSON text kept in a cell of the workspace (SLOs, catalog links, view state, the report's
// actions): anyone can edit a workspace with the sqlite3 command line, so a cell that is not a
// string or not JSON reads as the fallback, never as an exception. Its shape is the caller's to
// check (`T` is what the caller expects; pass `unknown` to check it field by field).

export function parseJsonCell<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

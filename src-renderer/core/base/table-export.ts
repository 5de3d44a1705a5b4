// A result table (the SQL console's) written as CSV or JSON for other tools.
//
// CSV follows RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): fields with a comma, a quote, CR
// or LF are quoted, quotes doubled, lines end in CRLF. A spreadsheet reads a text cell that begins
// with = + - @ (or a tab or CR, which some strip before looking) as a formula, so a value taken
// from a stranger's file could run one ("CSV injection", OWASP): such text cells get a leading
// apostrophe, which spreadsheets show as text. Numbers are written as numbers: -5 is not a formula.
//
// JSON keeps 64-bit integers exact (bare digits), blobs as lowercase hex strings.

import { stringifyExact } from './json.ts';
import { bytesToHex } from './ids.ts';

export interface ResultTable {
  columns: string[];
  rows: unknown[][];
}

const FORMULA_START = /^[=+\-@\t\r]/;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Uint8Array) return bytesToHex(v);
  return String(v);
}

/** One CSV field: neutralised when it is text a spreadsheet would run, quoted when it must be. */
export function csvField(v: unknown): string {
  let s = cellText(v);
  if (typeof v === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableToCsv(t: ResultTable): string {
  const lines = [t.columns.map(csvField).join(',')];
  for (const r of t.rows) lines.push(r.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** `{"columns": [...], "rows": [[...], ...]}`: rows as arrays, since a query may repeat a column name. */
export function tableToJson(t: ResultTable): string {
  const rows = t.rows.map((r) => r.map((v) => (v instanceof Uint8Array ? bytesToHex(v) : v === undefined ? null : v)));
  return stringifyExact({ columns: t.columns, rows });
}

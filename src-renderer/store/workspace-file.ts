// A saved workspace file (`.tracedeck`): a plain SQLite database whose `PRAGMA application_id`
// is APPLICATION_ID and whose `PRAGMA user_version` is the schema version it was written with.
// Bytes are checked before a store is made of them, so a bad file is refused with one message and
// whatever was loaded stays as it was. SQLite's file format: https://www.sqlite.org/fileformat.html
//
//   offset  0  "SQLite format 3\0"
//   offset 16  page size (2 bytes, big-endian; 1 means 65536)
//   offset 24  file change counter        offset 92  version-valid-for number
//   offset 28  size in pages, valid when the two counters above are equal

import type { Database, SqlJsStatic } from 'sql.js';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema.ts';
import { isSqliteHeader, WorkspaceFileError } from '../core/base/workspace-file.ts';

const HEADER_BYTES = 100;
/** Tables every workspace since the first version has. */
const REQUIRED_TABLES = ['files', 'spans', 'traces', 'logs'];

const fmt = (n: number) => n.toLocaleString('en-US');

/** Sizes the header announces that the bytes do not hold: a truncated copy, a download cut short. */
function checkHeader(name: string, bytes: Uint8Array): void {
  if (!isSqliteHeader(bytes)) throw new WorkspaceFileError(`${name} is not a workspace file: it is not a SQLite database`);
  if (bytes.length < HEADER_BYTES) throw new WorkspaceFileError(`${name} is truncated: it ends at byte ${fmt(bytes.length)}, inside the SQLite header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const raw = v.getUint16(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new WorkspaceFileError(`${name} is damaged: its header gives a page size of ${raw}`);
  const pages = v.getUint32(28);
  const counted = v.getUint32(24) === v.getUint32(92) && pages > 0;
  const expected = counted ? pages * pageSize : null;
  if (expected !== null && bytes.length < expected) {
    throw new WorkspaceFileError(`${name} is truncated: it ends at byte ${fmt(bytes.length)} of the ${fmt(expected)} its header announces`);
  }
  if (bytes.length % pageSize !== 0) throw new WorkspaceFileError(`${name} is truncated: ${fmt(bytes.length)} bytes is not a whole number of ${fmt(pageSize)}-byte pages`);
}

function pragma(db: Database, name: string): number {
  return Number(db.exec(`PRAGMA ${name}`)[0]?.values[0][0] ?? 0);
}

/**
 * A database made of a saved workspace's bytes, checked: a SQLite file whole, a workspace, and of
 * a schema version this build reads (older ones are upgraded by the store). Throws
 * WorkspaceFileError otherwise, having closed what it opened.
 */
export function openWorkspaceDatabase(sql: SqlJsStatic, bytes: Uint8Array, name = 'the file'): Database {
  checkHeader(name, bytes);
  let db: Database;
  try {
    db = new sql.Database(bytes);
  } catch (e) {
    throw new WorkspaceFileError(`${name} is damaged: SQLite says "${(e as Error).message}"`);
  }
  try {
    let tables: string[];
    try {
      tables = (db.exec("SELECT name FROM sqlite_schema WHERE type = 'table'")[0]?.values ?? []).map((r) => String(r[0]));
    } catch (e) {
      throw new WorkspaceFileError(`${name} is damaged: SQLite says "${(e as Error).message}"`);
    }
    const appId = pragma(db, 'application_id');
    const version = pragma(db, 'user_version');
    const missing = REQUIRED_TABLES.filter((t) => !tables.includes(t));
    // Workspaces written before the application id was set carry 0 and the tables.
    if ((appId !== APPLICATION_ID && appId !== 0) || missing.length > 0) {
      throw new WorkspaceFileError(
        `${name} is a SQLite database but not a Tracedeck workspace${missing.length > 0 ? ` (it has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''})` : ''}`,
      );
    }
    if (version > SCHEMA_VERSION) {
      throw new WorkspaceFileError(
        `${name} was saved by a newer Tracedeck (workspace schema version ${version}); this version reads versions 1 to ${SCHEMA_VERSION}. Open it with a newer Tracedeck.`,
      );
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

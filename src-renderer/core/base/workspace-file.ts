// What the app, the command line and the store share about a saved workspace file (`.tracedeck`,
// a SQLite database): how its bytes begin, and the error that says why one cannot be opened.
// https://www.sqlite.org/fileformat.html: every SQLite database begins with "SQLite format 3\0".

const MAGIC = 'SQLite format 3\u0000';

/** Whether bytes begin as a SQLite database does (the content test; the file name is no guide). */
export function isSqliteHeader(head: Uint8Array): boolean {
  if (head.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (head[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

/** Why a file cannot be opened as a workspace; the message names the file and says what is wrong. */
export class WorkspaceFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceFileError';
  }
}

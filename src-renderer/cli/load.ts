// Loading the command line's inputs: trace and log files are streamed from disk into the store
// through the same import job the app uses; a saved workspace (a SQLite file) is opened as is.

import { createReadStream, openSync, readSync, closeSync, statSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadSqlJs } from '../store/sqljs.ts';
import { Store } from '../store/store.ts';
import { ImportJob } from '../engine/import-job.ts';
import type { ImportOptions, SourceReport } from '../core/import/types.ts';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export class UnreadableInput extends Error {}

function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 16 && buf.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/** Stream one file into the store; returns what each of its sources held. */
export async function importPath(store: Store, path: string, options?: ImportOptions): Promise<SourceReport[]> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UnreadableInput(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const job = new ImportJob(store, basename(path), size, options);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) job.push(chunk as Uint8Array);
  } catch (e) {
    job.cancel();
    throw new UnreadableInput(`${path}: ${(e as Error).message}`);
  }
  return job.end();
}

/** A store holding every input: saved workspaces are opened (the first one), other files imported. */
export async function loadInputs(paths: string[], options?: ImportOptions): Promise<{ store: Store; reports: SourceReport[] }> {
  const SQL = await loadSqlJs();
  const workspaces = paths.filter((p) => {
    try {
      return isSqliteFile(p);
    } catch {
      return false;
    }
  });
  if (workspaces.length > 1) throw new UnreadableInput(`only one saved workspace can be opened at a time (got ${workspaces.join(', ')})`);
  const store = Store.create(SQL, workspaces.length ? new Uint8Array(readFileSync(workspaces[0])) : undefined);
  const reports: SourceReport[] = [];
  for (const p of paths) if (!workspaces.includes(p)) reports.push(...(await importPath(store, p, options)));
  return { store, reports };
}

// Loading the command line's inputs: trace and log files are streamed from disk into the store
// through the same import job the app uses; a saved workspace (a SQLite file) is opened as is.

import { createReadStream, openSync, readSync, closeSync, statSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { loadSqlJs } from '../store/sqljs.ts';
import { Store } from '../store/store.ts';
import { EngineCore } from '../engine/engine-core.ts';
import { ImportJob } from '../engine/import-job.ts';
import type { ImportOptions, SourceReport } from '../core/import/types.ts';
import { sourceNames } from '../core/import/source-names.ts';
import { isSqliteHeader, WorkspaceFileError } from '../core/base/workspace-file.ts';

export class UnreadableInput extends Error {}

function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(16);
    return readSync(fd, buf, 0, 16, 0) === 16 && isSqliteHeader(buf);
  } finally {
    closeSync(fd);
  }
}

/** A saved workspace (`.tracedeck`), checked: one that is not a workspace this version reads is an unreadable input. */
function openWorkspaceFile(SQL: Awaited<ReturnType<typeof loadSqlJs>>, path: string): Store {
  try {
    return Store.create(SQL, new Uint8Array(readFileSync(path)), path);
  } catch (e) {
    if (e instanceof WorkspaceFileError) throw new UnreadableInput(e.message);
    throw e;
  }
}

/** Stream one file into the store under `name` (its bare name by default); returns what each of its sources held. */
export async function importPath(store: Store, path: string, options?: ImportOptions, name = basename(path)): Promise<SourceReport[]> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UnreadableInput(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const job = new ImportJob(store, name, size, options);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) job.push(chunk as Uint8Array);
  } catch (e) {
    job.cancel();
    throw new UnreadableInput(`${path}: ${(e as Error).message}`);
  }
  return job.end();
}

/**
 * A store holding every input: saved workspaces are opened (the first one), other files imported,
 * each named by its path relative to the folder the files share (source-names.ts). An input that
 * cannot be opened throws UnreadableInput, unless `keepGoing`: then it is listed in `unreadable`
 * and the others are still imported.
 */
export async function loadInputs(
  paths: string[],
  options?: ImportOptions,
  keepGoing = false,
): Promise<{ store: Store; reports: SourceReport[]; unreadable: string[] }> {
  const SQL = await loadSqlJs();
  const workspaces = paths.filter((p) => {
    try {
      return isSqliteFile(p);
    } catch {
      return false;
    }
  });
  if (workspaces.length > 1) throw new UnreadableInput(`only one saved workspace can be opened at a time (got ${workspaces.join(', ')})`);
  const store = workspaces.length ? openWorkspaceFile(SQL, workspaces[0]) : Store.create(SQL);
  const reports: SourceReport[] = [];
  const core = new EngineCore(store);
  const problems = workspaces.length ? core.workspaceProblems(workspaces[0]) : [];
  if (problems.length > 0) {
    const t = core.totals();
    reports.push({ file: workspaces[0], format: 'tracedeck workspace', traces: t.traces, spans: t.spans, logs: t.logs, rejected: 0, errors: problems });
  }
  const unreadable: string[] = [];
  const files = paths.filter((p) => !workspaces.includes(p));
  const names = sourceNames(files.map((f) => resolve(f)));
  for (let i = 0; i < files.length; i++) {
    try {
      reports.push(...(await importPath(store, files[i], options, names[i])));
    } catch (e) {
      if (!(e instanceof UnreadableInput) || !keepGoing) throw e;
      unreadable.push(e.message);
    }
  }
  return { store, reports, unreadable };
}

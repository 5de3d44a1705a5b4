// One import job on the thread that owns the store: an ImportReader whose rows go straight into
// it (StoreIngest). The whole job is one savepoint: cancel restores the workspace as it was
// before the file. StoreIngest is also the receiving end of a pipelined import (engine-core.ts).

import { StoreFullError, type Store } from '../store/store.ts';
import type { ImportOptions, SourceReport } from '../core/import/types.ts';
import type { Finding } from '../core/model/trace.ts';
import type { CatalogEntry } from '../core/model/catalog.ts';
import { addCatalogEntries } from '../store/catalog.ts';
import type { SpanRows, LogRows } from '../store/rows.ts';
import { correlateLogs, recountCorrelation } from '../store/logs.ts';
import { ImportReader, type IngestTarget, type ImportProgress, type SourceMeta } from './import-reader.ts';
import { makeRoomForImport } from './span-index-step.ts';

export type { ImportProgress } from './import-reader.ts';

/** Applies an import's rows to the store, one savepoint for the job and one per source. */
export class StoreIngest implements IngestTarget {
  readonly reports: SourceReport[] = [];
  private done = false;

  constructor(private readonly store: Store) {
    makeRoomForImport(store);
    store.beginJob();
  }

  /** Set once the store refused rows for being full: the rest of the job's rows are not offered. */
  private full: string | null = null;
  private source = '';

  beginFile(name: string, sizeBytes: number | null): void {
    this.source = name;
    this.store.beginFile(name, sizeBytes);
  }

  addSpanRows(rows: SpanRows): void {
    this.whileRoom(() => this.store.addSpanRows(rows));
  }

  addLogRows(rows: LogRows): void {
    this.whileRoom(() => this.store.addLogRows(rows));
  }

  /** A full store ends what the job stores, not the job: what it stored stays, and the report says why. */
  private whileRoom(add: () => void): void {
    if (this.full !== null) return;
    try {
      add();
    } catch (e) {
      if (!(e instanceof StoreFullError)) throw e;
      this.full = e.message;
    }
  }

  addFindings(findings: Finding[]): void {
    this.store.addFindings(findings);
  }

  addCatalogEntries(entries: CatalogEntry[]): void {
    addCatalogEntries(this.store, entries);
  }

  finishFile(meta: SourceMeta): void {
    if (this.full !== null) meta = { ...meta, errors: [...meta.errors, `${this.source}: ${this.full}`] };
    this.reports.push(this.store.finishFile(meta));
  }

  /** Join logs to traces again (a log file may come before or after its traces), then commit. */
  commit(): SourceReport[] {
    if (this.done) return this.reports;
    this.done = true;
    if (this.reports.some((r) => r.spans > 0 || r.logs > 0)) {
      correlateLogs(this.store);
      const counts = recountCorrelation(this.store);
      for (const r of this.reports) if (r.fileId !== undefined && counts.has(r.fileId)) r.correlated = counts.get(r.fileId);
    }
    this.store.commitJob();
    return this.reports;
  }

  /** Drop everything this job stored. */
  rollback(): void {
    if (this.done) return;
    this.done = true;
    this.store.rollbackJob();
  }
}

export class ImportJob {
  private readonly ingest: StoreIngest;
  private readonly reader: ImportReader;

  constructor(store: Store, fileName: string, bytesTotal: number | null, options: ImportOptions = {}) {
    this.ingest = new StoreIngest(store);
    this.reader = new ImportReader(this.ingest, fileName, bytesTotal, options);
  }

  /** Feed the next chunk of the file. Errors in the data are recorded on the source, not thrown. */
  push(chunk: Uint8Array): ImportProgress {
    return this.reader.push(chunk);
  }

  /** The file is complete: flush the readers, commit, and say what each source held. */
  end(): SourceReport[] {
    this.reader.end();
    return this.ingest.commit();
  }

  cancel(): void {
    this.ingest.rollback();
  }
}

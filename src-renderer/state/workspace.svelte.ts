// The workspace as the UI sees it: what is loaded, what is importing, what went wrong. Views read
// these rune fields; `version` changes whenever the data does, so views know to query again.
// Requests to the engine and the host are made by the state classes, never by views.

import type { EngineClient, ByteSource } from '../engine/client.ts';
import type { ImportProgress } from '../engine/import-job.ts';
import type { SourceReport } from '../core/import/types.ts';
import type { FileRow, Totals, TraceRow, TraceSort } from '../store/queries.ts';
import type { Host } from '../host/host.ts';
import type { StoreBudget } from '../store/store.ts';
import { blobSource } from '../host/host.ts';
import demoUrl from '../../assets/demo-incident.zip?url';

export type { FileRow, TraceRow, TraceSort } from '../store/queries.ts';

/** The import panel's progress is redrawn at most this often. */
const PROGRESS_EVERY_MS = 100;

export interface ImportState {
  name: string;
  progress: ImportProgress | null;
  queued: number;
  cancel(): void;
}

export class Workspace {
  ready = $state(false);
  totals = $state<Totals>({ traces: 0, spans: 0, logs: 0, files: 0 });
  files = $state.raw<FileRow[]>([]);
  importing = $state<ImportState | null>(null);
  /** Reports of the last import, shown until dismissed. */
  reports = $state.raw<SourceReport[]>([]);
  error = $state<string | null>(null);
  version = $state(0);
  /** How full the store is; `warn` once past its warning mark (store.ts STORE_BUDGET). */
  budget = $state<StoreBudget | null>(null);
  /** Changes not yet saved in a workspace file: imports, notes, SLOs. */
  dirty = $state(false);

  private queue: ByteSource[] = [];
  private running = false;

  constructor(
    readonly engine: EngineClient,
    readonly host: Host,
  ) {
    engine.ready.then(
      () => {
        this.ready = true;
        return this.refresh();
      },
      (e: Error) => (this.error = e.message),
    );
  }

  async refresh(): Promise<void> {
    this.totals = await this.engine.call('totals');
    this.files = await this.engine.call('listFiles');
    this.budget = await this.engine.call('storeBudget');
    this.version++;
  }

  /** A page of the trace list in the given order. */
  tracePage(offset: number, limit: number, sort: TraceSort): Promise<TraceRow[]> {
    return this.engine.call('listTraces', { offset, limit, sort });
  }

  /** The service of a log file's lines that name none (null: none); its lines are joined to spans again. */
  async setFileService(fileId: number, service: string | null): Promise<void> {
    await this.engine.call('setFileService', fileId, service);
    await this.refresh();
  }

  /** Open an http(s) link in the system browser; the host asks the user first. */
  /** In a browser a web link is a plain anchor (a new tab); in Electron it goes through openLink. */
  get linksAreAnchors(): boolean {
    return this.host.kind === 'browser';
  }

  openLink(url: string): Promise<boolean> {
    return this.host.openExternal(url);
  }

  async openFiles(): Promise<void> {
    const sources = await this.host.pickFiles();
    this.importSources(sources);
  }

  async openDemo(): Promise<void> {
    try {
      const res = await fetch(demoUrl);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.importSources([blobSource(await res.blob(), 'demo-incident.zip')]);
    } catch (e) {
      this.error = `The demo incident could not be loaded: ${(e as Error).message}`;
    }
  }

  /** Import files one after another; each is its own job, so a cancel drops only that file. */
  importSources(sources: ByteSource[]): void {
    this.queue.push(...sources);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    const reports: SourceReport[] = [];
    try {
      await this.engine.ready;
      while (this.queue.length > 0) {
        const src = this.queue.shift()!;
        // Progress comes with every chunk read (thousands per big file); the panel redraws at most
        // ten times a second, which leaves the cores to the workers.
        let shown = 0;
        const handle = this.engine.importFile(src, (p) => {
          const now = performance.now();
          if (!this.importing || now - shown < PROGRESS_EVERY_MS) return;
          shown = now;
          this.importing.progress = p;
        });
        this.importing = { name: src.name, progress: null, queued: this.queue.length, cancel: () => handle.cancel() };
        try {
          const r = await handle.done;
          if (r?.some((x) => x.spans + x.logs > 0)) this.dirty = true;
          if (r) reports.push(...r);
          else reports.push({ file: src.name, format: '', traces: 0, spans: 0, logs: 0, rejected: 0, errors: [`${src.name}: import cancelled; nothing from it was kept`] });
        } catch (e) {
          reports.push({ file: src.name, format: '', traces: 0, spans: 0, logs: 0, rejected: 0, errors: [`${src.name}: ${(e as Error).message}`] });
        }
        await this.refresh();
      }
    } finally {
      this.importing = null;
      this.running = false;
      this.reports = reports;
    }
  }

  async saveWorkspace(): Promise<void> {
    const bytes = await this.engine.call('exportWorkspace');
    await this.host.saveFile('workspace.tracedeck.sqlite', bytes);
  }
}

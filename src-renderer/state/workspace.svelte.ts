// The workspace as the UI sees it: what is loaded, what is importing, what went wrong. Views read
// these rune fields; `version` changes whenever the data does, so views know to query again.
// Requests to the engine and the host are made by the state classes, never by views.

import type { EngineClient, ByteSource } from '../engine/client.ts';
import type { ImportProgress } from '../engine/import-job.ts';
import type { SourceReport } from '../core/import/types.ts';
import type { FileRow, Totals } from '../store/queries.ts';
import type { Host, WorkspaceWriter } from '../host/host.ts';
import type { StoreBudget } from '../store/store.ts';
import { blobSource, withHead, concatBytes } from '../host/host.ts';
import { isSqliteHeader } from '../core/base/workspace-file.ts';
import { RecentFiles, type RecentEntry } from './recent.svelte.ts';
import { readRemembered } from './remembered.ts';
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
  /** The workspace file's name, once opened from or saved to one. */
  fileName = $state<string | null>(null);
  /** Bumped when a saved workspace replaces the data: states that keep the user's work read it again. */
  generation = $state(0);
  /** What the app shows, saved with the workspace (set by the app: the navigation's snapshot). */
  viewState: () => unknown = () => null;
  /** Called with a workspace's saved view once it is open (set by the app). */
  onOpened: (view: unknown) => void = () => {};
  /** Called after every change worth keeping on disk: an import, a note, an SLO (set by the autosave). */
  onChanged: () => void = () => {};

  /** Files and workspaces opened lately, for the start screen. */
  readonly recent: RecentFiles;

  private queue: ByteSource[] = [];
  private running = false;

  constructor(
    readonly engine: EngineClient,
    readonly host: Host,
  ) {
    this.recent = new RecentFiles(host.recent);
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
    void this.indexSpans();
  }

  /** How far the span search index is built (0-100, whole percent) while it is, else null. */
  indexedPercent = $state<number | null>(null);
  private indexing = false;

  /**
   * Build the span search index (store/span-index.ts) a small step at a time after the data
   * changed, the engine answering other requests between steps. Until it is built, searches read
   * every span instead: slower, never different. A step's budget (ms) can be lowered on this
   * machine (localStorage `tracedeck.searchIndexStepMs`) to watch the build: the end-to-end test does.
   */
  async indexSpans(): Promise<void> {
    if (this.indexing) return;
    this.indexing = true;
    const stepMs = readRemembered('tracedeck.searchIndexStepMs', (v): v is string => /^\d{1,3}$/.test(String(v)), '40');
    try {
      for (;;) {
        const p = await this.engine.call('searchIndexStep', Number(stepMs));
        this.indexedPercent = p.done ? null : Math.floor((100 * p.indexed) / Math.max(1, p.total));
        if (p.done) break;
        await new Promise((r) => setTimeout(r, p.busy ? 500 : 0));
      }
    } catch (e) {
      this.error = `The search index could not be built (searches read every span instead): ${(e as Error).message}`;
    } finally {
      this.indexing = false;
      this.indexedPercent = null;
    }
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

  /** Something the user made changed (a note, an SLO): unsaved, and worth keeping on disk. */
  changed(): void {
    this.dirty = true;
    this.onChanged();
  }

  /** The app's title: the workspace's name and a mark while there are unsaved changes. */
  get title(): string {
    const name = this.fileName ?? (this.totals.files > 0 ? 'Untitled workspace' : null);
    return name ? `${this.dirty ? '• ' : ''}${name} — Tracedeck` : 'Tracedeck';
  }

  /**
   * Replace what is loaded by a saved workspace (its bytes): the data, its SLOs and notes, its view.
   * A file that cannot be opened is reported and leaves what is loaded as it was.
   */
  async openWorkspaceBytes(bytes: Uint8Array, name: string, opts: { dirty?: boolean; keepName?: boolean; remembered?: Promise<void> } = {}): Promise<boolean> {
    if (this.dirty && this.totals.files > 0 && typeof window !== 'undefined' && !window.confirm(`Open ${name}? It replaces what is loaded now, which is not saved.`)) return false;
    let opened: Totals & { problems: string[] };
    try {
      opened = await this.engine.call('openWorkspace', bytes, name);
    } catch (e) {
      this.error = (e as Error).message;
      return false;
    }
    this.fileName = opts.keepName === false ? null : name.replace(/^.*[\\/]/, '');
    this.dirty = opts.dirty ?? false;
    // What of the user's work could not be read is said in the import report, naming the file.
    const { problems, traces, spans, logs } = opened;
    this.reports = problems.length > 0 ? [{ file: name, format: 'tracedeck workspace', traces, spans, logs, rejected: 0, errors: problems }] : [];
    this.generation++;
    if (opts.keepName !== false) this.recent.add(this.fileName!, 'workspace', opts.remembered);
    await this.refresh();
    this.onChanged();
    this.onOpened(await this.engine.call('viewState'));
    return true;
  }

  /** Open a file of the recent list again (where the host keeps one): as a workspace or as data, by its content. */
  async openRecent(entry: RecentEntry): Promise<void> {
    let src: ByteSource | null;
    try {
      src = await this.recent.open(entry);
    } catch (e) {
      this.error = (e as Error).message; // the browser was refused access to it again
      return;
    }
    if (src) this.importSources([src]);
    else this.error = `${entry.name} is no longer${entry.folder ? ` in ${entry.folder}` : ' where it was'}.`;
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
        // A saved workspace is told by its content, whatever its name: it is opened, not imported.
        const { head, source: src } = await withHead(this.queue.shift()!);
        const workspace = isSqliteHeader(head);
        // The host learns of the file while it is open (the desktop app keeps its path).
        const remembered = src.remember?.(workspace ? 'workspace' : 'files').catch(() => {});
        if (workspace) {
          this.importing = { name: src.name, progress: null, queued: this.queue.length, cancel: () => {} };
          // It replaces what is loaded: the reports so far go with it; what it says of itself stays.
          if (await this.openWorkspaceBytes(await readAll(src), src.name, { remembered })) reports.splice(0, reports.length, ...this.reports);
          continue;
        }
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
          if (r?.some((x) => x.spans + x.logs + (x.entries ?? 0) > 0)) this.changed();
          if (r && src.name !== 'demo-incident.zip') this.recent.add(src.name, 'files', remembered);
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

  /** How the host has the workspace written, with the view as it is now: streamed by the engine, or as bytes. */
  writer(): WorkspaceWriter {
    const view = this.viewState();
    return { to: (target) => this.engine.call('saveWorkspace', target, view), bytes: () => this.engine.call('exportWorkspace', view) };
  }

  /** Save the workspace in its file (Save), or in one the user picks (Save As, or the first Save). */
  async saveWorkspace(saveAs = false): Promise<void> {
    try {
      const name = await this.host.saveWorkspace(this.writer(), this.fileName ?? 'workspace.tracedeck', saveAs);
      if (name === null) return;
      this.fileName = name;
      this.dirty = false;
      if (this.recent.reopens) void this.recent.reload(); // the host put the saved file on its list
      else this.recent.add(name, 'workspace');
    } catch (e) {
      this.error = `The workspace could not be saved: ${(e as Error).message}`;
    }
  }
}

/** All of a source's bytes, in one array. */
async function readAll(src: ByteSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src.chunks()) parts.push(c);
  return concatBytes(parts);
}

// The report view's state: the draft (window, title, summary, actions) as the user edits it, kept
// in the workspace; the report model the engine builds for the window; exports as Markdown and
// HTML written by the same renderers as `tracedeck report`. One instance per workspace.

import type { Workspace } from './workspace.svelte.ts';
import { timeWindowArg } from '../core/base/time.ts';
import { reportHtml, reportMarkdown, reportSections, type ReportSection } from '../core/analysis/report-render.ts';
import type { ReportModel } from '../core/analysis/report.ts';
import type { ReportDraft } from '../store/report-draft.ts';
import { perWorkspace } from './per-workspace.svelte.ts';

export class ReportState {
  draft = $state<ReportDraft>({ from: '', to: '', title: '', summary: '', actions: [] });
  model = $state.raw<ReportModel | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Counts the saved drafts read (the view copies the window into its fields when one arrives). */
  draftLoads = $state(0);
  /** The report as it will be exported, with the edits. */
  edited = $derived(this.model ? this.withEdits(this.model) : null);
  markdown = $derived(this.edited ? reportMarkdown(this.edited) : '');
  /** The same sections as the exports, for the view (whose trace cells are links). */
  sections = $derived<ReportSection[]>(this.edited ? reportSections(this.edited) : []);

  private loaded = false;
  private ticket = 0;
  private seen = '';

  constructor(readonly ws: Workspace) {}

  private withEdits(m: ReportModel): ReportModel {
    const d = this.draft;
    return { ...m, title: d.title.trim() || m.title, notes: { summary: d.summary, actions: d.actions.map((a) => a.trim()).filter((a) => a !== '') } };
  }

  /** The screen shows again: the next refresh builds the report again (SLOs or owners may have changed meanwhile, the data not). */
  shown(): void {
    this.seen = '';
  }

  /** When the screen shows and when the data changes: the saved draft once, then the model for its window. */
  async refresh(): Promise<void> {
    if (!this.loaded) {
      this.loaded = true;
      const saved = await this.ws.engine.call('reportDraft');
      if (saved) {
        this.draft = saved;
        this.draftLoads++;
      }
    }
    const key = `${this.ws.version}\u0001${this.draft.from}\u0001${this.draft.to}`;
    if (key === this.seen) return;
    this.seen = key;
    if (this.draft.from.trim() === '' || this.draft.to.trim() === '') {
      this.model = null;
      return;
    }
    const ticket = ++this.ticket;
    let window: { fromNs: string; toNs: string };
    try {
      window = { fromNs: timeWindowArg('from', this.draft.from)!, toNs: timeWindowArg('to', this.draft.to)! };
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    this.loading = true;
    try {
      const model = await this.ws.engine.call('reportModel', window);
      if (ticket !== this.ticket) return;
      this.model = model;
      this.error = null;
    } catch (e) {
      if (ticket === this.ticket) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (ticket === this.ticket) this.loading = false;
    }
  }

  /** The window typed by the user: kept, and the report built for it. */
  async window(from: string, to: string): Promise<void> {
    this.draft = { ...this.draft, from: from.trim(), to: to.trim() };
    await this.save();
    await this.refresh();
  }

  /** Title, summary or actions edited: kept in the workspace. */
  async edit(change: Partial<Pick<ReportDraft, 'title' | 'summary' | 'actions'>>): Promise<void> {
    this.draft = { ...this.draft, ...change };
    await this.save();
  }

  private async save(): Promise<void> {
    try {
      await this.ws.engine.call('saveReportDraft', $state.snapshot(this.draft));
      this.ws.changed();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async export(format: 'md' | 'html'): Promise<void> {
    const m = this.edited;
    if (!m) return;
    const text = format === 'html' ? reportHtml(m) : reportMarkdown(m);
    try {
      await this.ws.host.saveFile(format === 'html' ? 'postmortem.html' : 'postmortem.md', new TextEncoder().encode(text));
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }
}

export const reportStateFor = perWorkspace((ws) => new ReportState(ws));

// The SLO screen's state: the SLOs defined (by the form or from files), the one selected (in the
// route: `#/slos?slo=2`), its evaluation and derived budgets. The work runs in the engine worker;
// this only asks and keeps the answers. One instance per workspace, so the SLOs survive switching
// screens.

import { sloBadTraceTerms } from '../core/analysis/slo-traces.ts';
import { formatTerm } from '../core/analysis/trace-query.ts';
import type { Workspace } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';
import { readInt } from './route.ts';
import type { SloDefinition } from '../core/analysis/slo.ts';
import type { SloEvaluationView, SloDeriveView, ImportedSloItem } from '../engine/wire/slo.ts';

export type { SloEvaluationView, SloAlertRow } from '../engine/wire/slo.ts';
import type { SloServiceOperations } from '../store/slo-view-queries.ts';

export interface SloEntry extends ImportedSloItem {
  id: number;
}

/** SLO files are small. */
const MAX_SLO_FILE_BYTES = 2 << 20;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function yamlName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '-') || 'slo'}.openslo.yaml`;
}

export class SloState {
  entries = $state.raw<SloEntry[]>([]);
  operations = $state.raw<SloServiceOperations[]>([]);
  evaluation = $state.raw<SloEvaluationView | null>(null);
  /** The entry `evaluation` belongs to (a new selection keeps the old figures until the new arrive). */
  evaluatedId = $state<number | null>(null);
  derivation = $state.raw<SloDeriveView | null>(null);
  evaluating = $state(false);
  deriving = $state(false);
  error = $state<string | null>(null);
  /** What the last file import said (warnings, counts). */
  importNotes = $state.raw<string[]>([]);

  private ticket = 0;
  private shown = { version: -1, id: null as number | null };
  /** The workspace whose SLOs `entries` holds (Workspace.generation). */
  private loaded = -1;

  constructor(
    readonly ws: Workspace,
    private readonly nav: Navigation,
  ) {}

  /** Only the SLOs of this service are listed (the route's svc, set from the service map). */
  get serviceFilter(): string | null {
    return this.nav.params('slos').svc || null;
  }

  get listed(): SloEntry[] {
    const svc = this.serviceFilter;
    return svc === null ? this.entries : this.entries.filter((e) => e.definition.service === svc);
  }

  showAllServices(): void {
    this.nav.set('slos', { svc: null }, 'push');
  }

  /** The selected SLO's id, as the route says. */
  get selectedId(): number | null {
    return readInt(this.nav.params('slos').slo);
  }

  get selected(): SloEntry | null {
    const id = this.selectedId;
    return this.entries.find((e) => e.id === id) ?? null;
  }

  /** The screen shows, the data or the selection changed: fresh operations, fresh figures. */
  async sync(): Promise<void> {
    if (this.loaded !== this.ws.generation) {
      this.loaded = this.ws.generation;
      this.entries = await this.ws.engine.call('sloList');
    }
    const version = this.ws.version;
    const id = this.selectedId;
    if (version === this.shown.version && id === this.shown.id) return;
    const dataChanged = version !== this.shown.version;
    this.shown = { version, id };
    if (dataChanged) {
      try {
        this.operations = await this.ws.engine.call('sloOperations');
      } catch (e) {
        this.error = message(e);
      }
    }
    this.derivation = null;
    if (this.selected) await this.evaluate();
    else this.evaluation = null;
  }

  /** SLOs are kept in the workspace (saved with it); the first one added is selected. */
  async add(items: ImportedSloItem[]): Promise<void> {
    if (items.length === 0) return;
    const added = await this.ws.engine.call('sloAdd', items);
    this.entries = [...this.entries, ...added];
    this.ws.changed();
    if (added.length > 0) this.select(added[0].id);
  }

  async remove(id: number): Promise<void> {
    await this.ws.engine.call('sloRemove', id);
    this.entries = this.entries.filter((e) => e.id !== id);
    this.ws.changed();
    if (this.selectedId === id) this.nav.set('slos', { slo: null }, 'push');
  }

  /** The traces of the selected SLO's bad events in a window (an alert's episode, a chart's slice). */
  showBadTraces(fromNs: string, toNs: string): void {
    const entry = this.selected;
    if (!entry) return;
    this.nav.go('traces', { q: sloBadTraceTerms(entry.definition, fromNs, toNs).map((t) => formatTerm(t)).join(' ') });
  }

  /** The same for a range dragged on a chart (seconds since the epoch, to the µs). */
  showBadTracesSeconds(fromSec: number, toSec: number): void {
    const ns = (sec: number) => (BigInt(Math.round(sec * 1e6)) * 1000n).toString();
    this.showBadTraces(ns(Math.min(fromSec, toSec)), ns(Math.max(fromSec, toSec)));
  }

  /** Pick an SLO: a history entry. */
  select(id: number): void {
    this.nav.set('slos', { slo: String(id) }, 'push');
  }

  async evaluate(): Promise<void> {
    const entry = this.selected;
    if (!entry) return;
    const t = ++this.ticket;
    this.evaluating = true;
    this.error = null;
    try {
      const view = await this.ws.engine.call('sloEvaluate', entry.definition);
      if (t === this.ticket) {
        this.evaluation = view;
        this.evaluatedId = entry.id;
      }
    } catch (e) {
      if (t === this.ticket) {
        this.evaluation = null;
        this.error = message(e);
      }
    } finally {
      if (t === this.ticket) this.evaluating = false;
    }
  }

  /** Derive the budget tree under the selected SLO; `availability` (fraction) adds error budgets. */
  async derive(availability?: number): Promise<void> {
    const entry = this.selected;
    if (!entry) return;
    this.deriving = true;
    this.error = null;
    try {
      const view = await this.ws.engine.call('sloDerive', entry.definition, { availability });
      if (this.selected === entry) this.derivation = view;
    } catch (e) {
      this.error = message(e);
    } finally {
      this.deriving = false;
    }
  }

  async exportBudgets(): Promise<void> {
    const entry = this.selected;
    const tree = this.derivation?.tree;
    if (!entry || !tree) return;
    const d = entry.definition;
    await this.save(`${d.name}-budgets`, () => this.ws.engine.call('sloBudgetsYaml', tree, d));
  }

  async exportAll(format: 'openslo' | 'sloth' = 'openslo'): Promise<void> {
    if (this.entries.length === 0) return;
    const items: ImportedSloItem[] = this.entries.map(({ definition, warnings, source }) => ({ definition, warnings, ...(source ? { source } : {}) }));
    const name = format === 'sloth' ? 'slos.sloth.yaml' : 'slos.openslo.yaml';
    await this.save(name, () => this.ws.engine.call('sloExportYaml', items, format), true);
  }

  /** Files the user picks, each read as an OpenSLO or Sloth file. A big file picked by mistake is refused before it is read whole. */
  async importFiles(): Promise<void> {
    for (const f of await this.ws.host.pickFiles()) {
      const parts: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of f.chunks()) {
        size += chunk.length;
        if (size > MAX_SLO_FILE_BYTES) break;
        parts.push(chunk);
      }
      if (size > MAX_SLO_FILE_BYTES) {
        this.error = `${f.name}: larger than 2 MB, not an SLO file`;
        continue;
      }
      const all = new Uint8Array(size);
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      await this.importText(new TextDecoder().decode(all), f.name);
    }
  }

  /** Read an OpenSLO or Sloth file's text and add what it defines. */
  async importText(text: string, from: string): Promise<void> {
    this.error = null;
    try {
      const r = await this.ws.engine.call('sloImportYaml', text);
      const notes = [`${from}: ${r.items.length} SLO${r.items.length === 1 ? '' : 's'} read as ${r.format === 'sloth' ? 'Sloth prometheus/v1' : 'OpenSLO v1'}`];
      notes.push(...r.warnings, ...r.items.flatMap((it) => it.warnings.map((w) => `${it.definition.name}: ${w}`)));
      this.importNotes = notes;
      await this.add(r.items);
    } catch (e) {
      this.importNotes = [];
      this.error = `${from}: ${message(e)}`;
    }
  }

  private async save(name: string, make: () => Promise<string>, exact = false): Promise<void> {
    try {
      const text = await make();
      await this.ws.host.saveFile(exact ? name : yamlName(name), new TextEncoder().encode(text));
    } catch (e) {
      this.error = message(e);
    }
  }
}

const states = new WeakMap<Workspace, SloState>();

export function sloStateFor(ws: Workspace, nav: Navigation): SloState {
  let s = states.get(ws);
  if (!s) states.set(ws, (s = new SloState(ws, nav)));
  return s;
}

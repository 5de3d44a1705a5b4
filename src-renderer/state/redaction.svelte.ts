// Sharing a redacted workspace: the rules the user picks, the preview of what they replace, and
// the export. The work is the engine's (redactPreview, exportRedactedWorkspace); this keeps the
// answers. Rule text (keys, patterns) is one entry per line.

import type { Workspace } from './workspace.svelte.ts';
import type { RedactionChange, RuleId } from '../core/analysis/redact.ts';
import { patternProblem, type RedactionRules } from '../core/analysis/redact.ts';
import { perWorkspace } from './per-workspace.svelte.ts';

export interface PreviewView {
  counts: Partial<Record<RuleId, number>>;
  cells: number;
  samples: RedactionChange[];
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

export class RedactionState {
  emails = $state(true);
  ips = $state(true);
  secrets = $state(true);
  userIds = $state(true);
  keysText = $state('');
  patternsText = $state('');
  preview = $state.raw<PreviewView | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  /** Problems of the custom patterns, before anything runs. */
  patternErrors = $derived(lines(this.patternsText).map((p) => [p, patternProblem(p)] as const).filter(([, why]) => why !== null));

  constructor(readonly ws: Workspace) {}

  rules(): RedactionRules {
    return { emails: this.emails, ips: this.ips, secrets: this.secrets, userIds: this.userIds, keys: lines(this.keysText), patterns: lines(this.patternsText) };
  }

  async showPreview(): Promise<void> {
    if (this.patternErrors.length > 0) return;
    this.busy = true;
    try {
      this.preview = await this.ws.engine.call('redactPreview', this.rules());
      this.error = null;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }

  /** The redacted workspace (SQLite, opens in Tracedeck) or the redacted traces as OTLP/JSON lines (opens in any OTLP reader). */
  async exportRedacted(as: 'workspace' | 'otlp' = 'workspace'): Promise<void> {
    if (this.patternErrors.length > 0) return;
    this.busy = true;
    try {
      if (as === 'otlp') {
        const text = await this.ws.engine.call('exportRedactedOtlp', this.rules());
        await this.ws.host.saveFile('traces.redacted.otlp.jsonl', new TextEncoder().encode(text));
      } else {
        const bytes = await this.ws.engine.call('exportRedactedWorkspace', this.rules());
        await this.ws.host.saveFile('workspace.redacted.tracedeck.sqlite', bytes);
      }
      this.error = null;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.busy = false;
    }
  }
}

export const redactionFor = perWorkspace((ws) => new RedactionState(ws));

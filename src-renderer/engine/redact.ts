// Redacted copies of the workspace for sharing. The loaded workspace is never changed: a copy is
// opened from its bytes, its text redacted (store/redact.ts with core/analysis/redact.ts's rules
// and a fresh key), and exported. The preview runs the same on a copy and reports what changed.

import { Store } from '../store/store.ts';
import { redactStore } from '../store/redact.ts';
import { Redactor, type RedactionRules, type RedactionChange, type RuleId } from '../core/analysis/redact.ts';
import { exportResources, eachExportChunk } from '../store/otlp-export.ts';
import { otlpTraceRequest } from '../core/analysis/otlp-json-export.ts';

export interface RedactionPreview {
  /** Distinct values replaced, per rule. */
  counts: Partial<Record<RuleId, number>>;
  /** Cells (a span's attributes, a log message, …) that change. */
  cells: number;
  /** Up to `limit` of the distinct values replaced, with the pseudonym each gets in this run. */
  samples: RedactionChange[];
}

function redactedCopy(store: Store, rules: RedactionRules, key?: Uint8Array): { copy: Store; redactor: Redactor; cells: number } {
  const redactor = new Redactor(rules, key ? { key } : {});
  const copy = Store.create(store.sql, store.export());
  try {
    const cells = redactStore(copy, redactor);
    return { copy, redactor, cells };
  } catch (e) {
    copy.close();
    throw e;
  }
}

export function redactionPreview(store: Store, rules: RedactionRules, limit = 200): RedactionPreview {
  const { copy, redactor, cells } = redactedCopy(store, rules);
  copy.close();
  return { counts: Object.fromEntries(redactor.counts), cells, samples: [...redactor.changes.values()].slice(0, limit) };
}

/** Traces per line of the OTLP/JSON export: one ExportTraceServiceRequest a line, as collectors' file exporters write them. */
const OTLP_TRACES_PER_LINE = 200;

/** The traces with their text redacted, as OTLP/JSON lines (one ExportTraceServiceRequest each). */
export function redactedOtlp(store: Store, rules: RedactionRules, key?: Uint8Array): string {
  const { copy } = redactedCopy(store, rules, key);
  try {
    const resources = exportResources(copy);
    const lines: string[] = [];
    eachExportChunk(copy, OTLP_TRACES_PER_LINE, (spans) => lines.push(JSON.stringify(otlpTraceRequest(spans, resources))));
    return lines.length > 0 ? lines.join('\n') + '\n' : '';
  } finally {
    copy.close();
  }
}

/** The workspace with its text redacted, as a saved workspace file (SQLite). */
export function redactedWorkspace(store: Store, rules: RedactionRules, key?: Uint8Array): Uint8Array {
  const { copy } = redactedCopy(store, rules, key);
  try {
    return copy.export();
  } finally {
    copy.close();
  }
}

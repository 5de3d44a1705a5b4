// Redacted copies of the workspace for sharing. The loaded workspace is never changed: a copy is
// opened from its bytes, its text redacted (store/redact.ts with core/analysis/redact.ts's rules
// and a fresh key), and exported. The preview runs the same on a copy and reports what changed.

import { Store } from '../store/store.ts';
import { redactStore } from '../store/redact.ts';
import { Redactor, type RedactionRules, type RedactionChange, type RuleId } from '../core/analysis/redact.ts';

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

/** The workspace with its text redacted, as a saved workspace file (SQLite). */
export function redactedWorkspace(store: Store, rules: RedactionRules, key?: Uint8Array): Uint8Array {
  const { copy } = redactedCopy(store, rules, key);
  try {
    return copy.export();
  } finally {
    copy.close();
  }
}

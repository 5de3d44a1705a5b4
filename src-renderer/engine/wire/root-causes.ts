// The root causes request's question and reply (engine/root-causes.ts).
import type { RootCauseGroup } from '../../core/analysis/root-causes.ts';

/** Which failing requests: every trace's root, or the entry spans of one operation of a node; optionally in a time window. */
export interface RootCauseFilter {
  service?: string;
  operation?: string;
  /** Epoch ns, decimal text: traces starting in [fromNs, toNs]. */
  fromNs?: string;
  toNs?: string;
}

export interface RootCausesView {
  filter: RootCauseFilter;
  /** Failing requests (entry spans in error) in the cohort. */
  failing: number;
  groups: RootCauseGroup[];
  timingsMs: number;
}

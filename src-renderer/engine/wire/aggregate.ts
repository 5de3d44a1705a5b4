// Requests and replies of the cross-trace analyses (aggregate critical path, cohort diff,
// attribute comparison, trace compare) as they cross between the engine worker and the UI thread.
// Durations and sums are numbers of ns (integers where they are sums of critical-path sections);
// absolute times are decimal strings of epoch ns.

import type { Cohort } from '../../core/analysis/cohort.ts';
import type { CohortAggregate, CohortDiff } from '../../core/analysis/aggregate.ts';

/** An entry operation: its node (service) and operation; a null operation takes each trace's first span of the service. */
export interface EntryOperation {
  service: string;
  operation: string | null;
}

export interface AggregateRequest {
  entry: EntryOperation;
  cohort: Cohort;
  /** A second cohort to compare with (the diff); none for a single aggregate. */
  vs?: Cohort | null;
}

export interface CohortResult extends CohortAggregate {
  cohort: Cohort;
}

export interface AggregateReply {
  entry: EntryOperation;
  /** Requests of the entry operation in the workspace (both cohorts are drawn from these). */
  requests: number;
  a: CohortResult;
  b: CohortResult | null;
  diff: CohortDiff | null;
  timingsMs: { select: number; read: number; compute: number };
}

/** Where a running aggregate is: `done` of `total` traces read; the reply once all are. */
export interface AggregateProgress {
  job: number;
  done: number;
  total: number;
  reply: AggregateReply | null;
}

/** An entry operation as the Across traces screen offers it: how many traces start with it. */
export interface EntryChoice {
  service: string;
  operation: string;
  traces: number;
}

// Requests and replies of the cross-trace analyses (aggregate critical path, cohort diff,
// attribute comparison, trace compare) as they cross between the engine worker and the UI thread.
// Durations and sums are numbers of ns (integers where they are sums of critical-path sections);
// absolute times are decimal strings of epoch ns.

import type { Cohort } from '../../core/analysis/cohort.ts';
import type { CohortAggregate, CohortDiff } from '../../core/analysis/aggregate.ts';
import type { TraceComparison } from '../../core/analysis/trace-compare.ts';
import type { BubbleUpRow } from '../../core/analysis/bubble-up.ts';

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

/** One side of a trace comparison. */
export interface ComparedTrace {
  traceId: string;
  /** Epoch ns of its earliest span (decimal text). */
  startNs: string;
  durationNs: number;
  spans: number;
  rootService: string;
  rootName: string;
}

export interface TraceCompareReply {
  a: ComparedTrace;
  b: ComparedTrace;
  comparison: TraceComparison;
}

/** Attribute values over-represented in a cohort against its baseline (the rest, or `vs`). */
export interface BubbleUpReply {
  requests: number;
  /** Traces of each side, and how many of them were read (an even sample). */
  cohort: { traces: number; sampled: number };
  baseline: { traces: number; sampled: number };
  rows: BubbleUpRow[];
  timingsMs: number;
}

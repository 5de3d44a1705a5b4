// The who-to-page request's question and replies (engine/page.ts).
import type { PageRow } from '../../core/analysis/page.ts';

export type { PageRow } from '../../core/analysis/page.ts';

/** A window of traces by start (epoch ns, decimal text); without both ends, all of the data and no comparison. */
export interface PageRequest {
  fromNs?: string;
  toNs?: string;
}

export interface PageView {
  fromNs: string;
  toNs: string;
  /** Start of the window before (as long as this one, ending where it starts); null without a window. */
  beforeFromNs: string | null;
  /** Failing requests in the window. */
  failing: number;
  rows: PageRow[];
  timingsMs: number;
}

// The analysis commands of the command line (critical path, error path, SLOs). Each gets its own
// arguments and a loader that turns input paths into a store.

import type { Store } from '../../store/store.ts';
import type { ImportOptions } from '../../core/import/types.ts';

export interface CommandIo {
  out(s: string): void;
  err(s: string): void;
}

export type LoadStore = (paths: string[], options?: ImportOptions) => Promise<Store>;

export interface Command {
  /** "critical-path", or "slo eval" for a subcommand. */
  name: string;
  usage: string;
  run(argv: string[], io: CommandIo, load: LoadStore): Promise<number>;
}

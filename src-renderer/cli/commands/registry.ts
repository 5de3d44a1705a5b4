// The analysis commands of the command line (critical path, error path, SLOs). Each gets its own
// arguments and a loader that turns input paths into an engine over them; a command asks that
// engine the same requests the app asks (engine/engine-core.ts) and only formats the replies.

import type { EngineClient } from '../../engine/client.ts';
import type { ImportOptions } from '../../core/import/types.ts';

export interface CommandIo {
  out(s: string): void;
  err(s: string): void;
}

export type LoadEngine = (paths: string[], options?: ImportOptions) => Promise<EngineClient>;

export interface Command {
  /** "critical-path", or "slo eval" for a subcommand. */
  name: string;
  usage: string;
  run(argv: string[], io: CommandIo, load: LoadEngine): Promise<number>;
}

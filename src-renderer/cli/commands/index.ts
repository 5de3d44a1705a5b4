// Every analysis command of the command line. main.ts dispatches to these by name.
import type { Command } from './registry.ts';
import { criticalPathCommand } from './critical-path.ts';
import { errorPathCommand } from './error-path.ts';
import { errorOriginsCommand } from './error-origins.ts';
import { rootCausesCommand } from './root-causes.ts';
import { SLO_COMMANDS } from './slo.ts';
import { tracesCommand } from './search-traces.ts';
import { serviceMapCommand } from './service-map.ts';
import { aggregateCommand } from './aggregate.ts';
import { compareCommand } from './compare.ts';
import { notesCommand } from './notes.ts';
import { ownersCommand } from './owners.ts';
import { reportCommand } from './report.ts';
import { redactCommand } from './redact.ts';

export const COMMANDS: readonly Command[] = [tracesCommand, serviceMapCommand, criticalPathCommand, errorPathCommand, aggregateCommand, compareCommand, errorOriginsCommand, rootCausesCommand, ownersCommand, reportCommand, redactCommand, ...SLO_COMMANDS, notesCommand];

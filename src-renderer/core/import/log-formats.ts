// The log formats detect.ts chooses among (issue: logs). Each entry is a FormatDef.
import type { FormatDef } from './types.ts';

export const LOG_FORMATS: FormatDef[] = [];

// The trace formats detect.ts chooses among. Each entry is a FormatDef.
import type { FormatDef } from './types.ts';
import { OTLP_JSON } from './otlp-json.ts';

export const TRACE_FORMATS: FormatDef[] = [OTLP_JSON];

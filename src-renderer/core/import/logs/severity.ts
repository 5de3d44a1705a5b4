// Severity as written to the six canonical levels. Names cover syslog, log4j/logback, java.util.
// logging, Python, Go (zap, logrus, klog), .NET (Serilog), PostgreSQL and single letters (glog,
// Android). Numbers depend on the scale the field uses: bunyan/pino 10..60, syslog 0..7 (journald
// PRIORITY, PRI % 8), OTel severityNumber 1..24. Unknown names give null; the text is kept.

import type { Severity } from '../../model/log.ts';
import { severityFromNumber } from '../../model/log.ts';

// No prototype: a level or kind read from a file may be "constructor" or "__proto__".
const NAMES: Record<string, Severity> = Object.setPrototypeOf({
  trace: 'trace', trc: 'trace', finest: 'trace', finer: 'trace', verbose: 'trace', vrb: 'trace', t: 'trace', v: 'trace',
  debug: 'debug', dbg: 'debug', fine: 'debug', config: 'debug', d: 'debug', debug1: 'debug', debug2: 'debug', debug3: 'debug',
  debug4: 'debug', debug5: 'debug', trace1: 'trace', trace2: 'trace', trace3: 'trace', trace4: 'trace', trace5: 'trace',
  trace6: 'trace', trace7: 'trace', trace8: 'trace',
  info: 'info', information: 'info', informational: 'info', notice: 'info', inf: 'info', i: 'info', log: 'info', stats: 'info',
  statement: 'info', detail: 'info', hint: 'info', context: 'info',
  warn: 'warn', warning: 'warn', wrn: 'warn', w: 'warn',
  error: 'error', err: 'error', eror: 'error', severe: 'error', e: 'error', fail: 'error', failure: 'error',
  crit: 'fatal', critical: 'fatal', alert: 'fatal', emerg: 'fatal', emergency: 'fatal', fatal: 'fatal', panic: 'fatal',
  dpanic: 'fatal', ftl: 'fatal', f: 'fatal', c: 'fatal', a: 'fatal', assert: 'fatal', pnc: 'fatal',
}, null);

/** A level name ("WARNING", "Information", "E") to a severity, or null. */
export function severityFromText(text: string): Severity | null {
  const t = text.trim().toLowerCase();
  return NAMES[t] ?? null;
}

/** Is `word` a level name? Used by text formats to find the level among the first words. */
export function isLevelWord(word: string): boolean {
  return word.length <= 13 && NAMES[word.toLowerCase()] !== undefined && word.length > 1;
}

/** Syslog severity 0 (emerg) .. 7 (debug). */
export function severityFromSyslog(n: number): Severity | null {
  if (!Number.isInteger(n) || n < 0 || n > 7) return null;
  return (['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'] as const)[n];
}

/** bunyan / pino: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal (values between round down). */
export function severityFromBunyan(n: number): Severity | null {
  if (!(n >= 10)) return null;
  if (n >= 60) return 'fatal';
  return (['trace', 'debug', 'info', 'warn', 'error'] as const)[Math.floor(n / 10) - 1];
}

export type NumberScale = 'bunyan' | 'syslog' | 'otel';

/** A numeric level on a known scale. */
export function severityFromLevelNumber(n: number, scale: NumberScale): Severity | null {
  if (scale === 'syslog') return severityFromSyslog(n);
  if (scale === 'otel') return severityFromNumber(n);
  return severityFromBunyan(n);
}

// Display helpers of the log screen: severity fills and attribute JSON shown pretty-printed
// with 64-bit integers exactly as stored.
import { parseExact } from '../../core/base/json.ts';

/** Bar fills of the volume chart: CSS variables of the palette, so they follow the theme. */
export const SEVERITY_FILLS: Record<string, string> = {
  trace: '--sev-fill-trace',
  debug: '--sev-fill-debug',
  info: '--sev-fill-info',
  warn: '--sev-fill-warn',
  error: '--sev-fill-error',
  fatal: '--sev-fill-fatal',
  unknown: '--sev-fill-unknown',
};

const BIG = '\u0000big:';

/** Indented JSON of stored attribute text; integers past 2^53 keep every digit. */
export function prettyJson(text: string | null): string {
  if (text === null || text === '') return '';
  let value: unknown;
  try {
    value = parseExact(text);
  } catch {
    return text; // not JSON after all: show it as it is
  }
  const marked = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? BIG + v.toString() : v), 2);
  return marked.replace(/"\\u0000big:(-?[0-9]+)"/g, '$1');
}

/** A message as one line: line breaks shown as ⏎ so a row never grows. */
export function oneLine(message: string): string {
  return message.replace(/\r?\n/g, ' ⏎ ');
}

// The one dispatcher: picks the reader for a source by its content. The file name is only a
// hint (detectors may use it to break ties); a forced format id skips detection.

import type { FormatDef } from './types.ts';
import { TRACE_FORMATS } from './trace-formats.ts';
import { LOG_FORMATS } from './log-formats.ts';
import { CATALOG_FORMATS } from './catalog-formats.ts';
import { isBinaryHead } from './logs/text-source.ts';

export const FORMATS: readonly FormatDef[] = [...TRACE_FORMATS, ...LOG_FORMATS, ...CATALOG_FORMATS];

/** Bytes looked at to detect a format. */
export const DETECT_BYTES = 64 * 1024;

export function supportedFormatsText(): string {
  return FORMATS.map((f) => f.label).join(', ');
}

export type Detection = { ok: true; format: FormatDef; score: number } | { ok: false; message: string };

export function detectFormat(head: Uint8Array, fileName: string, forced?: string): Detection {
  if (forced) {
    const f = FORMATS.find((x) => x.id === forced);
    return f ? { ok: true, format: f, score: 1 } : { ok: false, message: `unknown format "${forced}"; known: ${FORMATS.map((x) => x.id).join(', ')}` };
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  let best: FormatDef | null = null;
  let bestScore = 0;
  for (const f of FORMATS) {
    let score = 0;
    try {
      score = f.detect(head, text, fileName);
    } catch {
      score = 0;
    }
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  if (best && bestScore >= 0.2) return { ok: true, format: best, score: bestScore };
  const what = isBinaryHead(head) ? 'binary content (NUL bytes or bytes that are not UTF-8 in its first kilobytes), ' : '';
  return { ok: false, message: `${what}not a supported trace, log or catalog format (supported: ${supportedFormatsText()})` };
}

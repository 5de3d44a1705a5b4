// "Nothing dropped" for line-based log sources: every line of a file is a record, a continuation
// of one, rejected, blank or skipped on purpose, and the reader's tally says so.

import { expect } from 'vitest';
import type { ReadResult } from './logs-harness.ts';
import { sniffEncoding } from '../../src-renderer/core/import/logs/text-source.ts';

/** Physical lines of a text file as the readers count them (a last line without a newline counts). */
export function physicalLines(bytes: Uint8Array): number {
  const { encoding, bom } = sniffEncoding(bytes);
  const text = new TextDecoder(encoding).decode(bytes.subarray(bom));
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
}

/**
 * Nothing dropped: every line of the source is a record, a continuation, rejected, blank or skipped,
 * and the reader counted the lines the file has. With `wellFormed`, nothing is rejected either.
 */
export function expectEveryLineAccounted(r: ReadResult, lines: number, wellFormed = true): void {
  const t = r.tally;
  expect(t.lines).toBe(lines);
  expect(r.logs.length + t.continuations + r.rejected.length + t.blank + t.skipped).toBe(t.lines);
  if (wellFormed) expect(r.rejected).toEqual([]);
}

// Test helper for the log importer tests: detect a file's format the way the app does
// (core/import/detect.ts), read it with the format's streaming reader in small chunks, and either
// collect the records or write them into a real Store.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { detectFormat, DETECT_BYTES } from '../../src-renderer/core/import/detect.ts';
import type { ImportSink, SourceReport, SourceTally } from '../../src-renderer/core/import/types.ts';
import type { LogImportOptions } from '../../src-renderer/core/import/logs/reader.ts';
import type { LogRecord } from '../../src-renderer/core/model/log.ts';
import type { Span, Finding } from '../../src-renderer/core/model/trace.ts';
import type { Store } from '../../src-renderer/store/store.ts';

export interface ReadResult {
  format: string;
  kind: string;
  logs: LogRecord[];
  spans: Span[];
  rejected: Array<{ line?: number; message: string }>;
  findings: Finding[];
  /** The counts the reader reported (ImportSink.tally), summed. */
  tally: SourceTally;
  notes: string[];
}

/** Read bytes through detection and the chosen reader, in chunks of `chunk` bytes. */
export function readBytes(bytes: Uint8Array, name: string, options: LogImportOptions = {}, chunk = 4096): ReadResult {
  const out: ReadResult = {
    format: '', kind: '', logs: [], spans: [], rejected: [], findings: [], tally: { lines: 0, continuations: 0, blank: 0, skipped: 0 }, notes: [],
  };
  if (bytes.length === 0) {
    out.format = 'empty'; // as the import job does: an empty file is an empty source
    return out;
  }
  const det = detectFormat(bytes.subarray(0, DETECT_BYTES), name, options.format);
  if (!det.ok) throw new Error(det.message);
  out.format = det.format.id;
  out.kind = det.format.kind;
  const sink: ImportSink = {
    spans: (b) => out.spans.push(...b),
    logs: (b) => out.logs.push(...b),
    reject: (where, message) => out.rejected.push({ line: where.line, message }),
    finding: (f) => out.findings.push(f),
    catalog: () => {
      throw new Error(`${name}: a log reader handed on catalog entries`);
    },
    tally: (c, note) => {
      out.tally.lines += c.lines ?? 0;
      out.tally.continuations += c.continuations ?? 0;
      out.tally.blank += c.blank ?? 0;
      out.tally.skipped += c.skipped ?? 0;
      if (note !== undefined && !out.notes.includes(note)) out.notes.push(note);
    },
  };
  const reader = det.format.create({ fileName: name, sink, options });
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
  reader.end();
  return out;
}

export function readFile(path: string, options: LogImportOptions = {}, chunk = 4096): ReadResult {
  return readBytes(new Uint8Array(readFileSync(path)), basename(path), options, chunk);
}

/** Import a file into the store as one source, as the import job does. */
export function importInto(store: Store, path: string, options: LogImportOptions = {}): { report: SourceReport; fileId: number; result: ReadResult } {
  const result = readFile(path, options);
  const fileId = store.beginFile(basename(path), null);
  if (result.spans.length > 0) store.addSpans(result.spans);
  if (result.logs.length > 0) store.addLogs(result.logs);
  if (result.findings.length > 0) store.addFindings(result.findings);
  const report = store.finishFile({ format: result.format, kind: result.kind, rejected: result.rejected.length, errors: result.rejected.map((r) => r.message) });
  return { report, fileId, result };
}

/** readFile for the files of one folder, each read once per test file. */
export function folderReader(dir: string, options: LogImportOptions = {}): (file: string) => ReadResult {
  const cache = new Map<string, ReadResult>();
  return (file) => {
    let r = cache.get(file);
    if (!r) cache.set(file, (r = readFile(dir + file, options)));
    return r;
  };
}

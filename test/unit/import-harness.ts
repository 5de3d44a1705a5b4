// Test harness for the trace importers: detects and imports bytes through the real FormatReader
// with a collecting sink, and computes the structural findings per trace the way Store.finishFile
// does, so a dump holds everything an import produced.

import { readFileSync } from 'node:fs';
import { detectFormat, DETECT_BYTES } from '../../src-renderer/core/import/detect.ts';
import type { CatalogEntry } from '../../src-renderer/core/model/catalog.ts';
import type { ImportSink, SourceTally } from '../../src-renderer/core/import/types.ts';
import type { Finding, Span } from '../../src-renderer/core/model/trace.ts';
import type { LogRecord } from '../../src-renderer/core/model/log.ts';
import { InputError } from '../../src-renderer/core/base/result.ts';
import { findStructureProblems, type StructSpan } from '../../src-renderer/core/analysis/structure.ts';
import { dumpSpans } from '../../src-renderer/core/import/trace-dump.ts';

export { CORPUS } from '../corpus.ts';

export interface Collected {
  format: string | null;
  detectMessage: string | null;
  spans: Span[];
  logs: LogRecord[];
  rejects: { line?: number; offset?: number; message: string }[];
  findings: Finding[];
  error: InputError | null;
  /** What the reader tallied (ImportSink.tally), and its notes as given. */
  tallied: SourceTally;
  notes: string[];
}

export class CollectingSink implements ImportSink {
  spansOut: Span[] = [];
  logsOut: LogRecord[] = [];
  rejects: Collected['rejects'] = [];
  findings: Finding[] = [];
  spans(batch: Span[]): void {
    this.spansOut.push(...batch);
  }
  logs(batch: LogRecord[]): void {
    this.logsOut.push(...batch);
  }
  catalogOut: CatalogEntry[] = [];
  catalog(entries: CatalogEntry[]): void {
    this.catalogOut.push(...entries);
  }
  reject(where: { line?: number; offset?: number }, message: string): void {
    this.rejects.push({ ...where, message });
  }
  finding(f: Finding): void {
    this.findings.push(f);
  }
  tally(counts: Partial<SourceTally>, note?: string): void {
    for (const k of ['lines', 'continuations', 'blank', 'skipped'] as const) this.tallied[k] += counts[k] ?? 0;
    if (note !== undefined && !this.notes.includes(note)) this.notes.push(note); // as SourceReader: one note per text
  }
  tallied: SourceTally = { lines: 0, continuations: 0, blank: 0, skipped: 0 };
  notes: string[] = [];
}

/** Import bytes as the engine does (detect by content, then push chunks); `chunk` splits the input. */
export function importBytes(bytes: Uint8Array, fileName: string, chunk = 64 * 1024, forced?: string): Collected {
  const det = detectFormat(bytes.subarray(0, DETECT_BYTES), fileName, forced);
  const sink = new CollectingSink();
  const out: Collected = {
    format: null, detectMessage: null, spans: sink.spansOut, logs: sink.logsOut, rejects: sink.rejects, findings: sink.findings, error: null,
    tallied: sink.tallied, notes: sink.notes,
  };
  if (!det.ok) {
    out.detectMessage = det.message;
    return out;
  }
  out.format = det.format.id;
  const reader = det.format.create({ fileName, sink });
  try {
    for (let o = 0; o < bytes.length; o += chunk) reader.push(bytes.subarray(o, Math.min(bytes.length, o + chunk)));
    reader.end();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    out.error = e;
  }
  return out;
}

export function importFile(path: string, name = path, chunk?: number): Collected {
  return importBytes(new Uint8Array(readFileSync(path)), name, chunk);
}

/** Structural findings per trace, computed as Store.finishFile does (offsets from the trace's first start). */
export function structureFindings(spans: readonly Span[]): Finding[] {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) {
    let l = byTrace.get(s.traceId);
    if (!l) byTrace.set(s.traceId, (l = []));
    l.push(s);
  }
  const out: Finding[] = [];
  for (const [traceId, list] of byTrace) {
    const base = list.reduce((m, s) => (s.startNs < m ? s.startNs : m), list[0].startNs);
    const st: StructSpan[] = list.map((s) => ({
      spanId: s.spanId, parentSpanId: s.parentSpanId, start: Number(s.startNs - base), duration: s.durationNs, service: s.service, kind: s.kind,
      parentRef: s.parentRef,
    }));
    out.push(...findStructureProblems(traceId, st));
  }
  return out;
}

export function dumpImport(c: Collected, raw = true): string {
  const rejects = c.rejects.map((r) => `rejected ${r.line !== undefined ? `line ${r.line}` : `byte ${r.offset}`}: ${r.message}`).sort();
  const head = [`format ${c.format}`, `spans ${c.spans.length} traces ${new Set(c.spans.map((s) => s.traceId)).size} logs ${c.logs.length}`];
  if (c.error) head.push(`error ${c.error.describe()}`);
  return [...head, ...rejects, dumpSpans(c.spans, [...c.findings, ...structureFindings(c.spans)], { raw })].join('\n');
}

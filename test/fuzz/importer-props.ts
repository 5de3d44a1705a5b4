// Property-based tests of every importer (FORMATS in core/import/detect.ts, so a format added
// later is covered without touching this file) and of the id and time parsers. Inputs are random
// bytes, random text, random JSON, and mutations of the real files under test/fixtures (flipped,
// cut, repeated and inserted bytes; hostile tokens spliced in). For every input each importer
// must: throw nothing but an InputError (which names the file and where); emit only well-formed
// canonical records; finish in bounded time; and, run through the engine's reader into a real
// store, report exactly what it kept and rejected.
//
// The unit suite runs a few hundred cases per importer with a fixed seed; `npm run fuzz` runs
// ten thousand with a fresh seed it prints (FUZZ_SEED=… reproduces a run).

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FORMATS, detectFormat, DETECT_BYTES } from '../../src-renderer/core/import/detect.ts';
import type { FormatDef, SourceReport } from '../../src-renderer/core/import/types.ts';
import { SPAN_KINDS, type Span } from '../../src-renderer/core/model/trace.ts';
import { SEVERITIES, type LogRecord } from '../../src-renderer/core/model/log.ts';
import { InputError } from '../../src-renderer/core/base/result.ts';
import { CollectingSink } from '../unit/import-harness.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { StoreIngest } from '../../src-renderer/engine/import-job.ts';
import { ImportReader } from '../../src-renderer/engine/import-reader.ts';
import { isFramedZstd, isZstd } from '../../src-renderer/engine/zstd-streams.ts';
import type { SqlJsStatic } from 'sql.js';
import { concat } from '../fixtures/hostile/hostile-set.ts';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
/** Bytes of a seed file kept: mutations of a small file exercise the same code faster. */
const SEED_BYTES = 24 * 1024;
/**
 * A case that takes longer than this, plus PUSH_BUDGET_MS per chunk pushed, is reported as a hang
 * (inputs are at most ~100 KB; cut into 1-byte chunks they take tens of thousands of pushes, and
 * the machine may be busy: the budget catches loops and blow-ups, not slowness).
 */
export const CASE_BUDGET_MS = 20_000;
const PUSH_BUDGET_MS = 1;

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules') continue; // a fixture generator's own install (test/fixtures/otel-sdk)
    if (statSync(p).isDirectory()) walk(p, out);
    else if (!/(LICENSE|NOTICE|\.md|\.txt|\.ya?ml|\.sh|\.mjs|\.ts|\.go)$/i.test(name)) out.push(p);
  }
  return out;
}

let seedCache: Map<string, Uint8Array[]> | null = null;

/** Real files under test/fixtures, grouped by the format they are detected as ('' for the rest). */
export function seedFiles(): Map<string, Uint8Array[]> {
  if (seedCache) return seedCache;
  const byFormat = new Map<string, Uint8Array[]>();
  for (const path of walk(FIXTURES, []).sort()) {
    const all = new Uint8Array(readFileSync(path));
    const det = detectFormat(all.subarray(0, DETECT_BYTES), path);
    const id = det.ok ? det.format.id : '';
    let list = byFormat.get(id);
    if (!list) byFormat.set(id, (list = []));
    list.push(all.slice(0, SEED_BYTES));
  }
  seedCache = byFormat;
  return byFormat;
}

/** Tokens that break parsers when spliced in anywhere. */
const HOSTILE_TOKENS = [
  '{', '}', '[', ']', '"', '\\', ',', ':', '\n', '\r\n', '\u0000', 'null', 'true', '-', '1e999', '-0', 'NaN',
  '99999999999999999999999999', '-9223372036854775809', '18446744073709551616', '1.5', '0x1f',
  '"traceId":"', '"spanId":"', '"parentSpanId":"0000000000000000"', '"startTimeUnixNano":"-1"', '"endTimeUnixNano":"0"',
  '"timestamp":253402300799999999', '"duration":-5', '"__proto__":{"x":1}', '"constructor":{}', '"toString":1',
  '<script>window.__pwned=1</script>', '\u202e', '\u200b', '\ud800', '\uffff', '\u00ff', '\ufeff',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', '{"a":{"a":{"a":{"a":{"a":{"a":{"a":', '"'.repeat(7),
  '2026-12-06T20:29:06.849Z', '9999-12-31T23:59:59.999999999Z', '0000-01-01T00:00:00Z', '1970-01-01 00:00:00',
  'traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'trace_id=', 'level=error ', '\t', ' at com.x.Y(Y.java:1)',
];

const encoder = new TextEncoder();

type Mutation =
  | { op: 'flip'; at: number; value: number }
  | { op: 'cut'; at: number; len: number }
  | { op: 'repeat'; at: number; len: number; times: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'truncate'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 1, max: 20 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.oneof(fc.constantFrom(...HOSTILE_TOKENS).map((t) => encoder.encode(t)), fc.uint8Array({ minLength: 1, maxLength: 16 })),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function applyMutation(b: Uint8Array, m: Mutation): Uint8Array {
  if (b.length === 0) return m.op === 'insert' ? m.bytes : b;
  const at = m.at % (b.length + 1);
  switch (m.op) {
    case 'flip': {
      if (at === b.length) return b;
      const out = b.slice();
      out[at] = m.value;
      return out;
    }
    case 'cut':
      return concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + m.len))]);
    case 'repeat': {
      const piece = b.subarray(at, Math.min(b.length, at + m.len));
      return concat([b.subarray(0, at), ...Array<Uint8Array>(m.times).fill(piece), b.subarray(at)]);
    }
    case 'insert':
      return concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    case 'truncate':
      return b.subarray(0, at);
  }
}


/** Inputs for one format: mostly mutated real files (its own first), some random bytes, text and JSON. */
export function inputArb(format: FormatDef): fc.Arbitrary<Uint8Array> {
  const seeds = seedFiles();
  const own = seeds.get(format.id) ?? [];
  const all = [...seeds.values()].flat();
  const mutated = (pool: Uint8Array[]) =>
    fc.tuple(fc.constantFrom(...pool), fc.array(mutationArb, { minLength: 1, maxLength: 8 })).map(([seed, ms]) => ms.reduce(applyMutation, seed));
  const jsonText = fc.jsonValue({ depthSize: 'medium' }).map((v) => encoder.encode(JSON.stringify(v)));
  const jsonLines = fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 20 }).map((vs) => encoder.encode(vs.map((v) => JSON.stringify(v)).join('\n')));
  const text = fc.string({ unit: 'binary', maxLength: 2000 }).map((s) => encoder.encode(s));
  const lines = fc.array(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), { maxLength: 40 }).map((ls) => encoder.encode(ls.join('\n')));
  const arbs: Array<{ weight: number; arbitrary: fc.Arbitrary<Uint8Array> }> = [
    { weight: 4, arbitrary: mutated(all) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }) },
    { weight: 1, arbitrary: text },
    { weight: 1, arbitrary: lines },
    { weight: 1, arbitrary: jsonText },
    { weight: 1, arbitrary: jsonLines },
  ];
  if (own.length > 0) arbs.push({ weight: 6, arbitrary: mutated(own) });
  return fc.oneof(...arbs);
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isEpochNs(v: unknown): boolean {
  return typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX;
}

/** What is wrong with a span as the store and the analyses expect it, or null. */
export function spanProblem(s: Span): string | null {
  if (!HEX32.test(s.traceId) || /^0+$/.test(s.traceId)) return `trace id ${JSON.stringify(s.traceId)}`;
  if (!HEX16.test(s.spanId) || /^0+$/.test(s.spanId)) return `span id ${JSON.stringify(s.spanId)}`;
  if (s.parentSpanId !== null && !HEX16.test(s.parentSpanId)) return `parent id ${JSON.stringify(s.parentSpanId)}`;
  if (s.parentRef !== 'child_of' && s.parentRef !== 'follows_from') return `parentRef ${String(s.parentRef)}`;
  if (typeof s.name !== 'string' || typeof s.service !== 'string' || s.service === '') return 'name or service not text';
  if (!SPAN_KINDS.includes(s.kind)) return `kind ${String(s.kind)}`;
  if (!['unset', 'ok', 'error'].includes(s.status)) return `status ${String(s.status)}`;
  if (typeof s.statusMessage !== 'string') return 'status message not text';
  if (!isEpochNs(s.startNs)) return `start ${String(s.startNs)} is not a 64-bit integer of ns`;
  // Past 2^53 ns (104 days) a duration is no longer exact, but it is still a whole number.
  if (typeof s.durationNs !== 'number' || !Number.isInteger(s.durationNs) || s.durationNs < 0) return `duration ${String(s.durationNs)}`;
  if (!isEpochNs(s.startNs + BigInt(s.durationNs))) return 'end past 64 bits';
  if (typeof s.attributes !== 'object' || s.attributes === null || Array.isArray(s.attributes)) return 'attributes not an object';
  if (typeof s.scope?.name !== 'string' || typeof s.scope?.version !== 'string') return 'scope';
  if (typeof s.resource?.attributes !== 'object' || s.resource.attributes === null) return 'resource';
  for (const e of s.events) if (!isEpochNs(e.timeNs) || typeof e.name !== 'string') return `event ${String(e.timeNs)} ${typeof e.name}`;
  for (const l of s.links) if (!HEX32.test(l.traceId) || !HEX16.test(l.spanId)) return `link ${l.traceId}/${l.spanId}`;
  return null;
}

/** `hasLines`: the format reads lines (OTLP/protobuf has none: its records say line 0). */
export function logProblem(r: LogRecord, hasLines = true): string | null {
  if (r.timeNs !== null && !isEpochNs(r.timeNs)) return `time ${String(r.timeNs)} is not a 64-bit integer of ns`;
  if (r.severity !== null && !SEVERITIES.includes(r.severity)) return `severity ${String(r.severity)}`;
  if (typeof r.message !== 'string' || typeof r.severityText !== 'string') return 'message or severity text not text';
  if (r.service !== null && typeof r.service !== 'string') return 'service';
  if (!Number.isSafeInteger(r.line) || r.line < (hasLines ? 1 : 0)) return `line ${r.line}`;
  if (r.traceId !== null && (!HEX32.test(r.traceId) || /^0+$/.test(r.traceId))) return `trace id ${r.traceId}`;
  if (r.spanId !== null && (!HEX16.test(r.spanId) || /^0+$/.test(r.spanId))) return `span id ${r.spanId}`;
  if (typeof r.attributes !== 'object' || r.attributes === null) return 'attributes';
  return null;
}

const OTLP_JSON_IDS = ['otlp-json', 'logs-otlp-json'];

/** Split points for the chunks an input arrives in (the engine reads files in chunks of any size). */
export const chunkArb = fc.oneof(fc.constant(64 * 1024), fc.integer({ min: 1, max: 4096 }));

export interface CaseResult {
  spans: number;
  logs: number;
  rejected: number;
}

/** A workspace for the engine half of the property, renewed now and then so it stays small. */
export class FuzzStore {
  private store: Store | null = null;
  private uses = 0;
  constructor(private readonly SQL: SqlJsStatic) {}
  get(): Store {
    if (this.store === null || ++this.uses > 40) {
      this.store?.close();
      this.store = Store.create(this.SQL);
      this.uses = 0;
    }
    return this.store;
  }
  close(): void {
    this.store?.close();
    this.store = null;
  }
}

/**
 * One case: the format's reader on its own (forced, so detection does not pick another), then the
 * engine's reader into a real store. Throws (fails the property) on any broken promise.
 */
export function checkImporter(format: FormatDef, bytes: Uint8Array, chunk: number, stores: FuzzStore): CaseResult {
  const started = performance.now();
  const name = `fuzz.${format.id}`;
  const sink = new CollectingSink();
  const reader = format.create({ fileName: name, sink });
  let error: InputError | null = null;
  try {
    for (let o = 0; o < bytes.length; o += chunk) reader.push(bytes.subarray(o, Math.min(bytes.length, o + chunk)));
    reader.end();
  } catch (e) {
    if (!(e instanceof InputError)) throw new Error(`${format.id} threw ${describe(e)}`, { cause: e });
    if (e.where.file !== name) throw new Error(`${format.id}: the error names ${e.where.file}, not the file`);
    error = e;
  }
  for (const s of sink.spansOut) {
    const p = spanProblem(s);
    if (p) throw new Error(`${format.id} emitted a bad span: ${p}`);
  }
  for (const l of sink.logsOut) {
    const p = logProblem(l, format.id !== 'otlp-proto');
    if (p) throw new Error(`${format.id} emitted a bad log record: ${p}`);
  }
  const t = sink.tallied;
  // In OTLP JSON lines a line is a request holding any number of records, and its skipped items
  // are metric data points: lines add up to requests, rejected lines and blank ones, not records.
  if (t.lines > 0 && !OTLP_JSON_IDS.includes(format.id)) {
    const accounted = sink.logsOut.length + t.continuations + sink.rejects.length + t.blank + t.skipped;
    if (accounted !== t.lines) throw new Error(`${format.id}: ${t.lines} lines read, but records + continuations + rejected + blank + skipped = ${accounted}`);
  }

  // The same bytes through the engine's reader into a real store: the report says what was kept.
  // (Bytes that open like gzip, zstd or zip are unwrapped there first: nothing to compare.)
  if (isContainer(bytes)) return { spans: sink.spansOut.length, logs: sink.logsOut.length, rejected: sink.rejects.length };
  const store = stores.get();
  const ingest = new StoreIngest(store);
  const imp = new ImportReader(ingest, name, bytes.length, { format: format.id });
  for (let o = 0; o < bytes.length; o += chunk) imp.push(bytes.subarray(o, Math.min(bytes.length, o + chunk)));
  if (bytes.length === 0) imp.push(bytes);
  imp.end();
  const reports: SourceReport[] = ingest.commit();
  if (reports.length !== 1) throw new Error(`${format.id}: ${reports.length} reports for one source`);
  const r = reports[0];
  const empty = bytes.length === 0;
  const wantSpans = empty ? 0 : sink.spansOut.length;
  const wantLogs = empty ? 0 : sink.logsOut.length;
  const wantRejected = empty ? 0 : sink.rejects.length;
  // The store is reused across cases: spans an earlier case stored are counted as duplicates, not stored again.
  const spans = r.spans + (r.duplicates ?? 0);
  if (spans !== wantSpans || r.logs !== wantLogs || r.rejected !== wantRejected) {
    throw new Error(
      `${format.id}: the report says ${r.spans} spans (+${r.duplicates ?? 0} duplicates), ${r.logs} logs, ${r.rejected} rejected; the reader gave ${wantSpans}, ${wantLogs}, ${wantRejected} (${r.errors.join(' | ')})`,
    );
  }
  const listed = Math.min(wantRejected, 20) + (wantRejected > 20 ? 1 : 0) + (error && !empty ? 1 : 0);
  if (r.errors.length !== listed) throw new Error(`${format.id}: ${r.errors.length} errors reported, expected ${listed}: ${r.errors.join(' | ')}`);
  for (const e of r.errors) if (!e.startsWith(name)) throw new Error(`${format.id}: an error does not name the file: ${e}`);
  const ms = performance.now() - started;
  if (ms > CASE_BUDGET_MS + PUSH_BUDGET_MS * Math.ceil(bytes.length / chunk)) throw new Error(`${format.id}: ${bytes.length} bytes took ${ms.toFixed(0)} ms`);
  return { spans: r.spans, logs: r.logs, rejected: r.rejected };
}

function isContainer(b: Uint8Array): boolean {
  return (b[0] === 0x1f && b[1] === 0x8b) || (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) || isZstd(b) || isFramedZstd(b);
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 6).join('\n')}` : String(e);
}

/** The property of one importer. */
export function importerProperty(format: FormatDef, stores: FuzzStore): fc.IPropertyWithHooks<[Uint8Array, number]> {
  return fc.property(inputArb(format), chunkArb, (bytes, chunk) => {
    checkImporter(format, bytes, chunk, stores);
  });
}

export { FORMATS };

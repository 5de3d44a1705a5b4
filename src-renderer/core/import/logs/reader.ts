// The machinery every line-oriented log format shares: decoding (text-source.ts), record
// building, joining continuation lines (stack traces) to their record, trace context from text,
// batching to the sink, and the detection score (share of sample lines a format reads).

import type { FormatContext, FormatReader, ImportOptions } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import { TextLineSource, headLines } from './text-source.ts';
import { resolveZone, type ZoneFn } from './zone.ts';
import { YearGuesser } from './timestamp.ts';
import { contextFromText, type TraceContext } from './trace-context.ts';

/** ImportOptions plus what tests need to pin down: the clock that years are inferred from. */
export interface LogImportOptions extends ImportOptions {
  /** Reference time (ms since epoch) for stamps without a year; defaults to the import time. */
  now?: number;
}

/** What a parser may use: the file's zone, year inference, the user's options. */
export interface ParseEnv {
  fileName: string;
  zone: ZoneFn;
  years: YearGuesser;
  service: string | null;
  traceFields: readonly string[];
  spanFields: readonly string[];
}

export interface LineParser {
  /** The record a line starts, or null when the line does not start one; an array for formats with many records per line (OTLP). */
  parse(text: string, line: number): LogRecord | LogRecord[] | null;
  /** 'join': a line that starts no record continues the previous one (stack traces); 'reject': it is rejected. */
  readonly continuation: 'join' | 'reject';
  /** Lines that are not records at all (W3C directives). */
  skip?(text: string, line: number): boolean;
  /** Called at the end (e.g. OTLP documents spread over several lines). */
  end?(emit: (r: LogRecord) => void, reject: (line: number, message: string) => void): void;
}

const BATCH = 2000;
/** A record's joined continuation lines stop growing here; the rest is counted in the message. */
const MAX_MESSAGE = 256 * 1024;

export function newRecord(line: number, message: string, service: string | null): LogRecord {
  return {
    timeNs: null, severity: null, severityText: '', service, message, traceId: null, spanId: null, traceIdPartial: false,
    traceIdRaw: null, spanIdRaw: null, line, attributes: {},
  };
}

export function applyContext(rec: LogRecord, c: TraceContext | null): void {
  if (!c) return;
  rec.traceId = c.traceId;
  rec.spanId = c.spanId;
  rec.traceIdPartial = c.partial;
  rec.traceIdRaw = c.traceRaw;
  rec.spanIdRaw = c.spanRaw;
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
export function stripAnsi(s: string): string {
  return s.indexOf('\x1b') >= 0 ? s.replace(ANSI, '') : s;
}

export function makeEnv(ctx: FormatContext): { env: ParseEnv; zoneError: string | null } {
  const o = (ctx.options ?? {}) as LogImportOptions;
  const { zone, error } = resolveZone(o.timeZone);
  return {
    env: {
      fileName: ctx.fileName, zone, years: new YearGuesser(o.now ?? Date.now()), service: o.service?.trim() || null,
      traceFields: o.traceIdFields ?? [], spanFields: o.spanIdFields ?? [],
    },
    zoneError: error,
  };
}

/** A streaming reader for a line-oriented log format. */
export class LogLineReader implements FormatReader {
  private readonly source: TextLineSource;
  private readonly parser: LineParser;
  private readonly env: ParseEnv;
  private readonly zoneError: string | null;
  private pending: LogRecord | null = null;
  private pendingExtra: string[] = [];
  private pendingSize = 0;
  private pendingDropped = 0;
  private batch: LogRecord[] = [];

  constructor(
    private readonly ctx: FormatContext,
    makeParser: (env: ParseEnv) => LineParser,
  ) {
    const { env, zoneError } = makeEnv(ctx);
    this.env = env;
    this.zoneError = zoneError;
    this.parser = makeParser(env);
    this.source = new TextLineSource((text, line) => this.onLine(text, line));
  }

  get bytesRead(): number {
    return this.source.bytes;
  }

  push(chunk: Uint8Array): void {
    this.source.push(chunk);
  }

  end(): void {
    this.source.end();
    this.parser.end?.((r) => this.emit(r), (line, message) => this.ctx.sink.reject({ line }, message));
    this.flushPending();
    this.flushBatch();
    if (this.source.invalid > 0) {
      this.ctx.sink.finding({
        kind: 'warning', traceId: null, spanId: null,
        message: `${this.ctx.fileName}: ${this.source.invalid} byte(s) that are not valid ${this.source.detectedEncoding} are shown as U+FFFD`,
        data: { invalidBytes: this.source.invalid, encoding: this.source.detectedEncoding },
      });
    }
    if (this.zoneError) this.ctx.sink.finding({ kind: 'warning', traceId: null, spanId: null, message: `${this.ctx.fileName}: ${this.zoneError}` });
  }

  /** Invalid bytes seen so far (for tests and progress). */
  get invalidBytes(): number {
    return this.source.invalid;
  }

  private onLine(raw: string, line: number): void {
    if (raw.length === 0 || (raw.charCodeAt(0) <= 32 && raw.trim() === '')) return;
    if (this.parser.skip?.(raw, line)) return;
    let rec: LogRecord | LogRecord[] | null;
    try {
      rec = this.parser.parse(raw, line);
    } catch (e) {
      this.ctx.sink.reject({ line }, (e as Error).message);
      return;
    }
    if (Array.isArray(rec)) {
      this.flushPending();
      for (const r of rec) this.emit(r);
      return;
    }
    if (rec) {
      this.flushPending();
      this.pending = rec;
      this.pendingSize = rec.message.length;
      return;
    }
    if (this.parser.continuation === 'reject') {
      this.ctx.sink.reject({ line }, 'line does not match the format');
      return;
    }
    const text = stripAnsi(raw);
    if (!this.pending) {
      // Text before the first record: keep it as a record of its own, without a time.
      this.pending = newRecord(line, text, this.env.service);
      this.pendingSize = text.length;
      return;
    }
    if (this.pendingSize + text.length > MAX_MESSAGE) {
      this.pendingDropped++;
      return;
    }
    this.pendingExtra.push(text);
    this.pendingSize += text.length + 1;
  }

  private flushPending(): void {
    const rec = this.pending;
    if (!rec) return;
    this.pending = null;
    if (this.pendingExtra.length > 0) {
      rec.message += '\n' + this.pendingExtra.join('\n');
      rec.attributes['log.lines'] = this.pendingExtra.length + 1 + this.pendingDropped;
      if (this.pendingDropped > 0) rec.message += `\n… ${this.pendingDropped} more line(s) not kept (record over ${MAX_MESSAGE} characters)`;
      this.pendingExtra = [];
    }
    this.pendingDropped = 0;
    this.emit(rec);
  }

  private emit(rec: LogRecord): void {
    if (rec.traceId === null && rec.spanId === null) applyContext(rec, contextFromText(rec.message, this.env.traceFields, this.env.spanFields));
    this.batch.push(rec);
    if (this.batch.length >= BATCH) this.flushBatch();
  }

  private flushBatch(): void {
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    this.ctx.sink.logs(b);
  }
}

export type LineVerdict = 'yes' | 'no' | 'neutral';

const HEAD_FULL = 64 * 1024;

/**
 * Detection score: the share of the first (up to 200) non-blank lines the format reads. Lines a
 * format treats as continuations are 'neutral' and do not count. With `firstMustMatch`, a file
 * whose first line is not a record scores 0 (multi-line formats would otherwise claim anything).
 */
export function scoreLines(head: Uint8Array, classify: (line: string) => LineVerdict, firstMustMatch = false): number {
  const lines = headLines(head, head.length >= HEAD_FULL);
  let yes = 0;
  let no = 0;
  let seen = 0;
  for (const l of lines) {
    if (l.trim() === '') continue;
    const v = classify(l);
    if (seen === 0 && firstMustMatch && v !== 'yes') return 0;
    seen++;
    if (v === 'yes') yes++;
    else if (v === 'no') no++;
    if (seen >= 200) break;
  }
  return yes === 0 ? 0 : yes / (yes + no);
}

// The machinery every line-oriented log format shares: decoding (text-source.ts), record
// building, joining continuation lines (stack traces) to their record, trace context from text,
// batching to the sink, the line tally, and the detection score (share of sample lines a format
// reads).
//
// Every line is accounted for: it starts a record, continues the record above, is rejected, is
// blank, or is skipped on purpose (a W3C directive), and the reader reports the counts
// (ImportSink.tally) so that lines = records + continuations + rejected + blank + skipped can be
// checked. A line that begins with its own timestamp is never folded into the record above, even
// when the format's parser does not read it: it becomes a record of its own (text-line.ts), so a
// line in an unexpected layout keeps its own time and is not silently merged into its neighbour.

import type { FormatContext, FormatDef, FormatReader, ImportOptions } from '../types.ts';
import type { LogRecord } from '../../model/log.ts';
import { TextLineSource, headLines, MAX_LINE_CHARS } from './text-source.ts';
import { resolveZone, type ZoneFn } from './zone.ts';
import { YearGuesser, DayGuesser } from './timestamp.ts';
import { contextFromText } from './trace-context.ts';
import { newRecord, applyContext, stripAnsi } from './record.ts';
import { hasLeadingStamp, readTextLine } from './text-line.ts';
import { parseObject, recordFromObject } from './fields.ts';
import { epochNs, formatIsoNs } from '../../base/time.ts';

export { newRecord, applyContext, stripAnsi };

/** ImportOptions plus what tests need to pin down: the clock that years are inferred from. */
export interface LogImportOptions extends ImportOptions {
  /** Reference time (ms since epoch) for stamps without a year or a date; defaults to the import time. */
  now?: number;
}

/** What a parser may use: the file's zone, year and day inference, the user's options. */
export interface ParseEnv {
  fileName: string;
  zone: ZoneFn;
  years: YearGuesser;
  days: DayGuesser;
  service: string | null;
  traceFields: readonly string[];
  spanFields: readonly string[];
}

/**
 * What a parser returns for a line that belongs to the record above by the format's own rules
 * (PostgreSQL's DETAIL/HINT/STATEMENT lines, which carry the prefix and stamp of their ERROR):
 * the text to add to that record. Unlike null, it is joined even though the line has a stamp.
 */
export class Continues {
  constructor(readonly text: string) {}
}

export interface LineParser {
  /**
   * The record a line starts; null when the line starts none (it continues the record above, or
   * is rejected, as `continuation` says); Continues when the format says it belongs to the record
   * above.
   */
  parse(text: string, line: number): LogRecord | Continues | null;
  /** 'join': a line that starts no record continues the previous one (stack traces); 'reject': it is rejected. */
  readonly continuation: 'join' | 'reject';
  /**
   * Lines that are not records: true for lines skipped on purpose (W3C directives, counted as
   * skipped), 'hold' for lines the parser keeps to build a record later (CRI partial lines).
   */
  skip?(text: string, line: number): boolean | 'hold';
  /** Called at the end: a record of lines still held (CRI pieces), or their rejection (an unclosed CSV quote). */
  end?(emit: (r: LogRecord) => void, reject: (line: number, message: string) => void): void;
}

const BATCH = 2000;
/** A record's joined continuation lines stop growing here; the rest is counted in the message. */
const MAX_MESSAGE = 256 * 1024;

export function makeEnv(ctx: FormatContext): { env: ParseEnv; zoneError: string | null } {
  const o = (ctx.options ?? {}) as LogImportOptions;
  const { zone, error } = resolveZone(o.timeZone);
  const now = o.now ?? Date.now();
  return {
    env: {
      fileName: ctx.fileName, zone, years: new YearGuesser(now), days: new DayGuesser(now), service: o.service?.trim() || null,
      traceFields: o.traceIdFields ?? [], spanFields: o.spanIdFields ?? [],
    },
    zoneError: error,
  };
}

/** An environment for detection: UTC, and fixed year and day guesses (detection must not depend on a clock). */
export function detectEnv(): ParseEnv {
  return { fileName: '', zone: () => 0, years: new YearGuesser(0), days: new DayGuesser(0), service: null, traceFields: [], spanFields: [] };
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
  private lines = 0;
  private continuations = 0;
  private blank = 0;
  private skipped = 0;
  /** Lines the parser has held (CSV records, CRI pieces): once it holds lines, blank lines go to it first. */
  private held = 0;
  /** The note for the report ("read as plain text"), if the format has one. */
  note: string | null = null;
  /** Lines longer than MAX_LINE_CHARS, kept cut short. */
  private cutLines = 0;
  /** Lines a strict format (JSON lines, W3C, CSV) could not read, kept as plain-text records. */
  private unread = 0;
  private firstUnread: { line: number; message: string } | null = null;

  constructor(
    private readonly ctx: FormatContext,
    makeParser: (env: ParseEnv) => LineParser,
  ) {
    const { env, zoneError } = makeEnv(ctx);
    this.env = env;
    this.zoneError = zoneError;
    this.parser = makeParser(env);
    this.source = new TextLineSource((text, line, cut) => (cut > 0 ? this.onCutLine(text, line, cut) : this.onLine(text, line)));
  }

  get bytesRead(): number {
    return this.source.bytes;
  }

  push(chunk: Uint8Array): void {
    this.source.push(chunk);
  }

  end(): void {
    this.source.end();
    let fromHeld = 0;
    this.parser.end?.(
      (r) => {
        fromHeld++;
        this.emit(r);
      },
      (line, message) => {
        fromHeld++;
        this.ctx.sink.reject({ line }, message);
      },
    );
    // Held lines were counted as continuations; a record (or rejection) the parser makes of them at
    // the end has no line of its own, so one of its held lines is that record's.
    this.continuations = Math.max(0, this.continuations - fromHeld);
    this.flushPending();
    this.flushBatch();
    const counts = { lines: this.lines, continuations: this.continuations, blank: this.blank, skipped: this.skipped };
    if (this.note !== null) this.ctx.sink.tally(counts, this.note);
    else this.ctx.sink.tally(counts);
    const days = this.env.days;
    if (days.count > 0 && days.first !== null) {
      this.ctx.sink.finding({
        kind: 'warning', traceId: null, spanId: null,
        message: `${this.ctx.fileName}: ${days.count} timestamp(s) give a time of day without a date; they are placed from ${formatIsoNs(epochNs(BigInt(days.first) * 1_000_000n)).slice(0, 10)} on (the day of the import)`,
        data: { timeOnlyStamps: days.count },
      });
    }
    if (this.source.invalid > 0) {
      this.ctx.sink.finding({
        kind: 'warning', traceId: null, spanId: null,
        message: `${this.ctx.fileName}: ${this.source.invalid} byte(s) that are not valid ${this.source.detectedEncoding} are shown as U+FFFD`,
        data: { invalidBytes: this.source.invalid, encoding: this.source.detectedEncoding },
      });
    }
    if (this.zoneError) this.ctx.sink.finding({ kind: 'warning', traceId: null, spanId: null, message: `${this.ctx.fileName}: ${this.zoneError}` });
    if (this.unread > 0 && this.firstUnread) {
      const f = this.firstUnread;
      this.ctx.sink.tally({}, `${this.unread} line(s) not in the file's format kept as plain text (attribute log.unparsed; first at line ${f.line}: ${f.message})`);
    }
    if (this.cutLines > 0) {
      this.ctx.sink.tally({}, `${this.cutLines} line(s) longer than ${MAX_LINE_CHARS.toLocaleString('en-US')} characters kept cut short (attribute log.cut_chars)`);
    }
  }

  /**
   * A line cut at MAX_LINE_CHARS: read as its format says if the cut left it readable, else kept
   * whole as a record of its own (a cut JSON line no longer parses); either way marked.
   */
  private onCutLine(text: string, line: number, cut: number): void {
    this.lines++;
    this.cutLines++;
    const note = `… [${cut.toLocaleString('en-US')} more characters not kept: lines are kept to ${MAX_LINE_CHARS.toLocaleString('en-US')}]`;
    let parsed: LogRecord | Continues | null = null;
    try {
      parsed = this.parser.parse(text, line);
    } catch {
      parsed = null;
    }
    const rec = parsed === null || parsed instanceof Continues ? newRecord(line, stripAnsi(text), this.env.service) : parsed;
    rec.message += note;
    rec.attributes['log.cut_chars'] = cut;
    this.flushPending();
    this.pending = rec;
    this.pendingSize = rec.message.length;
  }

  /** Invalid bytes seen so far (for tests and progress). */
  get invalidBytes(): number {
    return this.source.invalid;
  }

  private onLine(raw: string, line: number): void {
    this.lines++;
    const blank = raw.length === 0 || (raw.charCodeAt(0) <= 32 && raw.trim() === '');
    // While the parser holds lines (a quoted CSV field), a blank line may be part of the record.
    if (this.parser.skip && (!blank || this.held > 0)) {
      const s = this.parser.skip(raw, line);
      if (s === 'hold') {
        this.held++;
        this.continuations++;
        return;
      }
      if (s) {
        this.skipped++;
        return;
      }
    }
    if (blank) {
      this.blank++;
      return;
    }
    let rec: LogRecord | Continues | null;
    try {
      rec = this.parser.parse(raw, line);
    } catch (e) {
      this.keepUnread(raw, line, (e as Error).message);
      return;
    }
    if (rec === null) {
      if (this.parser.continuation === 'reject') {
        this.keepUnread(raw, line, 'line does not match the format');
        return;
      }
      const text = stripAnsi(raw);
      // A JSON object on a line of its own among text (a JSON logger beside console output) is
      // a record in its own right, read for its time, level and trace ids.
      const obj = text.charCodeAt(0) === 123 ? parseObject(text) : null;
      if (obj) rec = recordFromObject(obj, text, line, this.env);
      else if (this.pending && !hasLeadingStamp(text, this.env)) {
        this.join(text);
        return;
      }
      // Text before the first record, or a line with its own stamp in a layout the parser does not read.
      else rec = readTextLine(text, line, this.env);
    } else if (rec instanceof Continues) {
      if (this.pending) {
        this.join(rec.text);
        return;
      }
      rec = readTextLine(stripAnsi(raw), line, this.env);
    }
    this.flushPending();
    this.pending = rec;
    this.pendingSize = rec.message.length;
  }

  /**
   * A line the format cannot read (a banner or a stack trace printed among JSON lines, a broken
   * object) is still the user's data: it becomes a plain-text record of its own, marked with
   * log.unparsed, and the report counts it.
   */
  private keepUnread(raw: string, line: number, message: string): void {
    this.unread++;
    this.firstUnread ??= { line, message };
    const text = stripAnsi(raw);
    const obj = text.charCodeAt(0) === 123 ? parseObject(text) : null;
    const rec = obj ? recordFromObject(obj, text, line, this.env) : readTextLine(text, line, this.env);
    rec.attributes['log.unparsed'] = message;
    this.flushPending();
    this.pending = rec;
    this.pendingSize = rec.message.length;
  }

  /** Add a line to the pending record's message (up to MAX_MESSAGE characters; the rest is counted). */
  private join(text: string): void {
    this.continuations++;
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

/** A line format whose parser other readers can use on lines of their own (prefixed.ts). */
export interface LineFormatDef extends FormatDef {
  lineParser(env: ParseEnv): LineParser;
}

/** A FormatDef for a line format: its reader is a LogLineReader over `parser`. */
export function lineFormat(def: Omit<FormatDef, 'kind' | 'create'> & { parser: (env: ParseEnv) => LineParser; note?: string }): LineFormatDef {
  const { parser, note, ...rest } = def;
  return {
    ...rest,
    kind: 'logs',
    lineParser: parser,
    create(ctx) {
      const reader = new LogLineReader(ctx, parser);
      if (note) reader.note = note;
      return reader;
    },
  };
}

export type LineVerdict = 'yes' | 'no' | 'neutral';

/** A head this long was cut by detection (DETECT_BYTES): its last line may be incomplete. */
export const HEAD_FULL = 64 * 1024;

/**
 * Detection score: the share of the first (up to 200) non-blank lines the format reads. Lines a
 * format treats as continuations are 'neutral' and do not count. With `firstMustMatch`, a file
 * whose first line is not a record scores 0 (multi-line formats would otherwise claim anything).
 * A format that reads fewer than `minShare` of the lines scores 0: a layout that matches a few
 * lines of some other file would fold the rest into them, where plain text keeps every line.
 */
export function scoreLines(head: Uint8Array, classify: (line: string) => LineVerdict, firstMustMatch = false, minShare = 0.5): number {
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
  const share = yes === 0 ? 0 : yes / (yes + no);
  return share < minShare ? 0 : share;
}

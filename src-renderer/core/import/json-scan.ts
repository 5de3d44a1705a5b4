// A streaming JSON record scanner. Generic streaming JSON parsers run at 7-25 MB/s (REFERENCE.md);
// this one only walks the bytes to find where records begin and end, and hands each record's text
// to JSON.parse, which keeps native speed. Only the record being read is buffered, so a document
// far larger than the 512 MB a JavaScript string can hold streams through in bounded memory.
//
// What to pick out is said with path patterns, segments joined by '.':
//   '[]' any array element, '*' any object key, 'a|b' either key, '' the root value itself.
//   records  e.g. 'resourceSpans.[].scopeSpans|instrumentationLibrarySpans.[].spans.[]'
//   contexts small values beside the records (a resource, Jaeger's processes), parsed whole
//   scopes   containers whose opening and closing are reported (to reset or flush context)
// A record path whose value is an array that a longer pattern continues into is descended, so
// '[]' and '[].[]' together read both a list of spans and a list of lists of spans.
//
//   {"data":[{"traceID":"ab","spans":[{…},{…}],"processes":{…}}]}
//                                     ^^^ ^^^ records           ^^^^ context
//
// Several root values in a row (whitespace between) are read one after the other. Structure
// outside records is checked strictly; a record's own syntax is checked by JSON.parse, and a record
// it refuses is reported through `invalid` while the scan goes on. A structural fault or a
// truncated input throws an InputError with the byte offset, after every record before it was handed on.

import { InputError } from '../base/result.ts';
import { parseExact } from '../base/json.ts';
import { ChunkText } from './chunk-text.ts';

export interface ScanPatterns {
  records: string[];
  contexts?: string[];
  scopes?: string[];
}

export interface ScanHandler {
  /** A record: `which` is the index of its pattern in `records`; `offset` the byte offset of its first byte. */
  record(which: number, value: unknown, offset: number): void;
  /** A context value; `key` is the member name it sat under (null for array elements and the root). */
  context?(which: number, key: string | null, value: unknown, offset: number): void;
  open?(which: number, offset: number): void;
  close?(which: number, offset: number): void;
  /** A record or context whose text is not valid JSON. The scan goes on. */
  invalid(offset: number, message: string): void;
}

const enum Kind {
  Record = 0,
  Context = 1,
  Scope = 2,
}

// Structural states (outside any captured or skipped value).
const enum St {
  Value = 0, // a value must come (after ':' or at the root)
  ArrFirst = 1, // after '[': a value or ']'
  ArrNext = 2, // after ',' in an array: a value
  ArrAfter = 3, // after an array element: ',' or ']'
  ObjFirst = 4, // after '{': a key or '}'
  ObjKey = 5, // after ',' in an object: a key
  ObjColon = 6, // after a key: ':'
  ObjAfter = 7, // after a member value: ',' or '}'
  RootAfter = 8, // after a root value: whitespace or another root value
}

const enum Mode {
  Struct = 0,
  Key = 1, // reading an object key
  Value = 2, // inside a captured or skipped value
}

interface Frame {
  isObject: boolean;
  /** Flattened (pattern, matched segments) pairs still alive at this container. */
  active: number[];
  /** Scope patterns opened by this container, closed with it. */
  scopes: number[];
}

interface Pattern {
  kind: Kind;
  which: number;
  segs: string[][]; // alternatives per segment
}

/** Bare integers this long may not be exact as doubles: such records go through parseExact. */
const BIG_DIGITS = 16;
const MAX_SAFE_DIGITS = [9, 0, 0, 7, 1, 9, 9, 2, 5, 4, 7, 4, 0, 9, 9, 1]; // Number.MAX_SAFE_INTEGER

/** Are the 16 digits at `at` at most Number.MAX_SAFE_INTEGER? */
function isSafe16(buf: Uint8Array, at: number): boolean {
  for (let k = 0; k < BIG_DIGITS; k++) {
    const d = buf[at + k] - 0x30;
    if (d !== MAX_SAFE_DIGITS[k]) return d < MAX_SAFE_DIGITS[k];
  }
  return true;
}

export class JsonRecordScanner {
  private readonly patterns: Pattern[] = [];
  private readonly decoder = new TextDecoder('utf-8');
  /** The text of captured values. */
  private readonly values = new ChunkText();
  private stack: Frame[] = [];
  private state: St = St.Value;
  private mode: Mode = Mode.Struct;
  private base = 0; // absolute offset of the current chunk's first byte
  private failed: InputError | null = null;
  private rootCount = 0;

  // The key being read.
  private keyParts: number[] = [];
  private keyEscaped = false;
  private keyEscape = false;
  private lastKey: string | null = null;
  private pendingActive: number[] = [];

  // The value being captured or skipped.
  private vCapture: Kind | -1 = -1;
  private vWhich = 0;
  private vKey: string | null = null;
  private vStart = 0;
  private vDepth = 0;
  private vInString = false;
  private vEscape = false;
  private vBare = false; // a number or literal, ended by the first byte that cannot belong to it
  private vDigits = 0;
  private vBig = false;
  private vParts: Uint8Array[] = [];

  constructor(
    spec: ScanPatterns,
    private readonly handler: ScanHandler,
    private readonly fileName: string,
  ) {
    const add = (list: string[] | undefined, kind: Kind) =>
      (list ?? []).forEach((p, which) => this.patterns.push({ kind, which, segs: p === '' ? [] : p.split('.').map((s) => s.split('|')) }));
    add(spec.records, Kind.Record);
    add(spec.contexts, Kind.Context);
    add(spec.scopes, Kind.Scope);
    for (let p = 0; p < this.patterns.length; p++) this.pendingActive.push(p, 0);
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.base;
  }

  /** Number of root values completed. */
  get roots(): number {
    return this.rootCount;
  }

  /** True while inside a root value (a truncation here loses data). */
  get inValue(): boolean {
    return this.stack.length > 0 || this.mode !== Mode.Struct || this.state !== St.Value && this.state !== St.RootAfter;
  }

  push(chunk: Uint8Array): void {
    if (this.failed) throw this.failed;
    this.values.reset();
    try {
      this.scan(chunk, 0);
    } catch (e) {
      // A fault of the input (InputError) ends the scan; an exception from the handler is a bug and passes through.
      if (e instanceof InputError) this.failed = e;
      throw e;
    }
    this.base += chunk.length;
  }

  end(): void {
    if (this.failed) throw this.failed;
    if (this.mode === Mode.Value && this.vBare && this.stack.length === 0 && this.vDepth === 0) {
      this.finishValue(new Uint8Array(0), 0);
      this.afterValue();
    }
    if (this.inValue) {
      const where = this.mode === Mode.Value ? (this.vCapture === Kind.Record ? 'inside a record' : 'inside a value') : this.mode === Mode.Key ? 'inside a key' : `at depth ${this.stack.length}`;
      this.failed = new InputError(`unexpected end of input ${where} (the file is truncated)`, { file: this.fileName, offset: this.base });
      throw this.failed;
    }
  }

  private fail(offset: number, message: string): never {
    throw new InputError(message, { file: this.fileName, offset });
  }

  private scan(buf: Uint8Array, from: number): void {
    const n = buf.length;
    let i = from;
    while (i < n) {
      if (this.mode === Mode.Value) {
        i = this.scanValue(buf, i);
        continue;
      }
      if (this.mode === Mode.Key) {
        i = this.scanKey(buf, i);
        continue;
      }
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
        continue;
      }
      if (this.base + i < 3 && (c === 0xef || c === 0xbb || c === 0xbf)) {
        i++; // a UTF-8 byte order mark (possibly split across chunks)
        continue;
      }
      switch (this.state) {
        case St.Value:
        case St.ArrFirst:
        case St.ArrNext:
        case St.RootAfter:
          if (c === 0x5d && this.state === St.ArrFirst) {
            this.closeContainer(false, i);
            i++;
            break;
          }
          if (this.state === St.ArrFirst || this.state === St.ArrNext) {
            this.pendingActive = this.advance(this.top().active, null);
            this.lastKey = null;
          } else if (this.state === St.RootAfter) {
            this.pendingActive = [];
            for (let p = 0; p < this.patterns.length; p++) this.pendingActive.push(p, 0);
            this.lastKey = null;
          }
          i = this.beginValue(buf, i);
          break;
        case St.ArrAfter:
          if (c === 0x2c) this.state = St.ArrNext;
          else if (c === 0x5d) this.closeContainer(false, i);
          else this.fail(this.base + i, `expected ',' or ']' in an array, found ${describeByte(c)}`);
          i++;
          break;
        case St.ObjFirst:
        case St.ObjKey:
          if (c === 0x22) {
            this.mode = Mode.Key;
            this.keyParts.length = 0;
            this.keyEscaped = false;
            this.keyEscape = false;
          } else if (c === 0x7d && this.state === St.ObjFirst) this.closeContainer(true, i);
          else this.fail(this.base + i, `expected an object key, found ${describeByte(c)}`);
          i++;
          break;
        case St.ObjColon:
          if (c !== 0x3a) this.fail(this.base + i, `expected ':' after key "${this.lastKey}", found ${describeByte(c)}`);
          this.state = St.Value;
          i++;
          break;
        case St.ObjAfter:
          if (c === 0x2c) this.state = St.ObjKey;
          else if (c === 0x7d) this.closeContainer(true, i);
          else this.fail(this.base + i, `expected ',' or '}' in an object, found ${describeByte(c)}`);
          i++;
          break;
      }
    }
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1];
  }

  /** The (pattern, matched) pairs that survive one more path step (`key` null for an array element). */
  private advance(active: number[], key: string | null): number[] {
    const out: number[] = [];
    for (let k = 0; k < active.length; k += 2) {
      const p = this.patterns[active[k]];
      const s = active[k + 1];
      if (s >= p.segs.length) continue;
      const seg = p.segs[s];
      const ok = key === null ? seg[0] === '[]' : seg[0] === '*' || (seg[0] !== '[]' && seg.includes(key));
      if (ok) out.push(active[k], s + 1);
    }
    return out;
  }

  /** At the first byte of a value (in structure): decide to descend, capture or skip it. */
  private beginValue(buf: Uint8Array, i: number): number {
    const c = buf[i];
    const isContainer = c === 0x7b || c === 0x5b;
    const active = this.pendingActive;
    let record = -1;
    let context = -1;
    let continues = false;
    const scopes: number[] = [];
    for (let k = 0; k < active.length; k += 2) {
      const p = this.patterns[active[k]];
      if (active[k + 1] < p.segs.length) continues = true;
      else if (p.kind === Kind.Record) record = p.which;
      else if (p.kind === Kind.Context) context = p.which;
      else scopes.push(p.which);
    }
    const isValueStart = isContainer || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;
    if (!isValueStart) this.fail(this.base + i, `expected a value, found ${describeByte(c)}`);
    if (isContainer && (continues || scopes.length > 0) && !(record >= 0 && !(c === 0x5b && continues))) {
      const frame: Frame = { isObject: c === 0x7b, active, scopes };
      this.stack.push(frame);
      for (const s of scopes) this.handler.open?.(s, this.base + i);
      this.state = frame.isObject ? St.ObjFirst : St.ArrFirst;
      return i + 1;
    }
    this.vCapture = record >= 0 ? Kind.Record : context >= 0 ? Kind.Context : -1;
    this.vWhich = record >= 0 ? record : context;
    this.vKey = this.lastKey;
    this.vStart = this.base + i;
    this.vDepth = 0;
    this.vInString = false;
    this.vEscape = false;
    this.vBare = !isContainer && c !== 0x22;
    this.vDigits = 0;
    this.vBig = false;
    this.vParts.length = 0;
    this.mode = Mode.Value;
    return this.vBare ? i : this.scanValueFirst(buf, i);
  }

  private scanValueFirst(buf: Uint8Array, i: number): number {
    // The opening byte of a string or container, then the common loop.
    if (buf[i] === 0x22) this.vInString = true;
    else this.vDepth = 1;
    this.partStart = i;
    return this.scanValue(buf, i + 1, true);
  }

  private partStart = 0;

  /** Walk a captured or skipped value; returns where the structure resumes (or the chunk's end). */
  private scanValue(buf: Uint8Array, i: number, continuing = false): number {
    if (!continuing) this.partStart = i;
    const n = buf.length;
    let depth = this.vDepth;
    let inString = this.vInString;
    let escape = this.vEscape;
    let digits = this.vDigits;
    let big = this.vBig;
    const capture = this.vCapture !== -1;
    if (this.vBare) {
      for (; i < n; i++) {
        const c = buf[i];
        if (c >= 0x30 && c <= 0x39) digits++;
        else if (!(c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) {
          if (digits >= BIG_DIGITS) this.vBig = true;
          this.finishValue(buf, i);
          this.afterValue();
          return i;
        }
      }
      this.vDigits = digits;
      if (capture) this.vParts.push(buf.slice(this.partStart, n));
      return n;
    }
    for (; i < n; i++) {
      if (inString) {
        // Jump to the next quote (native indexOf), then see whether a backslash run escapes it.
        if (escape) {
          escape = false;
          continue;
        }
        const q = buf.indexOf(0x22, i);
        if (q < 0) {
          let k = n - 1;
          while (k >= i && buf[k] === 0x5c) k--;
          escape = ((n - 1 - k) & 1) === 1;
          i = n;
          break;
        }
        let k = q - 1;
        while (k >= i && buf[k] === 0x5c) k--;
        i = q;
        if (((q - 1 - k) & 1) === 1) continue; // an escaped quote: still inside the string
        inString = false;
        if (depth === 0) {
          i++;
          this.vInString = false;
          this.finishValue(buf, i);
          this.afterValue();
          return i;
        }
        continue;
      }
      const c = buf[i];
      if (c >= 0x30 && c <= 0x39) {
        digits++;
        continue;
      }
      // 16 digits may still be safe (µs timestamps are): look at them when they are all in this chunk.
      if (digits > BIG_DIGITS || (digits === BIG_DIGITS && (i < BIG_DIGITS || !isSafe16(buf, i - BIG_DIGITS)))) big = true;
      digits = 0;
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          i++;
          this.vBig = big;
          this.vDepth = 0;
          this.finishValue(buf, i);
          this.afterValue();
          return i;
        }
      }
    }
    this.vDepth = depth;
    this.vInString = inString;
    this.vEscape = escape;
    this.vDigits = digits;
    this.vBig = big;
    if (capture) this.vParts.push(buf.slice(this.partStart, n));
    return n;
  }

  /** The value ends before `end` in `buf`: parse and hand it on if captured. */
  private finishValue(buf: Uint8Array, end: number): void {
    this.mode = Mode.Struct;
    if (this.vCapture === -1) return;
    let text: string;
    if (this.vParts.length === 0) text = this.values.slice(buf, this.partStart, end);
    else {
      const last = buf.subarray(this.partStart, end);
      let len = last.length;
      for (const p of this.vParts) len += p.length;
      const bytes = new Uint8Array(len);
      let o = 0;
      for (const p of this.vParts) {
        bytes.set(p, o);
        o += p.length;
      }
      bytes.set(last, o);
      this.vParts.length = 0;
      text = this.values.decode(bytes);
    }
    let value: unknown;
    try {
      value = this.vBig ? parseExact(text) : JSON.parse(text);
    } catch (e) {
      this.handler.invalid(this.vStart, `invalid JSON ${this.vCapture === Kind.Record ? 'record' : 'value'}: ${(e as Error).message}`);
      return;
    }
    if (this.vCapture === Kind.Record) this.handler.record(this.vWhich, value, this.vStart);
    else this.handler.context?.(this.vWhich, this.vKey, value, this.vStart);
  }

  /** A value (of any kind) just ended: the enclosing structure moves on. */
  private afterValue(): void {
    if (this.stack.length === 0) {
      this.state = St.RootAfter;
      this.rootCount++;
    } else this.state = this.top().isObject ? St.ObjAfter : St.ArrAfter;
  }

  private closeContainer(isObject: boolean, i: number): void {
    const f = this.stack.pop()!;
    if (f.isObject !== isObject) this.fail(this.base + i, `mismatched ${isObject ? "'}'" : "']'"}`);
    for (let s = f.scopes.length - 1; s >= 0; s--) this.handler.close?.(f.scopes[s], this.base + i);
    this.afterValue();
  }

  private scanKey(buf: Uint8Array, i: number): number {
    const n = buf.length;
    for (; i < n; i++) {
      const c = buf[i];
      if (this.keyEscape) this.keyEscape = false;
      else if (c === 0x5c) {
        this.keyEscape = true;
        this.keyEscaped = true;
      } else if (c === 0x22) {
        const bytes = Uint8Array.from(this.keyParts);
        const raw = this.decoder.decode(bytes);
        let key = raw;
        if (this.keyEscaped) {
          try {
            key = JSON.parse(`"${raw}"`) as string;
          } catch {
            this.fail(this.base + i, 'invalid escape in an object key');
          }
        }
        this.lastKey = key;
        this.pendingActive = this.advance(this.top().active, key);
        this.mode = Mode.Struct;
        this.state = St.ObjColon;
        return i + 1;
      } else if (c < 0x20) this.fail(this.base + i, 'control character in an object key');
      this.keyParts.push(c);
    }
    return n;
  }
}

function describeByte(c: number): string {
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

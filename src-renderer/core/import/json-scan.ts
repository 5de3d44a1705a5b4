// A streaming JSON record scanner. Generic streaming JSON parsers run at 7-25 MB/s (measured here);
// this one only walks the bytes to find where records begin and end, and hands each record's text
// to JSON.parse, which keeps native speed. Only the record being read is buffered, so a document
// far larger than the 512 MB a JavaScript string can hold streams through in bounded memory.
//
// What to pick out is said with path patterns (json-scan-patterns.ts): records, contexts (small
// values beside the records, parsed whole) and scopes (containers whose opening and closing are
// reported). A record path whose value is an array that a longer pattern continues into is
// descended, so '[]' and '[].[]' together read both a list of spans and a list of lists of spans.
//
//   {"data":[{"traceID":"ab","spans":[{…},{…}],"processes":{…}}]}
//                                     ^^^ ^^^ records           ^^^^ context
//
// Several root values in a row (whitespace between) are read one after the other; with
// `stopAtRootEnd` the scanner stops after each, so that its owner can read the rest another way
// (the OTLP reader goes on line by line). Structure outside records is checked strictly here;
// values are walked by json-scan-value.ts, and a record's own syntax is checked by JSON.parse: a
// record it refuses is reported through `invalid` while the scan goes on. A structural fault or a
// truncated input throws an InputError with the byte offset, after every record before it was
// handed on.

import { InputError } from '../base/result.ts';
import { ChunkText } from './chunk-text.ts';
import { Kind, PatternSet, type ScanPatterns } from './json-scan-patterns.ts';
import { ValueWalker } from './json-scan-value.ts';

export type { ScanPatterns } from './json-scan-patterns.ts';

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

export class JsonRecordScanner {
  private readonly patterns: PatternSet;
  private readonly decoder = new TextDecoder('utf-8');
  /** The text of captured values. */
  private readonly values = new ChunkText();
  private readonly value = new ValueWalker();
  private stack: Frame[] = [];
  private state: St = St.Value;
  private mode: Mode = Mode.Struct;
  private base = 0; // absolute offset of the current chunk's first byte
  private failed: InputError | null = null;
  private rootCount = 0;
  /** Stop reading at the end of each root value (push returns how far it read). */
  stopAtRootEnd = false;
  private rootEnded = false;

  // The key being read.
  private keyParts: number[] = [];
  private keyEscaped = false;
  private keyEscape = false;
  private lastKey: string | null = null;
  private pendingActive: number[];

  // The value being captured or skipped.
  private vCapture: Kind | -1 = -1;
  private vWhich = 0;
  private vKey: string | null = null;
  private vStart = 0;

  constructor(
    spec: ScanPatterns,
    private readonly handler: ScanHandler,
    private readonly fileName: string,
  ) {
    this.patterns = new PatternSet(spec);
    this.pendingActive = this.patterns.atRoot();
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

  /**
   * Scan a chunk. Returns the bytes read: all of them, unless `stopAtRootEnd` and a root value
   * ended inside the chunk (the rest is the caller's; a next push goes on after that root).
   */
  push(chunk: Uint8Array): number {
    if (this.failed) throw this.failed;
    this.values.reset();
    let used: number;
    try {
      used = this.scan(chunk, 0);
    } catch (e) {
      // A fault of the input (InputError) ends the scan; an exception from the handler is a bug and passes through.
      if (e instanceof InputError) this.failed = e;
      throw e;
    }
    this.base += used;
    return used;
  }

  end(): void {
    if (this.failed) throw this.failed;
    if (this.mode === Mode.Value && this.value.bare && this.stack.length === 0) {
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

  /** Returns where it stopped: the chunk's end, or just after a root value (stopAtRootEnd). */
  private scan(buf: Uint8Array, from: number): number {
    const n = buf.length;
    let i = from;
    this.rootEnded = false;
    while (i < n) {
      if (this.rootEnded) return i;
      if (this.mode === Mode.Value) {
        const end = this.value.walk(buf, i);
        if (end < 0) return n;
        this.finishValue(buf, end);
        this.afterValue();
        i = end;
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
            this.pendingActive = this.patterns.advance(this.top().active, null);
            this.lastKey = null;
          } else if (this.state === St.RootAfter) {
            this.pendingActive = this.patterns.atRoot();
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
    return n;
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1];
  }

  /** At the first byte of a value (in structure): descend into it, or capture or skip it. Returns where to go on. */
  private beginValue(buf: Uint8Array, i: number): number {
    const c = buf[i];
    const isContainer = c === 0x7b || c === 0x5b;
    const active = this.pendingActive;
    const role = this.patterns.role(active);
    const isValueStart = isContainer || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;
    if (!isValueStart) this.fail(this.base + i, `expected a value, found ${describeByte(c)}`);
    if (isContainer && (role.continues || role.scopes.length > 0) && !(role.record >= 0 && !(c === 0x5b && role.continues))) {
      const frame: Frame = { isObject: c === 0x7b, active, scopes: role.scopes };
      this.stack.push(frame);
      for (const s of role.scopes) this.handler.open?.(s, this.base + i);
      this.state = frame.isObject ? St.ObjFirst : St.ArrFirst;
      return i + 1;
    }
    this.vCapture = role.record >= 0 ? Kind.Record : role.context >= 0 ? Kind.Context : -1;
    this.vWhich = role.record >= 0 ? role.record : role.context;
    this.vKey = this.lastKey;
    this.vStart = this.base + i;
    this.mode = Mode.Value;
    const end = this.value.begin(buf, i, this.vCapture !== -1);
    if (end < 0) return buf.length;
    this.finishValue(buf, end);
    this.afterValue();
    return end;
  }

  /** The value ends before `end` in `buf`: parse and hand it on if captured. */
  private finishValue(buf: Uint8Array, end: number): void {
    this.mode = Mode.Struct;
    if (this.vCapture === -1) return;
    let value: unknown;
    try {
      value = this.value.parse(buf, end, this.values);
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
      if (this.stopAtRootEnd) this.rootEnded = true;
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
        this.pendingActive = this.patterns.advance(this.top().active, key);
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

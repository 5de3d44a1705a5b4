// One value the streaming JSON scanner (json-scan.ts) captures (a record or a context) or skips,
// walked byte by byte across chunks: strings (escapes, quotes found with native indexOf), nested
// containers, and bare numbers and literals, which end at the first byte that cannot belong to
// them. A captured value keeps its bytes until it ends, then its text is parsed: with JSON.parse,
// or with parseExact when it holds a bare integer too long to be exact in a double.

import { parseExact } from '../base/json.ts';
import type { ChunkText } from './chunk-text.ts';

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

export class ValueWalker {
  /** Keep the value's bytes (a record or a context), or only walk past it. */
  capture = false;
  /** A number or literal, ended by the first byte that cannot belong to it. */
  bare = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  private digits = 0;
  private big = false;
  private parts: Uint8Array[] = [];
  /** Where the value's bytes start in the current chunk. */
  private partStart = 0;

  /**
   * The value starts at `buf[i]` (its first byte, already checked to start a value). Returns the
   * index just past its end (for a bare value: of the byte that ends it, not consumed), or -1
   * when the chunk ends inside it.
   */
  begin(buf: Uint8Array, i: number, capture: boolean): number {
    const c = buf[i];
    this.capture = capture;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.bare = c !== 0x7b && c !== 0x5b && c !== 0x22;
    this.digits = 0;
    this.big = false;
    this.parts.length = 0;
    this.partStart = i;
    if (this.bare) return this.walk(buf, i, true);
    // The opening byte of a string or container, then the common loop.
    if (c === 0x22) this.inString = true;
    else this.depth = 1;
    return this.walk(buf, i + 1, true);
  }

  /** Go on with the value in the next chunk, from `i`; as begin. */
  walk(buf: Uint8Array, i: number, continuing = false): number {
    if (!continuing) this.partStart = i;
    const n = buf.length;
    if (this.bare) {
      let digits = this.digits;
      for (; i < n; i++) {
        const c = buf[i];
        if (c >= 0x30 && c <= 0x39) digits++;
        else if (!(c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))) {
          if (digits >= BIG_DIGITS) this.big = true;
          return i;
        }
      }
      this.digits = digits;
      this.keep(buf, n);
      return -1;
    }
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    let digits = this.digits;
    let big = this.big;
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
          this.inString = false;
          return i + 1;
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
          this.big = big;
          this.depth = 0;
          return i + 1;
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    this.digits = digits;
    this.big = big;
    this.keep(buf, n);
    return -1;
  }

  /** True while inside a container value (a truncation there loses data). */
  get open(): boolean {
    return this.depth > 0;
  }

  private keep(buf: Uint8Array, n: number): void {
    if (this.capture) this.parts.push(buf.slice(this.partStart, n));
  }

  /**
   * The captured value, which ended before `end` in `buf`, parsed. Its text is sliced from the
   * chunk's one decode (ChunkText) when the value lies in one chunk. Throws what JSON.parse throws.
   */
  parse(buf: Uint8Array, end: number, values: ChunkText): unknown {
    let text: string;
    if (this.parts.length === 0) text = values.slice(buf, this.partStart, end);
    else {
      const last = buf.subarray(this.partStart, end);
      let len = last.length;
      for (const p of this.parts) len += p.length;
      const bytes = new Uint8Array(len);
      let o = 0;
      for (const p of this.parts) {
        bytes.set(p, o);
        o += p.length;
      }
      bytes.set(last, o);
      this.parts.length = 0;
      text = values.decode(bytes);
    }
    return this.big ? parseExact(text) : JSON.parse(text);
  }
}

// Splits a stream of UTF-8 bytes into lines without holding the whole input: each chunk's
// complete lines are decoded and handed on; the incomplete tail waits for the next chunk.
// Handles a UTF-8 byte order mark, LF and CRLF, and keeps the 1-based line number and the byte
// offset of each line's start (for error messages).
//
// A chunk's complete lines are decoded together (up to MAX_PIECE bytes per call) and cut into
// lines as slices of that text. Decoding line by line cost the parse worker about 1 s of CPU in a
// 1M-span import in Chromium: there each decoded text is an allocation outside V8's heap, freed in
// bulk by the next collection, and the allocator handed those pages back to the system only to
// fault them in again (~19,000 madvise calls releasing 730 MB, counted with strace).

export interface Line {
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte in the input. */
  offset: number;
}

const LF = 10;
/** Bytes of whole lines decoded at a time (a longer line is decoded whole). */
const MAX_PIECE = 256 * 1024;
const CR = '\r';
const BOM = '\uFEFF';

export class LineSplitter {
  /** The unfinished line so far, in pieces: joined once its newline arrives (no copy per chunk). */
  private tail: Uint8Array[] = [];
  private tailLength = 0;
  private lineNo = 0;
  private offset = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  constructor(private readonly onLine: (line: Line) => void) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.tail.length > 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.tail.push(chunk.slice());
        this.tailLength += chunk.length;
        return;
      }
      // Only the line that straddles the chunks is copied into one piece; the rest is read in place.
      this.tail.push(chunk.subarray(0, nl + 1));
      this.emitLines(this.takeTail(this.tailLength + nl + 1));
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(LF);
    while (start <= last) {
      // At most MAX_PIECE bytes of whole lines at a time, unless one line is longer.
      let end = start + MAX_PIECE >= last ? last : chunk.lastIndexOf(LF, start + MAX_PIECE);
      if (end < start) end = chunk.indexOf(LF, start);
      this.emitLines(chunk.subarray(start, end + 1));
      start = end + 1;
    }
    if (start < chunk.length) {
      this.tail.push(chunk.slice(start));
      this.tailLength = chunk.length - start;
    }
  }

  end(): void {
    if (this.tailLength > 0) this.emitLines(this.takeTail(this.tailLength), true);
  }

  /** The tail's pieces as one buffer of `length` bytes; the tail is emptied. */
  private takeTail(length: number): Uint8Array {
    const buf = new Uint8Array(length);
    let o = 0;
    for (const part of this.tail) {
      buf.set(part, o);
      o += part.length;
    }
    this.tail = [];
    this.tailLength = 0;
    return buf;
  }

  /**
   * Hand on the lines of `bytes`, which ends with a newline unless `unterminated` (the input's last
   * line). A newline byte never occurs inside a multi-byte UTF-8 sequence, and bytes that are not
   * UTF-8 decode to U+FFFD, so the text's line breaks are the bytes' line breaks, in order: each
   * line's byte length comes from the bytes, its text from the text. When the text is as long as
   * the bytes, each byte became one character (ASCII, or a lone invalid byte), and the bytes need
   * not be searched: their offsets are the text's.
   */
  private emitLines(bytes: Uint8Array, unterminated = false): void {
    const text = this.decoder.decode(bytes);
    const sameOffsets = text.length === bytes.length;
    let b = 0;
    let c = 0;
    while (b < bytes.length) {
      let cEnd = text.indexOf('\n', c);
      let bEnd = sameOffsets ? cEnd : bytes.indexOf(LF, b);
      if (bEnd < 0) {
        if (!unterminated) break;
        bEnd = bytes.length;
        cEnd = text.length;
      }
      let line = text.slice(c, cEnd > c && text[cEnd - 1] === CR ? cEnd - 1 : cEnd);
      let lineStart = this.offset + b;
      if (this.lineNo === 0 && line.startsWith(BOM)) {
        line = line.slice(1); // a byte order mark, not part of the first line
        lineStart += 3;
      }
      this.onLine({ text: line, line: ++this.lineNo, offset: lineStart });
      b = bEnd + 1;
      c = cEnd + 1;
    }
    this.offset += bytes.length;
  }
}

/**
 * The line of a byte offset in a stream read in chunks, for readers that find records by offset
 * (a JSON document) but must still say which line a record starts on. Newlines are counted per
 * chunk with native indexOf; the last chunks are kept so that a record that began in one of them
 * is placed exactly. A record that began before them (one longer than all of them) gets the line
 * of the oldest kept chunk's start.
 */
export class LineCounter {
  private readonly recent: Array<{ base: number; linesBefore: number; bytes: Uint8Array }> = [];
  private base = 0;
  private lines = 0;

  constructor(private readonly keep = 4) {}

  push(chunk: Uint8Array): void {
    this.recent.push({ base: this.base, linesBefore: this.lines, bytes: chunk });
    if (this.recent.length > this.keep) this.recent.shift();
    for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) this.lines++;
    this.base += chunk.length;
  }

  /** The 1-based line holding byte `offset` (already pushed). */
  lineAt(offset: number): number {
    for (let k = this.recent.length - 1; k >= 0; k--) {
      const c = this.recent[k];
      if (offset < c.base) continue;
      let n = c.linesBefore;
      const end = Math.min(offset - c.base, c.bytes.length);
      for (let i = c.bytes.indexOf(LF); i >= 0 && i < end; i = c.bytes.indexOf(LF, i + 1)) n++;
      return n + 1;
    }
    return (this.recent[0]?.linesBefore ?? this.lines) + 1;
  }
}

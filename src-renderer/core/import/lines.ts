// Splits a stream of UTF-8 bytes into lines without holding the whole input: each chunk's
// complete lines are decoded and handed on; the incomplete tail waits for the next chunk.
// Handles a UTF-8 byte order mark, LF and CRLF, and keeps the 1-based line number and the byte
// offset of each line's start (for error messages).

export interface Line {
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte in the input. */
  offset: number;
}

export class LineSplitter {
  /** The unfinished line so far, in pieces: joined once its newline arrives (no copy per chunk). */
  private tail: Uint8Array[] = [];
  private tailLength = 0;
  private lineNo = 0;
  private offset = 0;
  private first = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(private readonly onLine: (line: Line) => void) {}

  push(chunk: Uint8Array): void {
    if (this.tail.length > 0 && chunk.indexOf(10) < 0) {
      this.tail.push(chunk.slice());
      this.tailLength += chunk.length;
      return;
    }
    let buf = chunk;
    if (this.tail.length > 0) {
      this.tail.push(chunk);
      buf = this.takeTail(this.tailLength + chunk.length);
    }
    let start = 0;
    if (this.first && buf.length >= 3) {
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        start = 3;
        this.offset += 3;
      }
    }
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      this.emit(buf, start, nl);
      start = nl + 1;
    }
    if (start < buf.length) {
      this.tail.push(buf.slice(start));
      this.tailLength = buf.length - start;
    }
  }

  end(): void {
    if (this.tailLength > 0) {
      const buf = this.takeTail(this.tailLength);
      this.emit(buf, 0, buf.length);
    }
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

  private emit(buf: Uint8Array, start: number, end: number): void {
    const lineStart = this.offset;
    this.offset += end - start + 1;
    const stop = end > start && buf[end - 1] === 13 ? end - 1 : end;
    this.onLine({ text: this.decoder.decode(buf.subarray(start, stop)), line: ++this.lineNo, offset: lineStart });
  }
}

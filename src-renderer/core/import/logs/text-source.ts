// Log bytes to lines of text, streaming. Unlike lines.ts (UTF-8 only, splits on the byte 0x0A),
// log files come as UTF-8 with or without a byte order mark, or UTF-16 LE/BE (Windows tools,
// PowerShell redirects), recognised by their BOM or, without one, by the pattern of NUL bytes in
// ASCII text. Chunks are decoded with a streaming TextDecoder, so a character split across two
// chunks is kept whole. Invalid bytes become U+FFFD and are counted: the count is the number of
// U+FFFD produced minus those that were really in the file (EF BF BD in UTF-8).
// CRLF and lone LF both end a line; a lone CR does not (old Mac files are not worth a guess).

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Bytes sniffEncoding looks at. */
const SNIFF_BYTES = 512;

/** Guess the encoding from the first bytes. Returns the encoding and the length of its BOM. */
export function sniffEncoding(head: Uint8Array): { encoding: TextEncoding; bom: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  // No BOM: ASCII text in UTF-16 has a NUL in every other byte.
  const n = Math.min(head.length & ~1, SNIFF_BYTES);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (pairs >= 2 && oddNul >= pairs * 0.4 && evenNul === 0) return { encoding: 'utf-16le', bom: 0 };
  if (pairs >= 2 && evenNul >= pairs * 0.4 && oddNul === 0) return { encoding: 'utf-16be', bom: 0 };
  return { encoding: 'utf-8', bom: 0 };
}

/** Occurrences of a real U+FFFD in the raw bytes of the given encoding. */
function countRealReplacement(bytes: Uint8Array, enc: TextEncoding): number {
  let n = 0;
  if (enc === 'utf-8') {
    for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
      if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
    }
  } else {
    const [a, b] = enc === 'utf-16le' ? [0xfd, 0xff] : [0xff, 0xfd];
    for (let i = 0; i + 1 < bytes.length; i += 2) if (bytes[i] === a && bytes[i + 1] === b) n++;
  }
  return n;
}

function countChar(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * The longest line kept, in characters. A longer one is kept cut to this length and its
 * `onLine` call says how many characters were left out: a 10 MB line is read, not dropped, and a
 * line of gigabytes without a newline cannot exhaust memory (or V8's 512 MB string limit).
 */
export const MAX_LINE_CHARS = 1 << 20;

/**
 * Feeds decoded lines (without their line end) to `onLine` with 1-based line numbers. The
 * encoding is chosen from the first chunk. `invalid` counts bytes the decoder could not read.
 */
export class TextLineSource {
  private decoder: TextDecoder | null = null;
  private encoding: TextEncoding = 'utf-8';
  private carry = '';
  private lineNo = 0;
  private pendingHead: Uint8Array | null = null;
  private boundary = new Uint8Array(0);
  invalid = 0;
  bytes = 0;

  /** Characters of the current line already left out (it passed MAX_LINE_CHARS). */
  private cutChars = 0;

  constructor(private readonly onLine: (text: string, line: number, cutChars: number) => void) {}

  get detectedEncoding(): TextEncoding {
    return this.encoding;
  }

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (!this.decoder) {
      // The encoding is chosen once, from as many bytes as sniffEncoding looks at, so that the
      // choice does not depend on how the file was cut into chunks.
      const head = this.pendingHead ? concat(this.pendingHead, chunk) : chunk;
      if (head.length < SNIFF_BYTES) {
        this.pendingHead = head;
        return;
      }
      this.pendingHead = null;
      this.start(head);
      return;
    }
    this.decode(chunk, true);
  }

  end(): void {
    if (!this.decoder) {
      const head = this.pendingHead ?? new Uint8Array(0);
      this.pendingHead = null;
      this.start(head);
    }
    this.decode(new Uint8Array(0), false);
    if (this.carry.length > 0) this.emit(this.carry);
    this.carry = '';
  }

  private start(head: Uint8Array): void {
    const { encoding, bom } = sniffEncoding(head);
    this.encoding = encoding;
    // ignoreBOM: the BOM is cut off here, so a second one in the text would stay visible.
    this.decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
    this.decode(head.subarray(bom), true);
  }

  private decode(chunk: Uint8Array, stream: boolean): void {
    const text = this.decoder!.decode(chunk, { stream });
    if (text.indexOf('\uFFFD') >= 0) {
      // Count real U+FFFD also across the chunk boundary (keep the last 2 bytes of the previous chunk).
      const withEdge = concat(this.boundary, chunk);
      this.invalid += Math.max(0, countChar(text, '\uFFFD') - countRealReplacement(withEdge, this.encoding));
    }
    this.boundary = chunk.length >= 2 ? chunk.slice(chunk.length - 2) : concat(this.boundary, chunk).slice(-2);
    let start = 0;
    let buf = text;
    if (this.carry.length > 0) {
      buf = this.carry + text;
      this.carry = '';
    }
    for (;;) {
      const nl = buf.indexOf('\n', start);
      if (nl < 0) break;
      this.emit(buf.slice(start, nl));
      start = nl + 1;
    }
    this.carry = start === 0 ? buf : buf.slice(start);
    if (this.carry.length > MAX_LINE_CHARS) {
      this.cutChars += this.carry.length - MAX_LINE_CHARS;
      this.carry = this.carry.slice(0, MAX_LINE_CHARS);
    }
  }

  private emit(raw: string): void {
    let text = raw.length > 0 && raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    let cut = this.cutChars;
    this.cutChars = 0;
    if (text.length > MAX_LINE_CHARS) {
      cut += text.length - MAX_LINE_CHARS;
      text = text.slice(0, MAX_LINE_CHARS);
    }
    this.onLine(text, ++this.lineNo, cut);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Decode the head of a file (for detection) the way the reader will, and split it into lines. */
const headCache = new WeakMap<Uint8Array, string[]>();
export function headLines(head: Uint8Array, full: boolean): string[] {
  const cached = headCache.get(head);
  if (cached) return cached;
  const { encoding, bom } = sniffEncoding(head);
  let text = new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(head.subarray(bom));
  if (full) {
    // The head was cut at 64 KiB: its last line is probably incomplete.
    const nl = text.lastIndexOf('\n');
    if (nl > 0) text = text.slice(0, nl);
  }
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  headCache.set(head, lines);
  return lines;
}

/** Bytes per block, and blocks looked at, to tell binary content from text. */
const BLOCK = 1024;
const BLOCKS = 8;

/**
 * Is the head of a file binary rather than text? UTF-16 (by its BOM or its NUL pattern) is text.
 * Otherwise the first kilobytes are looked at in 1 KiB blocks: a block is binary when it holds a
 * NUL byte, or when more than a quarter of it is bytes that are neither UTF-8 nor printable
 * (control characters other than tab, line ends, form feed and ESC). The head is binary when most
 * of its blocks are, so a log with a stray NUL or a few Latin-1 bytes is still text.
 */
export function isBinaryHead(head: Uint8Array): boolean {
  if (head.length === 0 || sniffEncoding(head).encoding !== 'utf-8') return false;
  const n = Math.min(head.length, BLOCK * BLOCKS);
  let blocks = 0;
  let binary = 0;
  for (let b = 0; b < n; b += BLOCK) {
    blocks++;
    if (isBinaryBlock(head, b, Math.min(n, b + BLOCK))) binary++;
  }
  return binary * 2 > blocks;
}

function isBinaryBlock(h: Uint8Array, start: number, end: number): boolean {
  let bad = 0;
  let i = start;
  while (i < end) {
    const c = h[i];
    if (c === 0) return true;
    if (c < 0x80) {
      // tab, LF, VT, FF, CR, ESC (colour codes), backspace
      if ((c < 32 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13 && c !== 27 && c !== 8) || c === 127) bad++;
      i++;
      continue;
    }
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    let ok = len > 0;
    for (let k = 1; ok && k < len && i + k < end; k++) ok = (h[i + k] & 0xc0) === 0x80;
    if (!ok) {
      bad++;
      i++;
      continue;
    }
    i += len;
  }
  return bad * 4 > end - start;
}

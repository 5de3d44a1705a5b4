// Byte-level helpers for the OTLP/protobuf reader (otlp-proto.ts): a queue of pushed chunks that
// hands out whole frames, protobuf varints read across chunk boundaries, and the sniffing that
// tells the framings apart from the first bytes.

/** Chunks not yet consumed. Frames are handed out contiguous; a frame inside one chunk is not copied. */
export class ByteQueue {
  private chunks: { b: Uint8Array; owned: boolean }[] = [];
  /** Offset of the first unconsumed byte in chunks[0]. */
  private first = 0;
  length = 0;

  append(b: Uint8Array): void {
    if (b.length === 0) return;
    this.chunks.push({ b, owned: false });
    this.length += b.length;
  }

  /** Copy what is still held of chunks the caller passed in, so the caller may reuse its buffers. */
  own(): void {
    for (let i = this.chunks.length - 1; i >= 0 && !this.chunks[i].owned; i--) {
      const c = this.chunks[i];
      const from = i === 0 ? this.first : 0;
      c.b = c.b.slice(from);
      c.owned = true;
      if (i === 0) this.first = 0;
    }
  }

  byteAt(i: number): number {
    let k = this.first + i;
    for (const c of this.chunks) {
      if (k < c.b.length) return c.b[k];
      k -= c.b.length;
    }
    return -1;
  }

  /** The first n bytes, not consumed. */
  peek(n: number): Uint8Array {
    const out = this.copyOut(n);
    return out;
  }

  /** Remove and return the first n bytes. */
  take(n: number): Uint8Array {
    const head = this.chunks[0];
    let out: Uint8Array;
    if (n === 0) out = new Uint8Array(0);
    else if (head && this.first + n <= head.b.length) out = head.b.subarray(this.first, this.first + n);
    else out = this.copyOut(n);
    this.skip(n);
    return out;
  }

  skip(n: number): void {
    if (n > this.length) throw new RangeError('skip past the end of the queue');
    this.length -= n;
    while (n > 0) {
      const c = this.chunks[0];
      const avail = c.b.length - this.first;
      if (n < avail) {
        this.first += n;
        return;
      }
      n -= avail;
      this.chunks.shift();
      this.first = 0;
    }
    if (this.chunks.length > 0 && this.first === this.chunks[0].b.length) {
      this.chunks.shift();
      this.first = 0;
    }
  }

  private copyOut(n: number): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.length));
    let pos = 0;
    let from = this.first;
    for (const c of this.chunks) {
      if (pos >= out.length) break;
      const part = c.b.subarray(from, Math.min(c.b.length, from + out.length - pos));
      out.set(part, pos);
      pos += part.length;
      from = 0;
    }
    return out;
  }
}

interface ByteSource {
  readonly length: number;
  byteAt(i: number): number;
}

/**
 * A protobuf varint at `pos`: its value (exact up to 2^53) and the position after it; null when the
 * input ends inside it; 'bad' when it runs past `maxBytes` (5 for lengths and tags, 10 for values).
 */
export function readVarint(src: ByteSource | Uint8Array, pos: number, maxBytes = 5): { value: number; next: number } | null | 'bad' {
  const at = src instanceof Uint8Array ? (i: number) => (i < src.length ? src[i] : -1) : (i: number) => src.byteAt(i);
  let value = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    const b = at(pos + i);
    if (b < 0) return null;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return 'bad';
}

export type Framing = 'be32' | 'varint' | 'bare';

/**
 * Does a request that starts at `p` and is `frameLen` bytes long open the way an OTLP trace request
 * does: field 1 (resource_spans, tag 0x0A) whose length fits inside the frame? `b` may be cut short.
 */
function opensRequest(b: Uint8Array, p: number, frameLen: number): boolean {
  if (frameLen === 0 || p >= b.length || b[p] !== 0x0a) return false;
  const v = readVarint(b, p + 1);
  if (v === 'bad') return false;
  if (v === null) return true; // the head ends inside the length: nothing contradicts it
  return v.value > 0 && v.next - p + v.value <= frameLen;
}

/**
 * Which framing the stream uses, from its first bytes (16 are enough); null when none fits.
 *   4-byte BE:  00 00 12 34 | 0A …      (first byte 0 for frames under 16 MiB)
 *   varint:     B4 24       | 0A …
 *   bare:       0A <len> <ResourceSpans> 0A <len> …
 * A bare request starts with 0x0A; as a varint that would be a 10-byte frame, too small to hold a
 * span, and as a 4-byte length it would be a frame of over 160 MiB, so 0x0A first means bare.
 */
export function sniffFraming(b: Uint8Array): Framing | null {
  if (b.length === 0) return null;
  const be = b.length >= 4 ? ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3] : -1;
  if (b[0] === 0 && be > 0 && opensRequest(b, 4, be)) return 'be32';
  if (b[0] === 0x0a) return opensRequest(b, 0, Infinity) ? 'bare' : null;
  const v = readVarint(b, 0);
  if (v !== null && v !== 'bad' && opensRequest(b, v.next, v.value)) return 'varint';
  if (b[0] < 0x80 && be > 0 && opensRequest(b, 4, be)) return 'be32';
  return null;
}

/** Valid UTF-8 without control characters other than whitespace: text, not protobuf. */
export function looksLikeText(head: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) return false;
  }
  return true;
}

const MAGICS: number[][] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0x1f, 0x8b], // gzip
  [0x50, 0x4b, 0x03, 0x04], // zip
  [0x50, 0x4b, 0x05, 0x06], // empty zip
  [0x28, 0xb5, 0x2f, 0xfd], // zstd
  [0x42, 0x5a, 0x68], // bzip2
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], // xz
  [0x25, 0x50, 0x44, 0x46], // PDF
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], // SQLite
];

/** Starts with the magic number of a format that is certainly not protobuf. */
export function hasForeignMagic(head: Uint8Array): boolean {
  return MAGICS.some((m) => m.length <= head.length && m.every((x, i) => head[i] === x));
}

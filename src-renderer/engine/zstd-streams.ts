// Zstandard (RFC 8878) as the OpenTelemetry Collector's file exporter writes it. With
// `compression: zstd` it writes one of two layouts
// (https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/exporter/fileexporter):
//
//   each message compressed alone, behind its length    00 00 01 2c | 28 b5 2f fd … | 00 00 00 f3 | 28 b5 2f fd …
//     (the default: file_writer.go exportMessageAsBuffer around marshaller.go's compressor)
//   one zstd stream of the whole file                   28 b5 2f fd …  (inside: JSON lines, or length-framed protobuf)
//     (the exporter.file.nativeCompression gate; also what `zstd file.jsonl` writes)
//
// Both come out as the plain stream the readers know: a JSON message per line, or protobuf
// messages each behind its 4-byte big-endian length (otlp-proto.ts reads that framing).

import { Decompress } from 'fzstd';

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** Starts with a zstd frame. */
export function isZstd(b: Uint8Array, at = 0): boolean {
  return b.length >= at + 4 && MAGIC.every((m, i) => b[at + i] === m);
}

function be32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

/** A 4-byte big-endian length followed by a zstd frame: the file exporter's compressed messages. */
export function isFramedZstd(b: Uint8Array): boolean {
  return b.length >= 8 && be32(b, 0) >= 4 && isZstd(b, 4);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** fzstd's own errors carry a numeric code; anything else came from where the plain bytes went, and goes on up. */
function zstdFault(e: unknown): boolean {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'number';
}

const NEWLINE = new Uint8Array([0x0a]);

/** A protobuf message is handed on whole, behind its length: past this it is not an export request. */
const MAX_PROTO_MESSAGE = 512 * 2 ** 20;

/** The plain bytes of a message begin a JSON value ({ or [ after any whitespace). */
function startsJson(b: Uint8Array): boolean {
  let i = 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return b[i] === 0x7b || b[i] === 0x5b;
}

/**
 * Input handed to fzstd at a time, at least: it joins what it holds of an unfinished block with
 * each push, so bytes pushed a few at a time would be copied over and over.
 */
const FEED_BYTES = 256 * 1024;

/** A zstd stream (one frame or several back to back) decompressed as its bytes arrive. */
export class ZstdStream {
  private readonly z: Decompress;
  private read = 0;
  private held: Uint8Array[] = [];
  private heldBytes = 0;

  constructor(onData: (plain: Uint8Array) => void) {
    this.z = new Decompress((data) => {
      if (data.length > 0) onData(data);
    });
  }

  push(chunk: Uint8Array): void {
    this.held.push(chunk.slice()); // the caller may reuse its buffer
    this.heldBytes += chunk.length;
    if (this.heldBytes >= FEED_BYTES) this.feed(false);
  }

  private feed(final: boolean): void {
    const input = this.held.length === 1 ? this.held[0] : join(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    try {
      this.z.push(input, final);
    } catch (e) {
      if (!zstdFault(e)) throw e;
      if (final) throw new Error(`the zstd stream is truncated or corrupt at its end, byte ${this.read + input.length} (${message(e)})`);
      throw new Error(`the zstd stream is corrupt within its first ${this.read + input.length} bytes (${message(e)})`);
    }
    this.read += input.length;
  }

  end(): void {
    this.feed(true);
  }
}

function join(parts: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

/** Messages each compressed alone behind a 4-byte length, handed on as plain JSON lines or length-framed protobuf. */
export class FramedZstd {
  /** Bytes not yet consumed: buf[start .. end). */
  private buf = new Uint8Array(64 * 1024);
  private start = 0;
  private end_ = 0;
  /** Byte offset (in the compressed file) of buf[start]. */
  private offset = 0;
  /** How messages go on, chosen by the first: JSON lines, or protobuf behind their lengths. */
  private json: boolean | null = null;

  constructor(private readonly onData: (plain: Uint8Array) => void) {}

  push(chunk: Uint8Array): void {
    this.append(chunk);
    for (;;) {
      const held = this.end_ - this.start;
      if (held < 4) return;
      const size = be32(this.buf, this.start);
      if (held < 4 + size) return;
      const at = this.offset;
      const frame = this.buf.subarray(this.start + 4, this.start + 4 + size);
      this.start += 4 + size;
      this.offset += 4 + size;
      this.emit(frame, at);
    }
  }

  end(): void {
    const held = this.end_ - this.start;
    if (held > 0) {
      throw new Error(
        `the file ends inside a compressed message at byte ${this.offset}` +
          (held >= 4 ? ` (it says ${be32(this.buf, this.start)} bytes, ${held - 4} are there)` : ` (${held} bytes of its length)`),
      );
    }
  }

  /** Keep `chunk` after what is held, moving what is held to the front or into a larger buffer as needed. */
  private append(chunk: Uint8Array): void {
    const held = this.end_ - this.start;
    if (this.end_ + chunk.length > this.buf.length) {
      const size = Math.max(this.buf.length, held + chunk.length);
      const next = size > this.buf.length ? new Uint8Array(Math.max(size, 2 * this.buf.length)) : this.buf;
      if (next === this.buf) this.buf.copyWithin(0, this.start, this.end_);
      else next.set(this.buf.subarray(this.start, this.end_));
      this.buf = next;
      this.start = 0;
      this.end_ = held;
    }
    this.buf.set(chunk, this.end_);
    this.end_ += chunk.length;
  }

  private emit(frame: Uint8Array, at: number): void {
    // Streamed out block by block, so that what a frame expands to is checked as it grows.
    const parts: Uint8Array[] = [];
    let plainBytes = 0;
    const z = new Decompress((data) => {
      if (data.length === 0) return;
      if (this.json === null) this.json = startsJson(data);
      if (this.json) return this.onData(data);
      plainBytes += data.length;
      if (plainBytes > MAX_PROTO_MESSAGE) throw new Error(`the compressed message at byte ${at} expands past ${MAX_PROTO_MESSAGE / 2 ** 20} MB, more than an export request holds`);
      parts.push(data);
    });
    try {
      z.push(frame, true);
    } catch (e) {
      if (!zstdFault(e)) throw e;
      throw new Error(`the compressed message at byte ${at} is not a readable zstd frame (${message(e)})`);
    }
    if (this.json) return this.onData(NEWLINE);
    const n = plainBytes;
    this.onData(new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]));
    for (const p of parts) this.onData(p);
  }
}

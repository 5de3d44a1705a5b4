// The containers around a file's bytes, opened by content: gzip and zstd are unwrapped
// (zstd-streams.ts: also the collector file exporter's compressed messages), and every entry of a
// zip becomes a stream of its own. Each stream is sniffed again, so archives nest (up to
// ARCHIVE_LIMITS.maxNesting). The plain bytes inside go to a source (import-reader.ts).

import { Gunzip, Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { describeError, InputError } from '../core/base/result.ts';
import { FramedZstd, isFramedZstd, isZstd, ZstdStream } from './zstd-streams.ts';

/**
 * Limits on what compressed input may expand to (a gzip bomb is a small file of a thousand times
 * its size; zips nest). Real trace and log archives expand 5 to 20 times (the demo incident: 14x).
 * Past a limit the import stops with a message and keeps what it had read.
 */
export const ARCHIVE_LIMITS = {
  /** Bytes all the sources of one opened file may hold once decompressed. */
  maxBytes: 16 * 2 ** 30,
  /** Decompressed bytes per compressed byte of the file, checked once past `ratioAfter` bytes. */
  maxRatio: 200,
  ratioAfter: 64 * 2 ** 20,
  /** Archives inside archives (a zip of zips, a .gz in a zip) opened at most this deep. */
  maxNesting: 8,
};

/** Compressed bytes handed to a decompressor at a time: what one push can expand to stays bounded. */
export const INFLATE_SLICE = 64 * 1024;

/** Stops an import that went past ARCHIVE_LIMITS (thrown from inside the decompressors). */
export class ArchiveLimitError extends Error {}

/** Anything that takes the bytes of one stream. */
export interface ByteSink {
  push(chunk: Uint8Array): void;
  end(): void;
  /** The container around this stream broke: keep what was read, record why it stops here. */
  abort(message: string): void;
}

/** Where the plain bytes of a stream go: a source of records named `name`. */
export interface Sources {
  source(name: string): ByteSink;
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class ContainerSniffer implements ByteSink {
  private head: Uint8Array = new Uint8Array(0);
  private inner: ByteSink | null = null;

  constructor(
    private readonly job: Sources,
    private readonly name: string,
    /** Containers around this stream. */
    private readonly nesting = 0,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.inner) return this.inner.push(chunk);
    this.head = concat(this.head, chunk);
    if (this.head.length >= 8) this.choose();
  }

  end(): void {
    if (!this.inner) this.choose();
    this.inner!.end();
  }

  abort(message: string): void {
    if (!this.inner) this.choose();
    this.inner!.abort(message);
  }

  private choose(): void {
    const head = this.head;
    this.head = new Uint8Array(0);
    const compressed = isGzip(head) || isZip(head) || isZstd(head) || isFramedZstd(head);
    if (compressed && this.nesting >= ARCHIVE_LIMITS.maxNesting) {
      const src = this.job.source(this.name);
      this.inner = src;
      src.abort(`${this.name}: an archive inside ${this.nesting} others is not opened (the limit is ${ARCHIVE_LIMITS.maxNesting} levels)`);
      return;
    }
    if (isGzip(head)) this.inner = new GunzipStream(this.job, this.name.replace(/\.gz$/i, ''), this.nesting + 1);
    else if (isZip(head)) this.inner = new ZipStream(this.job, this.name, this.nesting + 1);
    else if (isZstd(head) || isFramedZstd(head)) this.inner = new ZstdSink(this.job, this.name.replace(/\.zst(d)?$/i, ''), this.nesting + 1, isZstd(head));
    else this.inner = this.job.source(this.name);
    if (head.length > 0) this.inner.push(head);
  }
}

class GunzipStream implements ByteSink {
  private readonly gunzip: Gunzip;
  private readonly next: ContainerSniffer;

  constructor(
    job: Sources,
    private readonly name: string,
    nesting: number,
  ) {
    this.next = new ContainerSniffer(job, name, nesting);
    this.gunzip = new Gunzip((data) => {
      if (data.length > 0) this.next.push(data);
    });
  }

  push(chunk: Uint8Array): void {
    for (let o = 0; o < chunk.length; o += INFLATE_SLICE) this.gunzip.push(chunk.subarray(o, o + INFLATE_SLICE), false);
  }

  end(): void {
    try {
      this.gunzip.push(new Uint8Array(0), true);
    } catch (e) {
      return this.next.abort(`${this.name}: the gzip stream is truncated or corrupt (${describeError(e)}); kept what came before`);
    }
    this.next.end();
  }

  abort(message: string): void {
    this.next.abort(message);
  }
}

/** A zstd stream, or the collector file exporter's zstd messages behind their lengths. */
class ZstdSink implements ByteSink {
  private readonly z: ZstdStream | FramedZstd;
  private readonly next: ContainerSniffer;

  constructor(
    job: Sources,
    private readonly name: string,
    nesting: number,
    whole: boolean,
  ) {
    this.next = new ContainerSniffer(job, name, nesting);
    const onData = (data: Uint8Array) => this.next.push(data);
    this.z = whole ? new ZstdStream(onData) : new FramedZstd(onData);
  }

  push(chunk: Uint8Array): void {
    try {
      this.z.push(chunk);
    } catch (e) {
      if (e instanceof ArchiveLimitError) throw e;
      throw new InputError(`${(e as Error).message}; kept what came before`, { file: this.name });
    }
  }

  end(): void {
    try {
      this.z.end();
    } catch (e) {
      return this.next.abort(`${this.name}: ${(e as Error).message}; kept what came before`);
    }
    this.next.end();
  }

  abort(message: string): void {
    this.next.abort(message);
  }
}

class ZipStream implements ByteSink {
  private readonly unzip: Unzip;
  /** The entry being read, until its last byte. */
  private current: ContainerSniffer | null = null;

  constructor(
    private readonly job: Sources,
    private readonly zipName: string,
    nesting: number,
  ) {
    this.unzip = new Unzip((file: UnzipFile) => {
      this.entries++;
      if (file.name.endsWith('/')) return; // a directory
      // The entry's name only labels its source: nothing is ever written under it.
      const sink = new ContainerSniffer(job, `${zipName}/${file.name}`, nesting);
      this.current = sink;
      file.ondata = (err, data, final) => {
        if (err) throw new InputError(`zip entry ${file.name}: ${err.message}`, { file: zipName });
        if (data.length > 0) sink.push(data);
        if (final) {
          this.current = null;
          sink.end();
        }
      };
      file.start();
    });
    this.unzip.register(UnzipInflate);
  }

  push(chunk: Uint8Array): void {
    for (let o = 0; o < chunk.length; o += INFLATE_SLICE) this.unzip.push(chunk.subarray(o, o + INFLATE_SLICE), false);
  }

  /** Entries whose header was read (directories too). */
  private entries = 0;

  end(): void {
    this.unzip.push(new Uint8Array(0), true);
    if (this.current) this.abort(`${this.zipName}: the zip ends inside an entry; kept what came before`);
    // A zip cut inside its first header yields no entry at all: say so rather than show nothing.
    else if (this.entries === 0) this.abort(`${this.zipName}: no entry of the zip could be read (cut short, or not a zip)`);
  }

  abort(message: string): void {
    const open = this.current;
    this.current = null;
    if (open) open.abort(message);
    else this.job.source(this.zipName).abort(message);
  }
}

// The text of records that lie inside one chunk of bytes, decoded once for the whole chunk and
// sliced. Decoding record by record costs as much again in Chromium, where each decoded text is
// an allocation outside V8's heap whose pages the allocator gives back to the system and faults
// in again (see lines.ts). A slice of the chunk's text is the record's text only when each byte
// became one character (ASCII, or lone invalid bytes); otherwise each record is decoded alone.

export class ChunkText {
  private chunk: Uint8Array | null = null;
  private text: string | null = null;
  private readonly whole = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly single = new TextDecoder('utf-8');

  /** A new chunk is coming (a caller may fill the same array again). */
  reset(): void {
    this.chunk = null;
    this.text = null;
  }

  /** The text of bytes [a, b) of `chunk`. */
  slice(chunk: Uint8Array, a: number, b: number): string {
    if (this.chunk !== chunk) {
      this.chunk = chunk;
      const t = this.whole.decode(chunk);
      this.text = t.length === chunk.length ? t : null;
    }
    return this.text !== null ? this.text.slice(a, b) : this.single.decode(chunk.subarray(a, b));
  }

  /** The text of bytes gathered from several chunks. */
  decode(bytes: Uint8Array): string {
    return this.single.decode(bytes);
  }
}

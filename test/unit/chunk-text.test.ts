// ChunkText (core/import/chunk-text.ts) decodes a chunk once and slices records out of it. Its
// slices must be what decoding each record's bytes alone gives, for ASCII chunks, chunks with
// multi-byte characters or invalid bytes, and an array the caller fills again after reset().

import { describe, it, expect } from 'vitest';
import { ChunkText } from '../../src-renderer/core/import/chunk-text.ts';

const enc = new TextEncoder();
const alone = (b: Uint8Array) => new TextDecoder().decode(b);

describe('ChunkText', () => {
  const chunks: Record<string, Uint8Array> = {
    ascii: enc.encode('[{"a":1},{"b":"two"},{"c":[3]}]'),
    'multi-byte': enc.encode('[{"a":"é"},{"b":"😀"},{"c":"中文"}]'),
    'invalid bytes': Uint8Array.from([0x5b, 0x22, 0xff, 0x22, 0x2c, 0x22, 0xe2, 0x82, 0x22, 0x5d]),
    'lone invalid bytes only': Uint8Array.from([0x5b, 0x22, 0xff, 0x22, 0x2c, 0x22, 0xfe, 0x41, 0x22, 0x5d]),
  };
  for (const [name, chunk] of Object.entries(chunks)) {
    it(`gives every byte range of a chunk the text it has alone (${name})`, () => {
      const t = new ChunkText();
      for (let a = 0; a <= chunk.length; a++) {
        for (let b = a; b <= chunk.length; b++) expect(t.slice(chunk, a, b)).toBe(alone(chunk.subarray(a, b)));
      }
    });
  }

  it('reads an array filled again after reset()', () => {
    const t = new ChunkText();
    const buf = enc.encode('{"x":1}');
    expect(t.slice(buf, 0, 7)).toBe('{"x":1}');
    buf.set(enc.encode('{"y":2}'));
    t.reset();
    expect(t.slice(buf, 0, 7)).toBe('{"y":2}');
  });
});

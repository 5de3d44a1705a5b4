// Id normalisation (core/base/ids.ts): canonical ids pass through the fast path unchanged; every
// other spelling either becomes the canonical form or is refused, never half-checked. The
// characters next to the hex ranges ('/', ':', '`', 'g', 'A'-'F') and beyond ASCII are the cases
// a table or range check gets wrong.

import { describe, it, expect } from 'vitest';
import { normalizeId } from '../../src-renderer/core/base/ids.ts';

const T = '0af7651916cd43dd8448eb211c80319c';
const S = 'b7ad6b7169203331';

describe('normalizeId', () => {
  it('keeps canonical ids as they are', () => {
    expect(normalizeId(T, 'trace')).toEqual({ hex: T, encoding: 'hex' });
    expect(normalizeId(S, 'span')).toEqual({ hex: S, encoding: 'hex' });
  });

  it('lowercases upper-case hex and pads short hex', () => {
    expect(normalizeId(T.toUpperCase(), 'trace')).toEqual({ hex: T, encoding: 'hex' });
    expect(normalizeId('abc', 'span')).toEqual({ hex: '0000000000000abc', encoding: 'hex' });
  });

  it('refuses all-zero ids', () => {
    expect(normalizeId('0'.repeat(32), 'trace')).toBeNull();
    expect(normalizeId('0'.repeat(16), 'span')).toBeNull();
  });

  // One character of a canonical-length id replaced: the neighbours of 0-9 and a-f in ASCII, and
  // characters whose codes are far beyond it (é, a full-width digit, an emoji half).
  for (const c of ['/', ':', '`', 'g', 'G', ' ', 'é', '\uFF10', '\uD83D']) {
    it(`does not take a ${JSON.stringify(c)} for hex`, () => {
      const id = S.slice(0, 7) + c + S.slice(8);
      const got = normalizeId(id, 'span');
      if (got !== null) expect(got.encoding).not.toBe('hex');
      expect(got?.hex ?? null).not.toBe(id);
    });
  }
});

// LineSplitter (core/import/lines.ts) cuts a byte stream into lines, decoding whole runs of lines
// at a time and slicing them. Whatever the chunking, each line's text, number and byte offset must
// be what splitting the whole input at its newline bytes gives: checked against that reference on
// inputs with CRLF, a byte order mark, 2-, 3- and 4-byte characters, bytes that are not UTF-8,
// empty lines and a last line without a newline, fed in every two-chunk split and byte by byte,
// and on inputs longer than one decoded piece, with a line longer than a piece.

import { describe, it, expect } from 'vitest';
import { LineSplitter, type Line } from '../../src-renderer/core/import/lines.ts';

const enc = new TextEncoder();

function bytes(...parts: (string | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

/** The reference: split the whole input at each LF byte, drop one CR before it, decode each line. */
function reference(input: Uint8Array): Line[] {
  const out: Line[] = [];
  const dec = new TextDecoder('utf-8', { ignoreBOM: true });
  let start = 0;
  let offset = 0;
  while (start < input.length) {
    let nl = input.indexOf(10, start);
    if (nl < 0) nl = input.length;
    let s = start;
    if (out.length === 0 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) s += 3;
    const stop = nl > s && input[nl - 1] === 13 ? nl - 1 : nl;
    offset = s;
    out.push({ text: dec.decode(input.subarray(s, stop)), line: out.length + 1, offset });
    start = nl + 1;
  }
  return out;
}

function split(chunks: Uint8Array[]): Line[] {
  const out: Line[] = [];
  const s = new LineSplitter((l) => out.push(l));
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

const SAMPLES: Record<string, Uint8Array> = {
  'LF and CRLF, empty lines': bytes('{"a":1}\r\n\n{"b":"x"}\n\r\n{"c":2}\n'),
  'a byte order mark': bytes([0xef, 0xbb, 0xbf], 'first\nsecond\n'),
  'multi-byte characters': bytes('é\n€uro\n😀 grin\r\nlast 😀'),
  'bytes that are not UTF-8': bytes('ok\n', [0xff, 0xfe, 0x41, 0x0a, 0xe2, 0x82], 'tail\n', [0xf0, 0x9f]),
  'no newline at all': bytes('just one line'),
  'only newlines': bytes('\n\n\r\n'),
};

describe('LineSplitter', () => {
  for (const [name, input] of Object.entries(SAMPLES)) {
    it(`reads ${name} the same however it is chunked`, () => {
      const want = reference(input);
      expect(split([input])).toEqual(want);
      for (let cut = 0; cut <= input.length; cut++) expect(split([input.subarray(0, cut), input.subarray(cut)])).toEqual(want);
      expect(split(Array.from(input, (b) => Uint8Array.of(b)))).toEqual(want);
    });
  }

  it('gives the first line without its byte order mark, and its offset after it', () => {
    const lines = split([bytes([0xef, 0xbb, 0xbf], 'a\nb')]);
    expect(lines).toEqual([
      { text: 'a', line: 1, offset: 3 },
      { text: 'b', line: 2, offset: 5 },
    ]);
  });

  it('keeps a byte order mark that is not at the start of the input', () => {
    expect(split([bytes('a\n', [0xef, 0xbb, 0xbf], 'b\n')])[1].text).toBe('\uFEFFb');
  });

  it('reads inputs longer than one decoded piece, with a line longer than a piece', () => {
    const rows: string[] = [];
    for (let i = 0; i < 20_000; i++) rows.push(`{"i":${i},"s":"${'é'.repeat(i % 7)}${'x'.repeat(i % 50)}"}`);
    rows.splice(7_000, 0, `{"long":"${'y'.repeat(700_000)}"}`);
    const input = bytes(rows.join('\n'), '\n');
    const want = reference(input);
    expect(want).toHaveLength(20_001);
    expect(split([input])).toEqual(want);
    const chunks: Uint8Array[] = [];
    for (let o = 0; o < input.length; o += 65_537) chunks.push(input.subarray(o, o + 65_537));
    expect(split(chunks)).toEqual(want);
  });
});

// CSV and JSON of a result table: RFC 4180 quoting, formula-looking text neutralised (and only
// text: numbers stay numbers), 64-bit integers exact, blobs as hex.
import { describe, it, expect } from 'vitest';
import { csvField, tableToCsv, tableToJson } from '../../src-renderer/core/base/table-export.ts';

describe('tableToCsv', () => {
  it('neutralises text a spreadsheet would run as a formula', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x","y")']) expect(csvField(s).replace(/^"/, '').startsWith("'"), s).toBe(true);
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('\rx')).toBe(`"'\rx"`);
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField(' =x')).toBe(' =x'); // not at the start
    expect(csvField(-5)).toBe('-5'); // a number is not a formula
    expect(csvField(2n ** 63n - 1n)).toBe('9223372036854775807');
  });

  it('quotes what RFC 4180 says, ends lines in CRLF, writes null as empty and blobs as hex', () => {
    const csv = tableToCsv({ columns: ['a', 'b,c', 'd"e'], rows: [['x', 'line\nbreak', null], [1.5, new Uint8Array([0, 255]), 'say "hi"']] });
    expect(csv).toBe('a,"b,c","d""e"\r\nx,"line\nbreak",\r\n1.5,00ff,"say ""hi"""\r\n');
  });
});

describe('tableToJson', () => {
  it('keeps repeated column names, 64-bit integers exact and blobs as hex', () => {
    const json = tableToJson({ columns: ['n', 'n'], rows: [[1796601808472000123n, new Uint8Array([1, 2])], [null, '=x']] });
    expect(json).toBe('{"columns":["n","n"],"rows":[[1796601808472000123,"0102"],[null,"=x"]]}');
  });
});

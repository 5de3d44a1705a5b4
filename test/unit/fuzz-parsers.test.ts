// The id and time parsers against random input (test/fuzz/parser-props.ts); `npm run fuzz` runs more.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { PARSER_PROPERTIES } from '../fuzz/parser-props.ts';

describe('id and time parsers under random input', () => {
  for (const [name, make] of Object.entries(PARSER_PROPERTIES)) {
    it(name, () => fc.assert(make(), { numRuns: 1000, seed: 20261206 }));
  }
});

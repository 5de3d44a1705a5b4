// Every importer against a few hundred random and mutated inputs (test/fuzz/importer-props.ts says
// what is checked). A fixed seed keeps the suite repeatable; `npm run fuzz` runs many more cases
// with a fresh seed.
import { afterAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { FORMATS, FuzzStore, importerProperty } from '../fuzz/importer-props.ts';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';

const RUNS = 200;
const SEED = 20261206;

describe('importers under random and mutated input', async () => {
  const stores = new FuzzStore(await loadSqlJs());
  afterAll(() => stores.close());
  for (const format of FORMATS) {
    it(`${format.id}: ${RUNS} cases`, () => {
      fc.assert(importerProperty(format, stores), { numRuns: RUNS, seed: SEED });
    });
  }
});

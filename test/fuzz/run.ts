// `npm run fuzz`: every importer and the id and time parsers against many random and mutated
// inputs (FUZZ_RUNS, default 10,000 per property) with a fresh seed, printed first so that a
// failure can be replayed: FUZZ_SEED=<seed> npm run fuzz. FUZZ_ONLY=<format id or parser name>
// narrows the run. Exits 1 on the first property that fails, after printing its counterexample.

import fc from 'fast-check';
import { FORMATS, FuzzStore, importerProperty } from './importer-props.ts';
import { PARSER_PROPERTIES } from './parser-props.ts';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';

const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const only = process.env.FUZZ_ONLY;
console.log(`fuzz: seed ${seed}, ${runs} cases per property (replay: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz)`);

const stores = new FuzzStore(await loadSqlJs());
const properties: Array<[string, fc.IProperty<unknown[]>]> = [
  ...FORMATS.map((f) => [f.id, importerProperty(f, stores)] as [string, fc.IProperty<unknown[]>]),
  ...Object.entries(PARSER_PROPERTIES).map(([name, make]) => [name, make()] as [string, fc.IProperty<unknown[]>]),
];
let failed = 0;
for (const [name, property] of properties) {
  if (only !== undefined && name !== only) continue;
  const t0 = performance.now();
  const out = fc.check(property, { numRuns: runs, seed });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (out.failed) {
    failed++;
    console.log(`FAIL ${name} after ${out.numRuns} cases (${s} s)`);
    console.log(fc.defaultReportMessage(out));
    console.log(out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance));
    break;
  }
  console.log(`ok   ${name}: ${out.numRuns} cases, ${s} s`);
}
stores.close();
process.exit(failed > 0 ? 1 : 0);

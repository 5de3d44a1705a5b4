import { readFileSync } from 'node:fs';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
const { client, core } = await createLocalEngine(new Uint8Array(readFileSync('/tmp/cohorts-1m.sqlite')));
await client.ready;
core.sql('SELECT count(*) FROM spans WHERE kind = 9'); // warm the page cache
for (const [entry, cohort, vs] of [[{ service: 'frontend', operation: 'POST /checkout' }, { kind: 'all' }, null], [{ service: 'frontend', operation: null }, { kind: 'all' }, null], [{ service: 'frontend', operation: 'POST /checkout' }, { kind: 'slowest', percent: 5 }, { kind: 'band', from: 0, to: 95 }]] as const) {
  const t = performance.now(); const c = process.cpuUsage();
  let steps = 0;
  const r = await client.runAggregate({ entry, cohort, vs } as any, () => steps++).done;
  const u = process.cpuUsage(c);
  console.log(entry.operation, cohort.kind, 'wall', (performance.now() - t).toFixed(0), 'cpu', ((u.user + u.system) / 1000).toFixed(0), 'steps', steps, r!.a.traces, r!.a.totalNs, r!.timingsMs);
}

// The hostile set (test/fixtures/hostile) through the engine in Node: the committed files are what
// the generator writes, and every fixture imports with its problems reported, never thrown, after
// which every query the screens make answers. The browser walk is test/e2e/hostile.spec.ts.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostileSet } from '../fixtures/hostile/hostile-set.ts';
import { createLocalEngine } from '../../src-renderer/engine/local.ts';
import type { ByteSource } from '../../src-renderer/engine/client.ts';
import { DEPTH_CUT } from '../../src-renderer/core/base/json.ts';

const DIR = join(import.meta.dirname, '../fixtures/hostile');

function source(name: string, bytes: Uint8Array, chunk = 1 << 20): ByteSource {
  return { name, size: bytes.length, async *chunks() { for (let o = 0; o < bytes.length; o += chunk) yield bytes.slice(o, o + chunk); } };
}

describe('the hostile set', () => {
  it('is committed as the generator writes it (small files) and generated at test time (big ones)', () => {
    const set = hostileSet();
    expect(set.length).toBeGreaterThanOrEqual(34);
    for (const f of set.filter((x) => !x.big)) expect(new Uint8Array(readFileSync(join(DIR, f.file))), f.file).toEqual(f.bytes());
  });

  it('imports every fixture, reports its problems, and every screen query answers after', async () => {
    const { core, client } = await createLocalEngine(undefined, { pipelined: true });
    // Smaller big files: the browser walk runs the full sizes.
    for (const f of hostileSet({ longLine: 2 << 20, chain: 5000, bombMegabytes: 256 })) {
      const reports = (await client.importFile(source(f.name, f.bytes()), () => {}).done)!;
      expect(reports.length, f.file).toBeGreaterThan(0);
      for (const r of reports) for (const e of r.errors) expect(e, f.file).not.toMatch(/TypeError|RangeError|Maximum call stack|undefined|NaN/);
    }
    const traces = core.listTraces({ offset: 0, limit: 1000 });
    expect(traces.length).toBeGreaterThan(10);
    for (const t of traces) {
      expect(core.traceView(t.traceId), t.traceId).not.toBeNull();
      expect(core.traceAnalyses(t.traceId), t.traceId).not.toBeNull();
    }
    const lines = core.logPage({}, 0, 2000);
    for (const l of lines) expect(core.logRecord(l.row)).not.toBeNull();
    core.logFacets();
    core.logHistogram({});
    core.sloOperations();
    // The 1,000-deep JSON log kept its three lines, the part below 256 levels cut with a note. (The
    // 100,000-deep one's first line is longer than the bytes detection reads: it is read as text,
    // its three lines kept too.)
    const lines3 = (name: string) => core.sql('SELECT format, line, message, attributes FROM logs JOIN files USING (file_id) WHERE files.name = ? ORDER BY line', [name]).rows;
    const deep = lines3('deep-1000.log.jsonl');
    expect(deep.map((r) => [r[0], r[1], r[2]])).toEqual([['logs-jsonl', 1, 'deep object'], ['logs-jsonl', 2, 'deep array'], ['logs-jsonl', 3, 'after the deep lines']]);
    expect(String(deep[0][3]).includes(DEPTH_CUT)).toBe(true);
    expect(lines3('deep-100000.log.jsonl').map((r) => r[1])).toEqual([1, 2, 3]);
    client.close();
  }, 300_000);
});

// Saving by streaming (store/stream-export.ts, engine/save-targets.ts): the file written page run
// by page run is the same file as the one-array export, byte for byte, for a new workspace (an
// attached in-memory database) and for one opened from a file (the main database); it opens with
// the same data and the user's work; chunks are gathered the same through a sink that answers
// later; an edit made while a save waits for its sink is in the file; and a sink that fails
// leaves the file that was there and the loaded workspace as they were, with a message naming
// the file.

import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { nodeFileSink } from '../../src-renderer/engine/save-targets.ts';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { streamWorkspace, type FileSink } from '../../src-renderer/store/stream-export.ts';
import { DAY_NS, MINUTE_NS, type SloDefinition } from '../../src-renderer/core/analysis/slo.ts';

const DEMO = join(__dirname, '../../assets/demo-incident.zip');
const CATALOG = join(__dirname, '../fixtures/catalog/demo-catalog-info.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tracedeck-stream-'));
const SLO: SloDefinition = {
  name: 'checkout-latency', service: 'frontend', operation: 'POST /checkout', indicator: { kind: 'latency', thresholdNs: 2e9 },
  objective: 0.99, windowNs: 5 * MINUTE_NS, periodNs: 30 * DAY_NS,
};
const VIEW = { route: '#/logs?sev=error', kept: { logs: { sev: 'error' } } };
let SQL: SqlJsStatic;

/** The demo with its catalog, an SLO, notes and a view, in a new workspace (the attached in-memory database). */
async function demoWorkspace(): Promise<EngineCore> {
  const core = new EngineCore((await loadInputs([DEMO, CATALOG])).store);
  const traceId = core.listTraces({ offset: 0, limit: 1, sort: 'errors' })[0].traceId;
  core.sloAdd([{ definition: SLO, warnings: [] }]);
  core.noteSet({ target: 'trace', traceId, label: 'worst' }, { starred: true, body: 'payment times out' });
  core.noteSet({ target: 'log', logRow: 3, label: 'a line' }, { starred: true });
  return core;
}

/** What a reader of the workspace sees: counts, SLOs, notes, the view and the owners. */
function contentsOf(core: EngineCore) {
  return { totals: core.totals(), slos: core.sloList(), notes: core.notes(), view: core.viewState(), owners: core.ownership().services.length };
}

interface Written {
  at: number;
  bytes: Uint8Array;
}

/** A sink answering each write a little later, as a picked file's stream does; it copies what it keeps. */
function laterSink(parts: Written[]): FileSink & { size: number } {
  const sink = {
    size: -1,
    async write(bytes: Uint8Array, at: number) {
      const copy = bytes.slice();
      await new Promise((r) => setTimeout(r, 0));
      parts.push({ at, bytes: copy });
    },
    close(size: number) {
      sink.size = size;
    },
    abort() {},
  };
  return sink;
}

function assemble(parts: Written[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (const p of parts) out.set(p.bytes, p.at);
  return out;
}

beforeAll(async () => {
  SQL = await loadSqlJs();
}, 60_000);

describe('a workspace saved by streaming', () => {
  it('is the one-array export byte for byte, new or opened from a file, and opens with the same work', async () => {
    const core = await demoWorkspace();
    const path = join(dir, 'new.tracedeck');
    const size = await core.saveWorkspace({ kind: 'path', path }, VIEW);
    const streamed = new Uint8Array(readFileSync(path));
    expect(streamed.length).toBe(size);
    expect(Buffer.from(streamed).equals(Buffer.from(core.exportWorkspace()))).toBe(true);
    const before = contentsOf(core);
    expect(before.totals.logs).toBeGreaterThan(0);
    expect(before.notes).toHaveLength(2);

    // Opened from that file, the workspace is SQLite's main database: saved again, the same.
    const opened = new EngineCore(Store.create(SQL));
    opened.openWorkspace(streamed.slice(), 'new.tracedeck');
    expect(contentsOf(opened)).toEqual(before);
    const again = join(dir, 'again.tracedeck');
    await opened.saveWorkspace({ kind: 'path', path: again });
    expect(Buffer.from(readFileSync(again)).equals(Buffer.from(opened.exportWorkspace()))).toBe(true);
    const reopened = new EngineCore(Store.create(SQL));
    reopened.openWorkspace(new Uint8Array(readFileSync(again)), 'again.tracedeck');
    expect(contentsOf(reopened)).toEqual(before);
    // No temporary file is left beside the saved ones.
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    for (const c of [core, opened, reopened]) c.store.close();
  });

  it('gathers pages into chunks for a sink that answers later, in small steps, and writes the same file', async () => {
    const core = await demoWorkspace();
    const parts: Written[] = [];
    const sink = laterSink(parts);
    const r = await streamWorkspace(core.store, sink, { stepPages: 7, chunkBytes: 64 * 1024 });
    expect(sink.size).toBe(r.bytes);
    expect(parts.length).toBeGreaterThanOrEqual(r.bytes / (64 * 1024)); // a call per chunk at least
    expect(Math.max(...parts.map((p) => p.bytes.length))).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.from(assemble(parts, r.bytes)).equals(Buffer.from(core.exportWorkspace()))).toBe(true);
    core.store.close();
  });

  it('holds an edit made while it waited for its sink, and opens', async () => {
    for (const fromFile of [false, true]) {
      let core = await demoWorkspace();
      if (fromFile) {
        const opened = new EngineCore(Store.create(SQL));
        opened.openWorkspace(core.exportWorkspace(), 'demo.tracedeck');
        core.store.close();
        core = opened;
      }
      const parts: Written[] = [];
      const sink = laterSink(parts);
      const traceId = core.listTraces({ offset: 0, limit: 2, sort: 'errors' })[1].traceId;
      const write = sink.write;
      let edited = false;
      sink.write = async (bytes, position) => {
        await write(bytes, position);
        if (!edited && position > 0) {
          edited = true;
          core.noteSet({ target: 'trace', traceId, label: 'second' }, { body: 'written during the save' });
        }
      };
      const r = await streamWorkspace(core.store, sink, { stepPages: 5, chunkBytes: 16 * 1024 });
      expect(edited).toBe(true);
      const copy = new EngineCore(Store.create(SQL));
      copy.openWorkspace(assemble(parts, r.bytes), 'copy.tracedeck');
      expect(copy.notes().map((n) => n.body)).toContain('written during the save');
      expect(contentsOf(copy)).toEqual(contentsOf(core));
      copy.store.close();
      core.store.close();
    }
  });
});

describe('a save that fails', () => {
  it('leaves the file that was there, removes what it wrote, keeps the workspace, and names the file', async () => {
    const core = await demoWorkspace();
    const path = join(dir, 'kept.tracedeck');
    const old = new Uint8Array(readFileSync(DEMO)); // any earlier contents
    writeFileSync(path, old);
    const before = contentsOf(core);
    // The disk fills up at the third chunk.
    const disk = nodeFileSink(path);
    let n = 0;
    const failing: FileSink = {
      write(bytes, at) {
        if (++n === 3) throw new Error('ENOSPC: no space left on device, write');
        disk.write(bytes, at);
      },
      close: disk.close,
      abort: disk.abort,
    };
    await expect(streamWorkspace(core.store, failing, { chunkBytes: 64 * 1024 })).rejects.toThrow(/ENOSPC/);
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(old))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('kept.tracedeck') && f !== 'kept.tracedeck')).toEqual([]);
    expect(contentsOf(core)).toEqual(before);

    // Through the engine's request: a folder that is not there is named in the message.
    const nowhere = join(dir, 'no-such-folder', 'x.tracedeck');
    await expect(core.saveWorkspace({ kind: 'path', path: nowhere })).rejects.toThrow(`${nowhere} could not be written: ENOENT`);

    // The workspace still takes more work and saves whole.
    core.noteSet({ target: 'log', logRow: 4, label: 'after' }, { starred: true });
    await core.saveWorkspace({ kind: 'path', path });
    const reopened = new EngineCore(Store.create(SQL));
    reopened.openWorkspace(new Uint8Array(readFileSync(path)), 'kept.tracedeck');
    expect(contentsOf(reopened)).toEqual(contentsOf(core));
    expect(existsSync(path)).toBe(true);
    reopened.store.close();
    core.store.close();
  });
});

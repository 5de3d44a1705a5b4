// Saving in the desktop app, without the Electron binary: the engine streams the workspace on a
// port, the Electron host passes the chunks over the preload's api to the main process's
// handlers, which write a temporary file and put it in place (desktop-harness.ts). Save As asks
// for a file, Save writes the same one again, the kept copy goes to the data folder; each file is
// the engine's one-array export byte for byte. A write that fails in the main process leaves the
// file that was there, no temporary file, and the workspace as it was, with a message naming the file.
import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import type { SaveTarget } from '../../src-renderer/engine/protocol.ts';
import type { WorkspaceWriter } from '../../src-renderer/host/host.ts';
import { desktop } from './desktop-harness.ts';

const DEMO = path.join(__dirname, '../../assets/demo-incident.zip');
let core: EngineCore;

/** What the renderer's state hands the host (state/workspace.svelte.ts writer()), over the engine in this thread. */
const writer: () => WorkspaceWriter = () => ({ to: (t: SaveTarget) => core.saveWorkspace(t), bytes: async () => core.exportWorkspace() });
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

beforeAll(async () => {
  core = new EngineCore((await loadInputs([DEMO])).store);
}, 60_000);

describe('saving in the desktop app', () => {
  it('streams Save As, Save and the kept copy to the main process, each the whole workspace', async () => {
    const { dir, deps, host } = desktop('tracedeck-electron-save-');
    const asked: string[] = [];
    deps.chooseSavePath = async (_owner, suggested) => (asked.push(suggested), path.join(dir, 'incident.tracedeck'));
    expect(await host.saveWorkspace(writer(), 'incident.tracedeck', true)).toBe('incident.tracedeck');
    expect(same(readFileSync(path.join(dir, 'incident.tracedeck')), core.exportWorkspace())).toBe(true);

    core.noteSet({ target: 'log', logRow: 2, label: 'a line' }, { starred: true });
    expect(await host.saveWorkspace(writer(), 'incident.tracedeck', false)).toBe('incident.tracedeck');
    expect(asked).toEqual(['incident.tracedeck']); // Save wrote the same file without asking
    expect(same(readFileSync(path.join(dir, 'incident.tracedeck')), core.exportWorkspace())).toBe(true);

    await host.keep!.write(writer(), { savedAt: 1765100000000, name: 'incident.tracedeck' });
    const bytes = core.exportWorkspace();
    expect(await host.keep!.info()).toEqual({ savedAt: 1765100000000, name: 'incident.tracedeck', sizeBytes: bytes.length });
    expect(same((await host.keep!.read())!, bytes)).toBe(true);
    expect(readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.partial'))).toEqual([]);
  });

  it('leaves the file that was there and the workspace when the main process cannot write, and names the file', async () => {
    const { dir, deps, host } = desktop('tracedeck-electron-fail-');
    const target = path.join(dir, 'incident.tracedeck');
    writeFileSync(target, 'the earlier save');
    deps.chooseSavePath = async () => target;
    const write = deps.writes.write.bind(deps.writes);
    let n = 0;
    deps.writes.write = async (owner, token, at, bytes) => {
      if (++n === 2) throw new Error('ENOSPC: no space left on device, write');
      return write(owner, token, at, bytes);
    };
    const before = core.totals();
    await expect(host.saveWorkspace(writer(), 'incident.tracedeck', true)).rejects.toThrow(/^incident\.tracedeck could not be written: .*ENOSPC/);
    expect(readFileSync(target, 'utf8')).toBe('the earlier save');
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(core.totals()).toEqual(before);
    // The next save goes through whole.
    expect(await host.saveWorkspace(writer(), 'incident.tracedeck', true)).toBe('incident.tracedeck');
    expect(same(readFileSync(target), core.exportWorkspace())).toBe(true);
  });
});

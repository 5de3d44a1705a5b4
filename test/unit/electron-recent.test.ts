// The desktop app's recent files (src-main/recent.ts), in plain Node: kept by path in a JSON file
// of the data folder, newest first, at most MAX_RECENT, missing files marked, paths never handed
// out (ids and names only), and a damaged list file starts a new list.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecentFilesStore, MAX_RECENT } from '../../src-main/recent.ts';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'tracedeck-recent-'));
  const data = join(root, 'data');
  const a = join(root, 'incident.tracedeck');
  const b = join(root, 'logs', 'app.log');
  writeFileSync(a, 'x');
  return { root, data, a, b };
}

describe('recent files of the desktop app', () => {
  it('lists what was opened, newest first, by name and folder, marking a file that is gone', async () => {
    const { root, data, a, b } = setup();
    const store = new RecentFilesStore(data);
    await store.add(a, 'workspace', 1000);
    await store.add(b, 'files', 2000);
    const list = await store.list();
    expect(list.map((e) => [e.name, e.kind, e.openedAt, e.exists])).toEqual([
      ['app.log', 'files', 2000, false],
      ['incident.tracedeck', 'workspace', 1000, true],
    ]);
    expect(list[1].folder).toBe(root);
    expect(JSON.stringify(list.map(({ folder: _f, ...rest }) => rest))).not.toContain(root);
    // Another process (the next start) reads the same list.
    expect((await new RecentFilesStore(data).list()).map((e) => e.id)).toEqual(list.map((e) => e.id));
    expect(await store.pathOf(list[1].id)).toEqual({ path: a, kind: 'workspace' });
    expect(await store.pathOf('nope')).toBeNull();
  });

  it('moves a file opened again to the top, keeps at most MAX_RECENT, and removes by id', async () => {
    const { root, data, a } = setup();
    const store = new RecentFilesStore(data);
    for (let i = 0; i < MAX_RECENT + 3; i++) await store.add(join(root, `f${i}.json`), 'files', i);
    await store.add(a, 'workspace', 100);
    await store.add(join(root, 'f14.json'), 'files', 101);
    const list = await store.list();
    expect(list).toHaveLength(MAX_RECENT);
    expect(list.slice(0, 3).map((e) => e.name)).toEqual(['f14.json', 'incident.tracedeck', 'f13.json']);
    await store.remove(list[1].id);
    expect((await store.list()).map((e) => e.name)).not.toContain('incident.tracedeck');
    expect(JSON.parse(readFileSync(join(data, 'recent.json'), 'utf8'))).toHaveLength(MAX_RECENT - 1);
  });

  it('starts a new list from a damaged file, and drops entries that are not absolute paths', async () => {
    const { data, a } = setup();
    const store = new RecentFilesStore(data);
    await store.add(a, 'workspace', 1);
    writeFileSync(join(data, 'recent.json'), '{"not": "a list"');
    expect(await new RecentFilesStore(data).list()).toEqual([]);
    writeFileSync(join(data, 'recent.json'), JSON.stringify([{ path: 'relative.json', kind: 'files', openedAt: 1 }, { path: a, kind: 'other', openedAt: 1 }, { path: a, kind: 'workspace', openedAt: 5 }]));
    expect((await new RecentFilesStore(data).list()).map((e) => [e.name, e.openedAt])).toEqual([['incident.tracedeck', 5]]);
    rmSync(data, { recursive: true, force: true });
    expect(await new RecentFilesStore(data).list()).toEqual([]);
  });
});

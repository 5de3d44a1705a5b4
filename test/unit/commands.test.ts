// The command registry and its fuzzy search: what the palette lists, what a key press runs.
import { describe, expect, it } from 'vitest';
import { fuzzyScore } from '../../src-renderer/core/base/fuzzy.ts';
import { CommandRegistry, keyLabel, keyOf, type Command } from '../../src-renderer/state/commands.svelte.ts';

const press = (key: string, m: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) =>
  keyOf({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...m });

describe('fuzzyScore', () => {
  it('needs every character in order, case ignored', () => {
    expect(fuzzyScore('crit', 'Critical path only')).not.toBeNull();
    expect(fuzzyScore('cpo', 'Critical path only')).not.toBeNull();
    expect(fuzzyScore('tirc', 'Critical path only')).toBeNull();
    expect(fuzzyScore('', 'anything')).toBe(0);
  });

  it('ranks word starts and runs above scattered letters', () => {
    expect(fuzzyScore('logs', 'Go to: Logs')!).toBeGreaterThan(fuzzyScore('logs', 'Toggle long spans')!);
    expect(fuzzyScore('dark', 'Theme: Dark')!).toBeGreaterThan(fuzzyScore('dark', 'Drag a range, mark it')!);
  });
});

describe('keyOf and keyLabel', () => {
  it('writes printable keys as typed and chords with Mod', () => {
    expect(press('j')).toBe('j');
    expect(press('N', { shiftKey: true })).toBe('N');
    expect(press('?', { shiftKey: true })).toBe('?');
    expect(press('k', { ctrlKey: true })).toBe('Mod+k');
    expect(press('k', { metaKey: true })).toBe('Mod+k');
    expect(press('P', { ctrlKey: true, shiftKey: true })).toBe('Mod+Shift+p');
    expect(press('ArrowDown', { shiftKey: true })).toBe('Shift+ArrowDown');
  });

  it('labels keys for people', () => {
    expect(keyLabel('Mod+k')).toBe('Ctrl+K');
    expect(keyLabel('Mod+k', true)).toBe('⌘K');
    expect(keyLabel('ArrowDown')).toBe('↓');
    expect(keyLabel('N')).toBe('N');
  });
});

describe('CommandRegistry', () => {
  const cmd = (id: string, title: string, keys: string[] = [], enabled?: () => boolean): Command => ({ id, title, group: 'G', keys, run: () => {}, enabled });

  it('finds the command of a key, the latest registration first, and forgets on unregister', () => {
    const r = new CommandRegistry();
    r.register([cmd('app-j', 'App J', ['j'])]);
    const off = r.register([cmd('screen-j', 'Screen J', ['j'])]);
    expect(r.forKey('j')?.id).toBe('screen-j');
    off();
    expect(r.forKey('j')?.id).toBe('app-j');
    expect(r.forKey('x')).toBeUndefined();
  });

  it('leaves out disabled commands from keys and search', () => {
    const r = new CommandRegistry();
    r.register([cmd('a', 'Zoom in', ['w'], () => false), cmd('b', 'Zoom out', ['s'])]);
    expect(r.forKey('w')).toBeUndefined();
    expect(r.search('zoom').map((c) => c.id)).toEqual(['b']);
  });

  it('searches best first', () => {
    const r = new CommandRegistry();
    r.register([cmd('legend', 'Toggle the legend of charts'), cmd('logs', 'Logs'), cmd('slos', 'SLOs')]);
    expect(r.search('logs')[0].id).toBe('logs');
    expect(r.search('').map((c) => c.id)).toEqual(['legend', 'logs', 'slos']);
  });
});

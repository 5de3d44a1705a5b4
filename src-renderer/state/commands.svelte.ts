// Every command of the app in one registry: the command palette lists and runs them, the
// keyboard map (?) shows those of the current screen with their keys, and the one key handler
// finds the command a key press means here. Screens register their commands while they are open,
// so what is offered is always what can be done where the user is.

import { untrack } from 'svelte';
import { fuzzyScore } from '../core/base/fuzzy.ts';

export interface Command {
  /** Unique among the registered commands. */
  id: string;
  /** What it does, as the palette shows it ("Zoom in"). */
  title: string;
  /** Where it belongs, as the keyboard map groups it ("Trace", "Go to", "Theme"). */
  group: string;
  /** Key presses that run it, written as keyOf writes them: "j", "ArrowDown", "Mod+k", "?". */
  keys?: readonly string[];
  run: () => void;
  /** False hides it from the palette and its keys do nothing (a toggle with nothing to act on). */
  enabled?: () => boolean;
}

/**
 * A key press as the registry writes keys: a printable key alone as typed ("j", "N", "?"); with
 * Ctrl/⌘ (Mod) or Alt, the modifiers then the key in lower case ("Mod+Shift+p"); named keys by
 * name, with their modifiers ("Shift+ArrowDown").
 */
export function keyOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): string {
  const named = e.key.length > 1;
  const chord = e.ctrlKey || e.metaKey || e.altKey;
  const mods = (e.ctrlKey || e.metaKey ? 'Mod+' : '') + (e.altKey ? 'Alt+' : '') + (e.shiftKey && (named || chord) ? 'Shift+' : '');
  return mods + (chord && !named ? e.key.toLowerCase() : e.key);
}

/** A key as people read it: "Mod+k" → "Ctrl+K" (⌘K on a Mac), "ArrowDown" → "↓". */
export function keyLabel(key: string, mac = false): string {
  const names: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', ArrowLeft: '←', ArrowRight: '→', Escape: 'Esc', ' ': 'Space' };
  return key
    .split('+')
    .map((p, i, all) => (p === 'Mod' ? (mac ? '⌘' : 'Ctrl') : names[p] ?? (i === all.length - 1 && all.length > 1 ? p.toUpperCase() : p)))
    .join(mac ? '' : '+');
}

export class CommandRegistry {
  #sources = $state.raw<ReadonlyArray<readonly [symbol, readonly Command[]]>>([]);
  readonly all: readonly Command[] = $derived(this.#sources.flatMap(([, cmds]) => cmds));
  readonly enabled: readonly Command[] = $derived(this.all.filter((c) => c.enabled?.() ?? true));

  /** Adds commands until the returned function is called (a screen registers on open, removes on close). */
  register(commands: readonly Command[]): () => void {
    const token = Symbol('commands');
    // Screens register from an effect: reading the list here must not make that effect depend on it.
    untrack(() => (this.#sources = [...this.#sources, [token, commands]]));
    return () => untrack(() => (this.#sources = this.#sources.filter(([t]) => t !== token)));
  }

  /** The command a key press runs here, if any; later registrations (the open screen) win. */
  forKey(key: string): Command | undefined {
    const list = this.enabled;
    for (let i = list.length - 1; i >= 0; i--) if (list[i].keys?.includes(key)) return list[i];
    return undefined;
  }

  /** The enabled commands matching a query, best first ("group: title" is what is matched). */
  search(query: string): Command[] {
    const scored: Array<[number, number, Command]> = [];
    this.enabled.forEach((c, i) => {
      const s = fuzzyScore(query, `${c.group}: ${c.title}`);
      if (s !== null) scored.push([s, i, c]);
    });
    return scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, , c]) => c);
  }
}

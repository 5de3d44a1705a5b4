// The colour theme: the user's choice (System, Light or Dark), remembered on this machine, and
// the theme it resolves to. "System" follows prefers-color-scheme as it changes. The resolved
// theme is written on <html data-theme>, where app.css switches the palette; canvases and charts
// read palette colours through color(), which they call while drawing so they redraw on a switch.

import { readRemembered, remember } from './remembered.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type ResolvedTheme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const KEY = 'tracedeck.theme';

function isChoice(v: unknown): v is ThemeChoice {
  return typeof v === 'string' && (THEME_CHOICES as readonly string[]).includes(v);
}

export class Theme {
  choice = $state<ThemeChoice>(readRemembered(KEY, isChoice, 'system'));
  #systemDark = $state(false);
  readonly resolved: ResolvedTheme = $derived(this.choice === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.choice);

  constructor() {
    const mq = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
    if (mq) {
      this.#systemDark = mq.matches;
      mq.addEventListener('change', (e) => (this.#systemDark = e.matches));
    }
  }

  set(choice: ThemeChoice): void {
    if (!isChoice(choice)) return;
    this.choice = choice;
    remember(KEY, choice);
  }

  /** Puts the resolved theme on the document; app.css keys the palette on it. */
  apply(root: HTMLElement): void {
    root.dataset.theme = this.resolved;
  }

  /** A palette colour ("--grid") in the current theme; any other string is returned as it is. */
  color(name: string): string {
    void this.resolved; // a dependency: whoever draws with this colour redraws on a switch
    if (!name.startsWith('--') || typeof document === 'undefined') return name;
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || name;
  }
}

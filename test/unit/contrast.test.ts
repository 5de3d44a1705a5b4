// The palette's promise, checked on the stylesheet itself: every text colour reads at 4.5:1 or
// more (WCAG 2.1 AA, https://www.w3.org/TR/WCAG21/#contrast-minimum) on every background, in the
// light and the dark theme; and no component paints text or a background in a colour outside the
// palette, so the promise covers every screen.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../src-renderer');
const CSS = readFileSync(join(ROOT, 'app.css'), 'utf8');

/** Colours a text may have, and the fills it may sit on. */
const TEXT = ['--fg', '--muted', '--accent', '--error', '--warn-text', '--ok-text', '--sev-debug'];
const BACKGROUNDS = ['--bg', '--surface', '--panel', '--row-hover', '--row-selected', '--error-bg', '--warn-bg', '--ok-bg', '--hit-bg', '--info-bg'];
/** Fills no text sits on: dividers, washes over a chart or a minimap, a dialog's backdrop, bars of a share. */
const DECORATIVE = ['--border', '--border-strong', '--accent', '--accent-wash', '--accent-wash-strong', '--backdrop', '--sev-fill-error'];
/** Text drawn only on its own fill (a primary button, the fatal badge). */
const ON_FILL: Array<[string, string]> = [
  ['--on-accent', '--accent-strong'],
  ['--on-fatal', '--fatal-bg'],
];

/** The custom properties declared in the first block whose selector is exactly `selector`. */
function variables(css: string, selector: string): Map<string, string> {
  const at = css.indexOf(`${selector} {`);
  if (at < 0) throw new Error(`no ${selector} block in app.css`);
  const body = css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at));
  const out = new Map<string, string>();
  for (const m of body.matchAll(/(--[a-z0-9-]+)\s*:\s*([^;]+);/g)) out.set(m[1], m[2].trim());
  return out;
}

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(m[1].slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

const THEMES: Array<[string, Map<string, string>]> = [
  ['light', variables(CSS, ':root')],
  ['dark', new Map([...variables(CSS, ':root'), ...variables(CSS, ":root[data-theme='dark']")])],
];

describe('contrast ratio', () => {
  it('matches WCAG reference values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2); // the classic just-failing grey
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
  });
});

describe.each(THEMES)('the %s palette', (_name, vars) => {
  it('declares every colour the pairs name', () => {
    for (const v of [...TEXT, ...BACKGROUNDS, ...ON_FILL.flat()]) expect(vars.get(v), v).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('every text colour reads at 4.5:1 on every background', () => {
    const failures: string[] = [];
    for (const t of TEXT)
      for (const b of BACKGROUNDS) {
        const r = contrast(vars.get(t)!, vars.get(b)!);
        if (r < 4.5) failures.push(`${t} on ${b}: ${r.toFixed(2)}`);
      }
    for (const [t, b] of ON_FILL) {
      const r = contrast(vars.get(t)!, vars.get(b)!);
      if (r < 4.5) failures.push(`${t} on ${b}: ${r.toFixed(2)}`);
    }
    expect(failures).toEqual([]);
  });
});

/** Every stylesheet of the app: app.css and each component's <style>. */
function styleSheets(): Array<[string, string]> {
  const out: Array<[string, string]> = [['app.css', CSS]];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.svelte')) {
        const m = /<style[^>]*>([\s\S]*?)<\/style>/.exec(readFileSync(p, 'utf8'));
        if (m) out.push([p.slice(ROOT.length + 1), m[1]]);
      }
    }
  };
  walk(ROOT);
  return out;
}

describe('stylesheets', () => {
  it('colour text and fill backgrounds only from the palette', () => {
    const literal = /#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(|\b(white|black)\b/i;
    const bad: string[] = [];
    for (const [file, css] of styleSheets()) {
      // Declarations outside the custom properties (the palette itself declares literals).
      for (const m of css.matchAll(/(?:^|[;{\s])((?:color|background(?:-color)?)\s*:\s*([^;}]+))/g)) {
        if (literal.test(m[2])) bad.push(`${file}: ${m[1].trim()}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('text colours are text variables and backgrounds are background variables', () => {
    const allowedText = new Set([...TEXT, ...ON_FILL.map(([t]) => t)]);
    const allowedFill = new Set([...BACKGROUNDS, ...ON_FILL.map(([, b]) => b), ...DECORATIVE]);
    const bad: string[] = [];
    for (const [file, css] of styleSheets()) {
      for (const m of css.matchAll(/(?:^|[;{\s])color\s*:\s*var\((--[a-z0-9-]+)\)/g)) if (!allowedText.has(m[1])) bad.push(`${file}: color ${m[1]}`);
      for (const m of css.matchAll(/(?:^|[;{\s])background(?:-color)?\s*:\s*var\((--[a-z0-9-]+)\)/g)) if (!allowedFill.has(m[1])) bad.push(`${file}: background ${m[1]}`);
    }
    expect(bad).toEqual([]);
  });
});

// The commands every screen has: go to a screen, open and save, the theme, the palette and the
// keyboard map. Screens add their own while they are open (see state/commands.svelte.ts).
import type { Command } from '../state/commands.svelte.ts';
import type { Workspace } from '../state/workspace.svelte.ts';
import type { Navigation, Screen } from '../state/navigation.svelte.ts';
import { THEME_CHOICES, type Theme } from '../state/theme.svelte.ts';
import { timeZone, localZoneName } from '../state/time-zone.svelte.ts';

/** The screens the header's tabs and the Go to commands name, in order. */
export const SCREENS: ReadonlyArray<[Screen, string]> = [
  ['traces', 'Traces'],
  ['failures', 'Failures'],
  ['map', 'Map'],
  ['logs', 'Logs'],
  ['slos', 'SLOs'],
  ['across', 'Across traces'],
  ['owners', 'Owners'],
  ['report', 'Report'],
  ['files', 'Files'],
  ['notes', 'Bookmarks'],
  ['sql', 'SQL'],
];
const THEME_NAMES = { system: 'System (follow the machine)', light: 'Light', dark: 'Dark' } as const;

export function appCommands(ws: Workspace, nav: Navigation, theme: Theme, show: (overlay: 'palette' | 'keymap') => void): Command[] {
  const hasData = () => ws.totals.files > 0;
  return [
    { id: 'palette', group: 'Help', title: 'Command palette', keys: ['Mod+k', 'Mod+Shift+p'], run: () => show('palette') },
    { id: 'keymap', group: 'Help', title: 'Keyboard shortcuts of this screen', keys: ['?'], run: () => show('keymap') },
    ...SCREENS.map(([screen, title]): Command => ({ id: `go-${screen}`, group: 'Go to', title, run: () => nav.go(screen), enabled: hasData })),
    { id: 'open-files', group: 'File', title: 'Open files…', run: () => void ws.openFiles() },
    { id: 'open-demo', group: 'File', title: 'Open the demo incident', run: () => void ws.openDemo() },
    { id: 'save-workspace', group: 'File', title: 'Save workspace', keys: ['Mod+s'], run: () => void ws.saveWorkspace(), enabled: hasData },
    { id: 'save-workspace-as', group: 'File', title: 'Save workspace as…', keys: ['Mod+Shift+s'], run: () => void ws.saveWorkspace(true), enabled: hasData },
    { id: 'dismiss-report', group: 'File', title: 'Dismiss the import report', run: () => (ws.reports = []), enabled: () => ws.reports.length > 0 },
    ...THEME_CHOICES.map((c): Command => ({ id: `theme-${c}`, group: 'Theme', title: THEME_NAMES[c], run: () => theme.set(c), enabled: () => theme.choice !== c })),
    { id: 'zone-utc', group: 'Times', title: 'Show times in UTC', run: () => timeZone.set('utc'), enabled: () => timeZone.choice !== 'utc' },
    { id: 'zone-local', group: 'Times', title: `Show times in this machine's zone (${localZoneName()})`, run: () => timeZone.set('local'), enabled: () => timeZone.choice !== 'local' },
  ];
}

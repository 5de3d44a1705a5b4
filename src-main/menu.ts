// The application menu. Its items do nothing themselves: each one sends a MenuCommand to the
// window, and the renderer decides (it owns the state: what is open, what can be saved). The
// template is a pure function of the platform so it is testable without Electron.
import type { BaseWindow, MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './ipc/contract.ts';

export type SendMenuCommand = (command: MenuCommand, window: BaseWindow | undefined) => void;

interface CommandItem {
  label: string;
  command: MenuCommand;
  accelerator?: string;
}

export const FILE_ITEMS: readonly CommandItem[] = [
  { label: 'Open…', command: 'open-files', accelerator: 'CmdOrCtrl+O' },
  { label: 'Open Demo Incident', command: 'open-demo' },
  { label: 'Save Workspace', command: 'save-workspace', accelerator: 'CmdOrCtrl+S' },
  { label: 'Save Workspace As…', command: 'save-workspace-as', accelerator: 'CmdOrCtrl+Shift+S' },
];

export const VIEW_ITEMS: readonly CommandItem[] = [
  { label: 'Traces', command: 'show-traces', accelerator: 'CmdOrCtrl+1' },
  { label: 'Logs', command: 'show-logs', accelerator: 'CmdOrCtrl+2' },
  { label: 'SLOs', command: 'show-slos', accelerator: 'CmdOrCtrl+3' },
];

export const FIND_ITEM: CommandItem = { label: 'Find…', command: 'find', accelerator: 'CmdOrCtrl+F' };

function item(c: CommandItem, send: SendMenuCommand): MenuItemConstructorOptions {
  return {
    id: `command:${c.command}`,
    label: c.label,
    ...(c.accelerator !== undefined ? { accelerator: c.accelerator } : {}),
    click: (_menuItem, window) => send(c.command, window),
  };
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Developer tools and reload only in an unpackaged (development) run. */
  isPackaged: boolean;
}

export function menuTemplate(send: SendMenuCommand, { platform, isPackaged }: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push({
    label: '&File',
    submenu: [
      ...FILE_ITEMS.map((c) => item(c, send)),
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
    ],
  });
  // The standard Edit roles make copy/paste/select-all work in text fields (on macOS they only
  // work when the menu has them).
  template.push({ role: 'editMenu' });
  template.push({
    label: '&View',
    submenu: [
      ...VIEW_ITEMS.map((c) => item(c, send)),
      { type: 'separator' },
      item(FIND_ITEM, send),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { role: 'togglefullscreen' },
      ...(isPackaged ? [] : [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const]),
    ],
  });
  template.push({ role: 'windowMenu' });
  return template;
}

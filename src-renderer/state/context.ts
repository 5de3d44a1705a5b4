// Shared state reaches views through Svelte context, set once in App.svelte.
import { getContext, setContext } from 'svelte';
import type { Workspace } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';
import type { Theme } from './theme.svelte.ts';
import type { CommandRegistry } from './commands.svelte.ts';

const WS = Symbol('workspace');
const NAV = Symbol('navigation');
const THEME = Symbol('theme');
const COMMANDS = Symbol('commands');

export function provideState(ws: Workspace, nav: Navigation, theme: Theme, commands: CommandRegistry): void {
  setContext(WS, ws);
  setContext(NAV, nav);
  setContext(THEME, theme);
  setContext(COMMANDS, commands);
}

export function useWorkspace(): Workspace {
  return getContext<Workspace>(WS);
}

export function useNavigation(): Navigation {
  return getContext<Navigation>(NAV);
}

export function useTheme(): Theme {
  return getContext<Theme>(THEME);
}

export function useCommands(): CommandRegistry {
  return getContext<CommandRegistry>(COMMANDS);
}

// Shared state reaches views through Svelte context, set once in App.svelte.
import { getContext, setContext } from 'svelte';
import type { Workspace } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';
import type { Theme } from './theme.svelte.ts';
import type { CommandRegistry } from './commands.svelte.ts';
import type { KeptWorkspace } from './kept-workspace.svelte.ts';

const WS = Symbol('workspace');
const NAV = Symbol('navigation');
const THEME = Symbol('theme');
const COMMANDS = Symbol('commands');
const KEPT = Symbol('kept workspace');

export function provideState(ws: Workspace, nav: Navigation, theme: Theme, commands: CommandRegistry, kept: KeptWorkspace): void {
  setContext(WS, ws);
  setContext(NAV, nav);
  setContext(THEME, theme);
  setContext(COMMANDS, commands);
  setContext(KEPT, kept);
}

export function useKeptWorkspace(): KeptWorkspace {
  return getContext<KeptWorkspace>(KEPT);
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

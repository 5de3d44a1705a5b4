// Shared state reaches views through Svelte context, set once in App.svelte.
import { getContext, setContext } from 'svelte';
import type { Workspace } from './workspace.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';

const WS = Symbol('workspace');
const NAV = Symbol('navigation');

export function provideState(ws: Workspace, nav: Navigation): void {
  setContext(WS, ws);
  setContext(NAV, nav);
}

export function useWorkspace(): Workspace {
  return getContext<Workspace>(WS);
}

export function useNavigation(): Navigation {
  return getContext<Navigation>(NAV);
}

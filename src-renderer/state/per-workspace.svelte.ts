// One state object per workspace, shared by every view that shows it and kept while views come
// and go. It is made in its own effect root: a $derived field made while a component starts would
// belong to that component and stop updating once it is destroyed (the next view of the same
// state would read values frozen at that moment).

import type { Workspace } from './workspace.svelte.ts';

export function perWorkspace<T extends object>(make: (ws: Workspace) => T): (ws: Workspace) => T {
  const states = new WeakMap<Workspace, T>();
  return (ws) => {
    let s = states.get(ws);
    if (!s) {
      $effect.root(() => {
        s = make(ws);
      });
      states.set(ws, s!);
    }
    return s!;
  };
}

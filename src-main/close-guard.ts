// Closing a window that holds unsaved work asks first. The renderer says whether it holds any
// (workspace:set-unsaved, on every change), so the close handler decides at once, without a
// round trip to a renderer that may be busy or hung. Pure, so it is tested without Electron.

export interface CloseQuestion {
  /** Shows the question; resolves with the index of the button chosen. */
  ask(options: { type: 'warning'; buttons: string[]; defaultId: number; cancelId: number; message: string; detail: string }): number;
}

export const CLOSE_BUTTONS = ['Close Without Saving', 'Cancel'];

/** Whether the window may close: always when nothing is unsaved, else only when the user says so. */
export function mayClose(unsaved: boolean, q: CloseQuestion): boolean {
  if (!unsaved) return true;
  const answer = q.ask({
    type: 'warning',
    buttons: CLOSE_BUTTONS,
    defaultId: 1,
    cancelId: 1,
    message: 'This workspace has changes that are not saved.',
    detail: 'Close without saving? A copy kept as you worked is offered back at the next start; save it (Save Workspace) to keep it for good.',
  });
  return answer === 0;
}

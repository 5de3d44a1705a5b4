// The groupings of span names into operations (ids, SQL values and key suffixes taken out) as the
// user sees and undoes them. The choice is kept in the workspace (the store's operation_settings)
// and applied by the engine to every analysis; the workspace's version moves so screens ask again.

import type { Workspace } from './workspace.svelte.ts';
import type { GroupedOperation } from '../store/operations.ts';

export class OperationGroupsState {
  groups = $state.raw<GroupedOperation[]>([]);
  error = $state<string | null>(null);
  private seenVersion = -1;

  constructor(readonly ws: Workspace) {}

  async refresh(): Promise<void> {
    if (this.seenVersion === this.ws.version) return;
    this.seenVersion = this.ws.version;
    try {
      this.groups = await this.ws.engine.call('groupedOperations', 200);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** Undo (grouped = false) or restore a grouping; every screen then reads the data again. */
  async setGrouped(g: GroupedOperation, grouped: boolean): Promise<void> {
    await this.ws.engine.call('setOperationGrouping', g.service, g.operation, grouped);
    await this.ws.refresh();
    await this.refresh();
  }
}

const states = new WeakMap<Workspace, OperationGroupsState>();

export function operationGroupsFor(ws: Workspace): OperationGroupsState {
  let s = states.get(ws);
  if (!s) states.set(ws, (s = new OperationGroupsState(ws)));
  return s;
}

// Operations (core/model/operation.ts) in the store: the catalog every reader of spans turns op_ids
// into names with, the user's choice to undo a grouping (operation_settings), the list the
// Operations panel shows, and the filling-in of op_id for workspaces saved before spans had one.

import type { Store } from './store.ts';
import type { Database, SqlValue } from 'sql.js';
import type { OperationCatalog } from '../core/analysis/operations.ts';
import type { OperationRule } from '../core/model/operation.ts';
import { spanOperation } from '../core/model/operation.ts';
import { kindOfCode } from '../core/model/span-codes.ts';
import { parseExact } from '../core/base/json.ts';
import type { Attributes } from '../core/model/trace.ts';

const cached = new WeakMap<Store, { version: number; catalog: OperationCatalog }>();

/** The workspace's operations by op_id, with the undone groupings; cached until operations change. */
export function operationCatalog(store: Store): OperationCatalog {
  const hit = cached.get(store);
  if (hit && hit.version === store.operationsVersion) return hit.catalog;
  const service: string[] = [];
  const operation: string[] = [];
  const peer: string[] = [];
  const rule: OperationRule[] = [];
  const ungrouped = new Set<number>();
  const st = store.stmt(
    `SELECT o.op_id, o.service, o.operation, o.peer, o.rule, coalesce(s.ungrouped, 0)
     FROM operations o LEFT JOIN operation_settings s ON s.service = o.service AND s.operation = o.operation`,
  );
  while (st.step()) {
    const r = st.get();
    const id = r[0] as number;
    service[id] = r[1] as string;
    operation[id] = r[2] as string;
    peer[id] = r[3] as string;
    rule[id] = r[4] as OperationRule;
    if (r[5] === 1) ungrouped.add(id);
  }
  st.reset();
  const catalog = { service, operation, peer, rule, ungrouped };
  cached.set(store, { version: store.operationsVersion, catalog });
  return catalog;
}

/** Undo (grouped = false) or restore the grouping of one operation of a service. */
export function setOperationGrouping(store: Store, service: string, operation: string, grouped: boolean): void {
  if (grouped) store.db.run('DELETE FROM operation_settings WHERE service = ? AND operation = ?', [service, operation]);
  else store.db.run('INSERT OR REPLACE INTO operation_settings (service, operation, ungrouped) VALUES (?, ?, 1)', [service, operation]);
  store.operationsVersion++;
}

/** A grouped operation as the Operations panel lists it. */
export interface GroupedOperation {
  service: string;
  operation: string;
  /** Spans grouped under it. */
  spans: number;
  /** Distinct raw names among them, and a few of them. */
  names: number;
  examples: string[];
  /** The user undid the grouping: its spans go by their raw names. */
  ungrouped: boolean;
}

/**
 * Operations whose spans carry more than one raw name, or a name other than the operation (the
 * groupings made), most spans first; at most `limit`.
 */
export function groupedOperations(store: Store, limit = 500): GroupedOperation[] {
  const st = store.stmt(
    `WITH g AS (SELECT op_id, count(*) AS spans, count(DISTINCT name) AS names, min(name) AS first FROM spans GROUP BY op_id)
     SELECT o.op_id, o.service, o.operation, sum(g.spans), sum(g.names), min(g.first), coalesce(s.ungrouped, 0)
     FROM g JOIN operations o USING (op_id) LEFT JOIN operation_settings s ON s.service = o.service AND s.operation = o.operation
     GROUP BY o.service, o.operation
     HAVING sum(g.names) > 1 OR min(g.first) <> o.operation
     ORDER BY sum(g.spans) DESC, o.service, o.operation LIMIT ?`,
  );
  st.bind([limit]);
  const out: GroupedOperation[] = [];
  while (st.step()) {
    const r = st.get();
    out.push({ service: r[1] as string, operation: r[2] as string, spans: r[3] as number, names: r[4] as number, examples: [], ungrouped: r[6] === 1 });
  }
  st.reset();
  const ex = store.stmt(
    `SELECT DISTINCT s.name FROM spans s JOIN operations o USING (op_id) WHERE o.service = ? AND o.operation = ? LIMIT 3`,
  );
  for (const g of out) {
    ex.bind([g.service, g.operation] as SqlValue[]);
    while (ex.step()) g.examples.push(ex.get()[0] as string);
    ex.reset();
  }
  return out;
}

/**
 * Spans saved before operations existed get their op_id, computed from what the store kept of them
 * (name, kind, service, attributes) as an import would have.
 */
export function backfillOperations(db: Database): void {
  const missing = db.exec('SELECT 1 FROM spans WHERE op_id IS NULL LIMIT 1');
  if (missing.length === 0) return;
  db.exec('SAVEPOINT ops');
  const read = db.prepare('SELECT span_row, name, kind, service, attributes FROM spans WHERE op_id IS NULL');
  const find = db.prepare('SELECT op_id FROM operations WHERE service = ? AND operation = ? AND peer = ?');
  const add = db.prepare('INSERT INTO operations (service, operation, peer, rule) VALUES (?, ?, ?, ?) RETURNING op_id');
  const set = db.prepare('UPDATE spans SET op_id = ? WHERE span_row = ?');
  const ids = new Map<string, number>();
  try {
    while (read.step()) {
      const r = read.get();
      const service = r[3] as string;
      const attributes = r[4] == null ? {} : parseExact<Attributes>(r[4] as string);
      const op = spanOperation({ name: r[1] as string, kind: kindOfCode(r[2] as number), attributes });
      const key = `${service}\u0000${op.operation}\u0000${op.peer}`;
      let id = ids.get(key);
      if (id === undefined) {
        const f = find.get([service, op.operation, op.peer]);
        find.reset();
        id = f.length > 0 ? Number(f[0]) : Number(add.get([service, op.operation, op.peer, op.rule])[0]);
        add.reset();
        ids.set(key, id);
      }
      set.run([id, r[0] as number]);
    }
  } finally {
    read.free();
    find.free();
    add.free();
    set.free();
  }
  db.exec('RELEASE ops');
}

/**
 * The spans of one operation of a node, as SQL can find them: `grouped` op_ids whose operation it
 * is, and `ungrouped` op_ids (the user undid their grouping) whose spans must also carry it as
 * their raw name. A node is a service, or a peer its spans call (postgresql, redis, a host).
 */
export function operationIds(store: Store, node: string, operation: string): { grouped: number[]; ungrouped: number[] } {
  const c = operationCatalog(store);
  const grouped: number[] = [];
  const ungrouped: number[] = [];
  for (let id = 0; id < c.operation.length; id++) {
    if (c.operation[id] === undefined || (c.service[id] !== node && c.peer[id] !== node)) continue;
    if (c.ungrouped.has(id)) ungrouped.push(id);
    else if (c.operation[id] === operation) grouped.push(id);
  }
  return { grouped, ungrouped };
}

/** A WHERE condition on spans (alias `s`) for operationIds' result, with its parameters. */
export function operationCondition(ids: { grouped: number[]; ungrouped: number[] }, operation: string): { sql: string; params: SqlValue[] } {
  const list = (a: number[]) => (a.length === 0 ? 'NULL' : a.join(','));
  return { sql: `(s.op_id IN (${list(ids.grouped)}) OR (s.op_id IN (${list(ids.ungrouped)}) AND s.name = ?))`, params: [operation] };
}

/** Each peer (database, cache, host) with the service that calls it through the most operations. */
export function peerCallers(store: Store): Map<string, string> {
  const c = operationCatalog(store);
  const counts = new Map<string, Map<string, number>>();
  for (let id = 0; id < c.operation.length; id++) {
    const peer = c.peer[id];
    if (c.operation[id] === undefined || !peer) continue;
    let m = counts.get(peer);
    if (!m) counts.set(peer, (m = new Map()));
    m.set(c.service[id], (m.get(c.service[id]) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  for (const [peer, m] of counts) out.set(peer, [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]);
  return out;
}

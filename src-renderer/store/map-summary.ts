// The service map's summary kept in the store (tables map_operations, map_edges, map_state):
// what a file's traces add is folded in when the file is finished, inside its savepoint, and what
// a rewritten trace had added is taken away (core/analysis/service-map.ts KeptMapParts).

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';
import { KeptMapParts, mergeSorted, removeSorted, type KeptEdge, type KeptOperation } from '../core/analysis/service-map.ts';
import { FLAG_SHIFT } from '../core/model/span-codes.ts';
import { eachSpanTree, type SpanTree } from './span-trees.ts';
import { operationCatalog } from './operations.ts';
import { eachRowC } from './c-rows.ts';

const asDurations = (b: Uint8Array): Float64Array =>
  b.byteOffset % 8 === 0 ? new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8) : new Float64Array(b.slice().buffer);
const asBlob = (d: Float64Array) => new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** Add one trace's columns to `parts`. */
export function addSpanTree(store: Store, parts: KeptMapParts, t: Pick<SpanTree, 'parent' | 'opId' | 'duration' | 'flags'>): void {
  parts.addTrace(operationCatalog(store), t.parent, t.opId, t.duration, (i) => ((t.flags[i] >> FLAG_SHIFT.isError) & 1) === 1);
}

/** What is kept, or null when it does not stand for every span (a span without an operation row met). */
export function keptMap(store: Store): { ops: KeptOperation[]; edges: KeptEdge[] } | null {
  const state = store.db.exec('SELECT complete FROM map_state WHERE id = 1')[0]?.values[0]?.[0];
  return state === 1 ? keptRows(store) : null;
}

function keptRows(store: Store): { ops: KeptOperation[]; edges: KeptEdge[] } {
  const ops: KeptOperation[] = [];
  eachRowC(store, 'SELECT op_id, via_peer, spans, errors, durations FROM map_operations', [], (r) => {
    ops.push({ opId: r.num(0), viaPeer: r.num(1) === 1, count: r.num(2), errors: r.num(3), durations: asDurations(r.blob(4)) });
  });
  const edges: KeptEdge[] = [];
  eachRowC(store, 'SELECT from_node, to_node, calls, errors, durations FROM map_edges', [], (r) => {
    edges.push({ from: r.text(0), to: r.text(1), count: r.num(2), errors: r.num(3), durations: asDurations(r.blob(4)) });
  });
  return { ops, edges };
}

/** Fold `added` in and take `removed` away (removed being parts added before). */
export function foldKeptMap(store: Store, added: KeptMapParts, removed: KeptMapParts): void {
  let complete = !added.unknownOp && !removed.unknownOp;
  type Part = { count: number; errors: number; durations: Float64Array };
  const fold = (table: string, keyCols: [string, string], had: Map<string, Part & { key: SqlValue[] }>, parts: [SqlValue[], Part, 1 | -1][]) => {
    const put = store.stmt(`INSERT OR REPLACE INTO ${table} (${keyCols.join(', ')}, ${table === 'map_edges' ? 'calls' : 'spans'}, errors, durations) VALUES (?, ?, ?, ?, ?)`);
    const drop = store.stmt(`DELETE FROM ${table} WHERE ${keyCols[0]} = ? AND ${keyCols[1]} = ?`);
    const touched = new Map<string, Part & { key: SqlValue[] }>();
    for (const [key, p, sign] of parts) {
      const k = JSON.stringify(key);
      const cur = touched.get(k) ?? had.get(k) ?? { key, count: 0, errors: 0, durations: new Float64Array(0) };
      const durations = sign === 1 ? mergeSorted(cur.durations, p.durations) : removeSorted(cur.durations, p.durations);
      // Durations to take away that are not there: what is kept no longer stands for the data.
      if (durations === null) complete = false;
      touched.set(k, { key, count: cur.count + sign * p.count, errors: cur.errors + sign * p.errors, durations: durations ?? cur.durations });
    }
    for (const t of touched.values()) {
      if (t.count <= 0) drop.run(t.key);
      else put.run([...t.key, t.count, t.errors, asBlob(t.durations)]);
    }
  };
  const ops = new Map<string, Part & { key: SqlValue[] }>();
  const edges = new Map<string, Part & { key: SqlValue[] }>();
  const kept = keptRows(store);
  for (const o of kept.ops) ops.set(JSON.stringify([o.opId, o.viaPeer ? 1 : 0]), { key: [o.opId, o.viaPeer ? 1 : 0], ...o });
  for (const e of kept.edges) edges.set(JSON.stringify([e.from, e.to]), { key: [e.from, e.to], ...e });
  const opParts = (parts: KeptMapParts, sign: 1 | -1) => parts.operations().map((o): [SqlValue[], Part, 1 | -1] => [[o.opId, o.viaPeer ? 1 : 0], o, sign]);
  const edgeParts = (parts: KeptMapParts, sign: 1 | -1) => parts.edgeList().map((e): [SqlValue[], Part, 1 | -1] => [[e.from, e.to], e, sign]);
  fold('map_operations', ['op_id', 'via_peer'], ops, [...opParts(added, 1), ...opParts(removed, -1)]);
  fold('map_edges', ['from_node', 'to_node'], edges, [...edgeParts(added, 1), ...edgeParts(removed, -1)]);
  const was = store.db.exec('SELECT complete FROM map_state WHERE id = 1')[0]?.values[0]?.[0];
  store.db.run('INSERT OR REPLACE INTO map_state (id, complete) VALUES (1, ?)', [was === 0 || !complete ? 0 : 1]);
}

/** Make the kept summary from every trace's columns: when there is none (a workspace saved without it), or `again` (names changed). */
export function rebuildKeptMap(store: Store, again = false): void {
  if (!again && store.db.exec('SELECT 1 FROM map_state')[0]) return;
  store.db.exec('SAVEPOINT kept_map; DELETE FROM map_operations; DELETE FROM map_edges; DELETE FROM map_state;');
  const parts = new KeptMapParts();
  eachSpanTree(store, null, (t) => addSpanTree(store, parts, t));
  foldKeptMap(store, parts, new KeptMapParts());
  store.db.exec('RELEASE kept_map');
}

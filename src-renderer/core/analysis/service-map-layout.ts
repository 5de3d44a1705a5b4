// Where the service map's nodes and edges are drawn: a layered layout (dagre, the Sugiyama-style
// layout Graphviz's dot uses) left to right, callers before callees. Pure: names in, boxes and
// edge polylines out; the view draws them as SVG text and paths. A node with an owner has a
// third line for it (service-map-export.ts nodeOwnerLine, as the exports write it).

import dagre from '@dagrejs/dagre';
import type { ServiceMap, ServiceEdge, MapNode } from './service-map.ts';
import { nodeOwnerLine } from './service-map-export.ts';

export interface PlacedNode {
  node: MapNode;
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The name as drawn: long names are cut (the full name is the node's title). */
  label: string;
  /** The owner line as drawn (cut like the name), or null. */
  note: string | null;
}

export interface PlacedEdge {
  edge: ServiceEdge;
  /** The label's lines: calls and errors; p50 and p99. */
  lines: [string, string];
  points: { x: number; y: number }[];
  labelX: number;
  labelY: number;
}

export interface MapLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const MAX_LABEL = 32;
/** Average width of a character of the map's 13 px font, for box sizes (the layout runs without a DOM). */
const CHAR_PX = 7.4;
const NODE_H = 44;
const NODE_H_NOTE = 56;

function cut(name: string): string {
  const one = name.replace(/\s+/g, ' ');
  return one.length > MAX_LABEL ? `${one.slice(0, MAX_LABEL - 1)}…` : one;
}

/** An edge's label in two lines: `12 calls, 8.3% errors` and `p50 1.20 ms, p99 3.00 s`. */
function labelLines(label: string): [string, string] {
  const at = label.indexOf(', p50 ');
  return at < 0 ? [label, ''] : [label.slice(0, at), label.slice(at + 2)];
}

/** Nodes as boxes sized to their text, edges routed between ranks with room for their labels. */
export function layoutServiceMap(map: ServiceMap, edgeLabel: (e: ServiceEdge) => string): MapLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 48, edgesep: 16, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const byName = new Map<string, MapNode>();
  for (const n of map.services) byName.set(n.name, n);
  for (const e of map.edges) for (const name of [e.from, e.to]) if (!byName.has(name)) byName.set(name, { name, spans: 0, errors: 0, owner: null, ownerSource: null });
  // Ids are positions, never names: a name can be anything a file holds.
  const ids = new Map<string, string>();
  for (const [name, n] of byName) {
    const id = `n${ids.size}`;
    ids.set(name, id);
    const label = cut(name);
    const owner = nodeOwnerLine(n);
    const note = owner === null ? null : cut(owner);
    const stats = `${n.spans.toLocaleString('en-US')} spans · ${n.errors.toLocaleString('en-US')} errors`;
    const width = Math.max(label.length * CHAR_PX, stats.length * CHAR_PX * 0.85, (note?.length ?? 0) * CHAR_PX * 0.85) + 24;
    g.setNode(id, { width, height: note === null ? NODE_H : NODE_H_NOTE, node: n, label, note });
  }
  for (const [k, e] of map.edges.entries()) {
    if (e.from === e.to) continue;
    const lines = labelLines(edgeLabel(e));
    g.setEdge(ids.get(e.from)!, ids.get(e.to)!, { width: Math.max(lines[0].length, lines[1].length) * 6, height: 28, labelpos: 'c', k, lines });
  }
  dagre.layout(g);
  const nodes: PlacedNode[] = g.nodes().map((id) => {
    const n = g.node(id) as unknown as { x: number; y: number; width: number; height: number; node: MapNode; label: string; note: string | null };
    return { node: n.node, x: n.x, y: n.y, width: n.width, height: n.height, label: n.label, note: n.note };
  });
  const edges: PlacedEdge[] = g.edges().map((ref) => {
    const e = g.edge(ref) as unknown as { points: { x: number; y: number }[]; x: number; y: number; k: number; lines: [string, string] };
    return { edge: map.edges[e.k], lines: e.lines, points: e.points, labelX: e.x, labelY: e.y };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges };
}

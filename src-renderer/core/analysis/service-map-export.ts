// The service map written as the documentation teams otherwise keep by hand: Mermaid (renders in
// GitHub and GitLab Markdown), Graphviz DOT and JSON. Nodes get generated ids (n0, n1, …) and
// carry the service's name as a label, escaped for each syntax, so no name, however hostile,
// can end a label early, start a directive or inject markup. A node's owner, when something names
// one, is a second line of its label and a field of its JSON.

import type { ServiceMap, ServiceEdge, MapNode } from './service-map.ts';
import { formatDuration } from '../base/time.ts';
import { ownerName } from '../model/catalog.ts';

/** What an edge's label says: calls, error share, p50 and p99. */
export function edgeLabel(e: ServiceEdge): string {
  const share = e.calls > 0 ? (100 * e.errors) / e.calls : 0;
  const err = e.errors > 0 ? `, ${share < 0.1 ? '<0.1' : share.toFixed(share < 10 ? 1 : 0)}% errors` : '';
  return `${e.calls} call${e.calls === 1 ? '' : 's'}${err}, p50 ${formatDuration(e.p50Ns)}, p99 ${formatDuration(e.p99Ns)}`;
}

/** The line under a node's name: its owner as people say it (`group:default/team-data` is team-data), or null. */
export function nodeOwnerLine(n: Pick<MapNode, 'owner'> | undefined): string | null {
  return n?.owner ? ownerName(n.owner) : null;
}

/** Each node's generated id, and its owner line. */
function nodeIds(map: ServiceMap): Map<string, { id: string; owner: string | null }> {
  const ids = new Map<string, { id: string; owner: string | null }>();
  for (const s of map.services) ids.set(s.name, { id: `n${ids.size}`, owner: nodeOwnerLine(s) });
  for (const e of map.edges) for (const n of [e.from, e.to]) if (!ids.has(n)) ids.set(n, { id: `n${ids.size}`, owner: null });
  return ids;
}

/**
 * Text inside a Mermaid quoted label: `"` ends it and `#…;` is an entity, so both (and the
 * characters read as markup: < > ` and the pipe that ends an edge label) are written as entity
 * codes; line breaks become spaces.
 */
export function mermaidText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/["#<>`|&\\{}[\]]/g, (c) => `#${c.charCodeAt(0)};`);
}

export function serviceMapMermaid(map: ServiceMap): string {
  const ids = nodeIds(map);
  const lines = ['flowchart LR'];
  // <br/> is Mermaid's line break in a label; the texts around it are escaped, so it is the only markup.
  for (const [name, { id, owner }] of ids) lines.push(`  ${id}["${mermaidText(name)}${owner ? `<br/>${mermaidText(owner)}` : ''}"]`);
  for (const e of map.edges) lines.push(`  ${ids.get(e.from)!.id} -->|"${mermaidText(edgeLabel(e))}"| ${ids.get(e.to)!.id}`);
  return lines.join('\n') + '\n';
}

/** Text inside a DOT quoted string used as a label (an escString): backslashes and quotes escaped, line breaks as \n. */
export function dotText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n');
}

export function serviceMapDot(map: ServiceMap): string {
  const ids = nodeIds(map);
  const lines = ['digraph services {', '  rankdir=LR;', '  node [shape=box];'];
  for (const [name, { id, owner }] of ids) lines.push(`  ${id} [label="${dotText(owner ? `${name}\n${owner}` : name)}"];`);
  for (const e of map.edges) lines.push(`  ${ids.get(e.from)!.id} -> ${ids.get(e.to)!.id} [label="${dotText(edgeLabel(e))}"];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * The JSON the command line prints: `{"services":[{"name","spans","errors","owner","ownerSource"}],
 * "edges":[{"from","to","calls","errors","p50Ns","p99Ns"}]}` (owner as written, null when unknown).
 */
export function serviceMapJson(map: ServiceMap): string {
  return JSON.stringify({
    services: map.services.map((s) => ({ name: s.name, spans: s.spans, errors: s.errors, owner: s.owner, ownerSource: s.ownerSource })),
    edges: map.edges.map((e) => ({ from: e.from, to: e.to, calls: e.calls, errors: e.errors, p50Ns: e.p50Ns, p99Ns: e.p99Ns })),
  });
}

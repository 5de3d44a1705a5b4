// Where each operation path of a cohort's flame view goes: callers on top, callees below, each
// box as wide as its critical-path time (self + below) against the cohort's total. Boxes narrower
// than a pixel are left out (their time still widens their caller).

import type { FlameNode } from '../../core/analysis/aggregate.ts';

export interface FlameBox {
  node: FlameNode;
  x: number;
  y: number;
  w: number;
  /** The label cut to the box's width ('' when nothing fits). */
  label: string;
}

/** About the width of a character of the 11 px label font. */
const CHAR_PX = 6.4;

export function layoutFlame(nodes: readonly FlameNode[], width: number, rowHeight: number): { boxes: FlameBox[]; height: number } {
  let total = 0;
  for (const n of nodes) if (n.parent === -1) total += n.totalNs;
  const boxes: FlameBox[] = [];
  if (total <= 0 || width <= 0) return { boxes, height: 0 };
  const scale = width / total;
  // Where the next child of each node goes; roots side by side.
  const nextX = new Float64Array(nodes.length);
  const x = new Float64Array(nodes.length);
  let rootX = 0;
  let depth = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const w = n.totalNs * scale;
    if (n.parent === -1) {
      x[i] = rootX;
      rootX += w;
    } else {
      x[i] = nextX[n.parent];
      nextX[n.parent] += w;
    }
    nextX[i] = x[i];
    if (w < 1) continue;
    depth = Math.max(depth, n.depth);
    const text = `${n.service} ${n.operation}`;
    const fits = Math.floor((w - 6) / CHAR_PX);
    const label = fits >= text.length ? text : fits >= 4 ? `${text.slice(0, fits - 1)}…` : '';
    boxes.push({ node: n, x: x[i], y: n.depth * rowHeight, w, label });
  }
  return { boxes, height: (depth + 1) * rowHeight };
}

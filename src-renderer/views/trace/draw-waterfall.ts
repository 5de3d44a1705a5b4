// Paints the bars of the visible rows onto the waterfall's canvas: one bar per span at true scale
// in its service's colour, critical-path sections as a dark band through the bar, the error path
// underlined in red, findings flagged with an orange mark, grid lines at the ruler's ticks. Only
// the rows on screen are painted, so the cost does not grow with the trace.

import type { TraceViewState } from '../../state/trace-view.svelte.ts';
import { timeToX, niceTicks } from '../../state/trace-viewport.ts';
import { serviceColor } from './palette.ts';
import { formatDuration } from '../format.ts';

export const ROW_H = 22;

/** The palette variables (app.css) the painting uses, so the canvas follows the theme. */
const PALETTE = {
  grid: '--grid',
  selected: '--row-selected',
  hit: '--hit-bg',
  critical: '--critical',
  error: '--sev-fill-error',
  flag: '--warn',
  text: '--muted',
};

export function drawWaterfall(
  canvas: HTMLCanvasElement,
  tv: TraceViewState,
  view: { width: number; height: number; scrollTop: number },
  color: (name: string) => string,
): void {
  const ctx = canvas.getContext('2d');
  const d = tv.data;
  if (!ctx || !d) return;
  const COLORS = Object.fromEntries(Object.entries(PALETTE).map(([k, v]) => [k, color(v)])) as Record<keyof typeof PALETTE, string>;
  const dpr = window.devicePixelRatio || 1;
  const { width, height, scrollTop } = view;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const w = tv.window;

  ctx.fillStyle = COLORS.grid;
  for (const t of niceTicks(w, width).ticks) ctx.fillRect(Math.round(timeToX(t, w, width)), 0, 1, height);

  const rows = tv.rows;
  const first = Math.max(0, Math.floor(scrollTop / ROW_H));
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_H) + 1);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const sections = tv.criticalSections;
  const shiftOn = tv.skewAdjusted;
  for (let r = first; r < last; r++) {
    const i = rows[r];
    const y = r * ROW_H - scrollTop;
    if (i === tv.selected) {
      ctx.fillStyle = COLORS.selected;
      ctx.fillRect(0, y, width, ROW_H);
    } else if (tv.hitSet[i] === 1) {
      ctx.fillStyle = COLORS.hit;
      ctx.fillRect(0, y, width, ROW_H);
    }
    const shift = shiftOn ? (tv.skew.shift[i] ?? 0) : 0;
    const start = d.spans.start[i] + shift;
    const dur = Math.max(0, d.spans.duration[i]);
    const x0 = clampX(timeToX(start, w, width), width);
    const x1 = clampX(timeToX(start + dur, w, width), width);
    const bw = Math.max(1, x1 - x0);
    ctx.fillStyle = serviceColor(d.spans.service[i]);
    ctx.fillRect(x0, y + 4, bw, ROW_H - 8);
    if (d.spans.isError[i]) {
      ctx.strokeStyle = COLORS.error;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x0 + 0.75, y + 4.75, Math.max(0, bw - 1.5), ROW_H - 9.5);
    }
    const sec = sections.get(i);
    if (sec) {
      ctx.fillStyle = COLORS.critical;
      for (let k = 0; k < sec.length; k += 2) {
        const a = clampX(timeToX(sec[k] + shift, w, width), width);
        const b = clampX(timeToX(sec[k + 1] + shift, w, width), width);
        ctx.fillRect(a, y + ROW_H / 2 - 2, Math.max(1, b - a), 4);
      }
    }
    if (tv.onErrorPath[i] === 1) {
      ctx.fillStyle = COLORS.error;
      ctx.fillRect(x0, y + ROW_H - 3, bw, 2);
    }
    if (tv.flagged[i] === 1) {
      ctx.fillStyle = COLORS.flag;
      ctx.beginPath();
      ctx.moveTo(x0 - 7, y + 5);
      ctx.lineTo(x0 - 1, y + ROW_H / 2);
      ctx.lineTo(x0 - 7, y + ROW_H - 5);
      ctx.fill();
    }
    // The label goes right of the bar, else left of it, only where it fits whole: a label cut
    // at the canvas edge would read as another number ("547.4 µs" as "47.4 µs").
    const label = formatDuration(d.spans.duration[i]);
    const tw = ctx.measureText(label).width;
    ctx.fillStyle = COLORS.text;
    if (x1 + 4 + tw <= width) {
      ctx.textAlign = 'left';
      ctx.fillText(label, x1 + 4, y + ROW_H / 2);
    } else if (x0 - 9 - tw >= 0) {
      ctx.textAlign = 'right';
      ctx.fillText(label, x0 - 9, y + ROW_H / 2);
    }
  }
}

/** Keep far-off coordinates near the canvas: huge values make canvas paths misbehave. */
function clampX(x: number, width: number): number {
  return x < -10 ? -10 : x > width + 10 ? width + 10 : x;
}

/** The span under a point of the waterfall (row from y), or null. */
export function spanAtY(tv: TraceViewState, y: number, scrollTop: number): number | null {
  const r = Math.floor((y + scrollTop) / ROW_H);
  return r >= 0 && r < tv.rows.length ? tv.rows[r] : null;
}

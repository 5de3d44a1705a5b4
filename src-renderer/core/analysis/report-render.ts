// The postmortem report (report.ts ReportModel) as Markdown and as one self-contained HTML file.
// Everything in the model came from the user's files, so every string is escaped for where it
// goes: in Markdown, HTML's specials become entities and Markdown's punctuation is backslashed
// (no file text can become markup, a link or an image); in HTML, text and attributes are escaped
// and the page carries a Content-Security-Policy that allows no script, no fetch and no frame.
// Invisible controls and bidirectional overrides (which can make text read backwards) are shown
// as their code points. Links are written only for web URLs (core/base/url.ts webUrl). The chart
// is inline SVG drawn from numbers only. Trace ids are written out in full, so that a reader of
// the file can find the trace; the app's report view (reportSections) makes the same cells links
// into its trace view.

import type { ReportModel, PeriodSummary, TraceLink } from './report.ts';
import { webUrl } from '../base/url.ts';
import { ownerName } from '../model/catalog.ts';
import { formatDuration, formatIsoNs } from '../base/time.ts';

const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const visible = (s: string) => s.replace(CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);

/**
 * Text for Markdown: one line, no markup, no link, no HTML. Inline specials are backslashed
 * everywhere; what is special only at a line's start (headings, list items) only there; the
 * colon of "://" and the dot of "www." so that no bare web address becomes a link.
 */
export function mdText(s: string): string {
  const escaped = s
    .replace(/\r?\n|\r|\t/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()!|~]/g, (c) => `\\${c}`)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/^(\s*)([#+=-]|\d+[.)])(?=\s|$|[-=]{2})/, (_, sp: string, m: string) => `${sp}${m.slice(0, -1)}\\${m.slice(-1)}`);
  return visible(escaped);
}

/** Text for HTML element content and quoted attributes. */
export function htmlText(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A web URL as a Markdown link target, or null for anything else. */
function mdUrl(url: string): string | null {
  const u = webUrl(url);
  return u === null ? null : u.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const time = (ns: string) => formatIsoNs(ns).replace(/\.(\d{3})\d{6}Z$/, '.$1Z');
const dur = (ns: number | null) => (ns === null ? '—' : formatDuration(ns));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(x > 0 && x < 0.001 ? 3 : 1)} %`);
const signed = (ns: number) => `${ns >= 0 ? '+' : '−'}${formatDuration(Math.abs(ns))}`;

/** A cell of a report table: raw text, or text that names a trace of the workspace (a link in the app). */
export type ReportCell = string | { text: string; link: TraceLink };

export interface ReportTable {
  head: string[];
  rows: ReportCell[][];
}

export interface ReportSection {
  title: string;
  intro?: string[];
  table?: ReportTable;
  empty?: string;
}

export const cellText = (c: ReportCell): string => (typeof c === 'string' ? c : c.text);

/** A trace id linked to the trace (and span) it opens; '—' when there is none. */
const traceCell = (text: string | null, link: TraceLink | null): ReportCell => (text === null ? '—' : link ? { text, link } : text);

/**
 * The report's sections as tables and paragraphs: what the Markdown, the HTML and the app's report
 * view all show (cells are raw data, escaped by each renderer).
 */
export function reportSections(m: ReportModel): ReportSection[] {
  const period = (p: PeriodSummary) => [p.label, `${time(p.fromNs)} – ${time(p.toNs)}`, String(p.requests), String(p.failed), pct(p.errorRate), dur(p.p50Ns), dur(p.p95Ns), dur(p.p99Ns)];
  return [
    {
      title: 'Summary',
      intro: [
        `Window: ${time(m.fromNs)} to ${time(m.toNs)}. ${m.failing} request${m.failing === 1 ? '' : 's'} failed in it.`,
        ...(m.notes.summary.trim() ? [m.notes.summary.trim()] : []),
      ],
      table: { head: ['Period', 'Time (UTC)', 'Requests', 'Failed', 'Error rate', 'p50', 'p95', 'p99'], rows: m.periods.map(period) },
    },
    {
      title: 'SLO impact',
      table: m.slos.length === 0 ? undefined : {
        head: ['SLO', 'Service', 'Objective', 'Events', 'Bad', 'Budget consumed', 'Burn rate'],
        rows: m.slos.map((s) => [s.name, `${s.service}${s.operation ? ` ${s.operation}` : ''}`, pct(s.objective), String(s.events), String(s.bad), pct(s.budgetConsumed), s.burnRate === null ? '—' : `${s.burnRate.toFixed(1)}×`]),
      },
      empty: 'No SLO was given for this report.',
    },
    {
      title: 'Timeline of first errors',
      table: m.firstErrors.length === 0 ? undefined : { head: ['First error (UTC)', 'Service', 'Spans in error', 'Trace'], rows: m.firstErrors.map((f) => [time(f.firstNs), f.service, String(f.spans), traceCell(f.traceId, { traceId: f.traceId, spanId: f.spanId })]) },
      empty: 'Within the window, no span was in error.',
    },
    {
      title: 'First error log lines',
      table: m.errorLogs.length === 0 ? undefined : { head: ['Time (UTC)', 'Service', 'Level', 'Message', 'Trace'], rows: m.errorLogs.map((l) => [time(l.timeNs), l.service ?? '—', l.severity, l.message, traceCell(l.link?.traceId ?? l.traceId, l.link)]) },
      empty: 'Within the window, no log line was at error level or above.',
    },
    {
      title: 'Common root causes',
      table: m.causes.length === 0 ? undefined : {
        head: ['Failed requests', 'Where', 'Error', 'Example trace', 'Its error path'],
        rows: m.causes.map((c) => [
          `${c.traces} of ${m.failing}`, `${c.service} ${c.operation}`, c.error,
          traceCell(c.exampleTraceId, { traceId: c.exampleTraceId, spanId: null }),
          c.errorPath === '' ? '—' : { text: c.errorPath, link: { traceId: c.exampleTraceId, spanId: c.exampleSpanId } },
        ]),
      },
      empty: 'Within the window, no request failed.',
    },
    {
      title: 'Where critical-path time grew',
      intro: ['Critical-path time per request on each service, database or host, in the window against the window before it, times the window\'s requests.'],
      table: m.growth.length === 0 ? undefined : { head: ['Where', 'Added'], rows: m.growth.map((g) => [g.service, signed(g.addedNs)]) },
      empty: 'No request before the window to compare with.',
    },
    {
      title: 'Owners involved',
      table: m.owners.length === 0 ? undefined : {
        head: ['Owner', 'Service', 'Failed requests', 'Added critical path', 'On call', 'Chat', 'Runbook'],
        rows: m.owners.map((o) => [o.owner === null ? 'unowned' : ownerName(o.owner), `${o.service}${o.via ? ` (called by ${o.via})` : ''}`, String(o.failingTraces), signed(o.addedCriticalPathNs), o.onCall ?? '—', o.chat ?? '—', o.runbook?.url ?? '—']),
      },
      empty: 'No owner is involved: nothing failed and no critical path grew.',
    },
  ];
}

/** The report as Markdown (CommonMark with GFM tables). */
export function reportMarkdown(m: ReportModel): string {
  const out: string[] = [`# ${mdText(m.title)}`, ''];
  for (const s of reportSections(m)) {
    out.push(`## ${mdText(s.title)}`, '');
    for (const p of s.intro ?? []) out.push(mdText(p), '');
    if (s.table) {
      const isUrl = s.table.head.map((h) => h === 'Runbook');
      out.push(`| ${s.table.head.map(mdText).join(' | ')} |`, `|${s.table.head.map(() => ' --- |').join('')}`);
      for (const r of s.table.rows) {
        out.push(`| ${r.map((c, i) => {
          const u = isUrl[i] ? mdUrl(cellText(c)) : null;
          return u ? `[${mdText(cellText(c))}](${u})` : mdText(cellText(c));
        }).join(' | ')} |`);
      }
      out.push('');
    } else if (s.empty) out.push(mdText(s.empty), '');
  }
  out.push('## Actions', '');
  if (m.notes.actions.length === 0) out.push('- [ ] ', '');
  else out.push(...m.notes.actions.map((a) => `- [ ] ${mdText(a)}`), '');
  return out.join('\n');
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Requests and failures per step as bars, the window shaded. Numbers only: no text from the data. */
export function reportChartSvg(m: ReportModel): string {
  const { requests, failed, stepNs, startNs } = m.series;
  const W = 720;
  const H = 160;
  const pad = 24;
  const n = requests.length;
  const max = Math.max(1, ...requests);
  const bw = n === 0 ? 0 : (W - 2 * pad) / n;
  const x = (k: number) => pad + k * bw;
  const y = (v: number) => H - pad - (v / max) * (H - 2 * pad);
  const at = (ns: string) => Number(BigInt(ns) - BigInt(startNs)) / stepNs;
  const parts: string[] = [];
  const w0 = x(Math.max(0, at(m.fromNs)));
  const w1 = x(Math.min(n, at(m.toNs)));
  parts.push(`<rect x="${w0.toFixed(1)}" y="${pad}" width="${Math.max(0, w1 - w0).toFixed(1)}" height="${H - 2 * pad}" fill="#fdecea"/>`);
  for (let k = 0; k < n; k++) {
    parts.push(`<rect x="${(x(k) + 0.5).toFixed(1)}" y="${y(requests[k]).toFixed(1)}" width="${Math.max(0.5, bw - 1).toFixed(1)}" height="${(H - pad - y(requests[k])).toFixed(1)}" fill="#8da2c9"/>`);
    if (failed[k] > 0) parts.push(`<rect x="${(x(k) + 0.5).toFixed(1)}" y="${y(failed[k]).toFixed(1)}" width="${Math.max(0.5, bw - 1).toFixed(1)}" height="${(H - pad - y(failed[k])).toFixed(1)}" fill="#b3261e"/>`);
  }
  parts.push(`<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#545c6e"/>`);
  parts.push(`<text x="${pad}" y="14" font-size="11" fill="#1d2230">${max} requests per ${htmlText(formatDuration(stepNs))} (blue), failed (red); the window shaded</text>`);
  parts.push(`<text x="${pad}" y="${H - 6}" font-size="11" fill="#545c6e">${htmlText(time(startNs))}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="Requests and failures over time">${parts.join('')}</svg>`;
}

/** The report as one HTML file: no script, no external resource, every string escaped. */
export function reportHtml(m: ReportModel): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${htmlText(m.title)}</title>`,
    '<style>body{font:14px/1.45 system-ui,sans-serif;color:#1d2230;background:#fff;margin:24px auto;max-width:1100px;padding:0 16px}'
      + 'table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #dde1e8;vertical-align:top;overflow-wrap:anywhere}'
      + 'th{background:#f1f3f7}.mono{font-family:ui-monospace,monospace;font-size:12px}.muted{color:#545c6e}</style>',
    '</head>',
    '<body>',
    `<h1>${htmlText(m.title)}</h1>`,
  ];
  let first = true;
  for (const s of reportSections(m)) {
    out.push(`<h2>${htmlText(s.title)}</h2>`);
    for (const p of s.intro ?? []) out.push(`<p>${htmlText(p)}</p>`);
    if (first) out.push(reportChartSvg(m));
    first = false;
    if (s.table) {
      out.push('<table>', `<thead><tr>${s.table.head.map((h) => `<th>${htmlText(h)}</th>`).join('')}</tr></thead>`, '<tbody>');
      for (const r of s.table.rows) {
        out.push(`<tr>${r.map((c, i) => {
          const h = s.table!.head[i];
          const text = cellText(c);
          const u = h === 'Runbook' ? webUrl(text) : null;
          if (u) return `<td><a href="${htmlText(u)}" rel="noopener noreferrer">${htmlText(text)}</a></td>`;
          return `<td${h === 'Trace' || h === 'Example trace' ? ' class="mono"' : ''}>${htmlText(text)}</td>`;
        }).join('')}</tr>`);
      }
      out.push('</tbody>', '</table>');
    } else if (s.empty) out.push(`<p class="muted">${htmlText(s.empty)}</p>`);
  }
  out.push('<h2>Actions</h2>', '<ul>');
  if (m.notes.actions.length === 0) out.push('<li class="muted">(none yet)</li>');
  else out.push(...m.notes.actions.map((a) => `<li>${htmlText(a)}</li>`));
  out.push('</ul>', '</body>', '</html>', '');
  return out.join('\n');
}

// The postmortem report: its Markdown and HTML against golden files written from a model full of
// hostile strings (markup, javascript: links, bidi overrides, Markdown punctuation), which must
// stay inert text; and the report of the demo incident checked against the data.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { clipText } from '../../src-renderer/core/base/text.ts';
import { loadInputs } from '../../src-renderer/cli/load.ts';
import { EngineCore } from '../../src-renderer/engine/engine-core.ts';
import { REPORT_TEXT_MAX } from '../../src-renderer/engine/report.ts';
import { SEVERITY_CODES } from '../../src-renderer/store/schema.ts';
import { reportHtml, reportMarkdown, reportSections, mdText, htmlText } from '../../src-renderer/core/analysis/report-render.ts';
import { summarizePeriod, reportChartColumns, type ReportModel } from '../../src-renderer/core/analysis/report.ts';
import { loadSqlJs } from '../../src-renderer/store/sqljs.ts';
import { Store } from '../../src-renderer/store/store.ts';
import { reportDraft, saveReportDraft } from '../../src-renderer/store/report-draft.ts';

const DIR = new URL('../fixtures/report/', import.meta.url).pathname;
const BAD = ['<script>alert(1)</script>', '<img src=x onerror=alert(2)>', '\u202Egnp.exe', '[click](javascript:alert(3))', '![x](https://evil.example/x.png)', '| a | b |', '# heading', '**bold** _it_ `code`', 'a\nb'];

const T = 1_795_169_400_000_000_000n;
const at = (s: number) => (T + BigInt(s) * 1_000_000_000n).toString();

function hostileModel(): ReportModel {
  const row = { owner: BAD[1], service: BAD[0], failingTraces: 3, addedCriticalPathNs: 1_500_000_000, via: BAD[2], onCall: BAD[3], chat: BAD[4], pagerDuty: null, runbook: { url: 'javascript:alert(4)', title: 'x', type: 'runbook' }, traceIds: ['ab'.repeat(16)] };
  return {
    title: `Postmortem ${BAD[0]}`,
    fromNs: at(0), toNs: at(600),
    periods: [
      summarizePeriod('before', at(-600), at(0), [100e6, 200e6, 300e6], [false, false, false]),
      summarizePeriod('during', at(0), at(600), [1e9, 2e9, 3e9, 4e9], [true, false, true, false]),
      summarizePeriod('after', at(600), at(1200), [], []),
    ],
    slos: [{ name: BAD[5], service: BAD[6], operation: BAD[7], objective: 0.99, events: 4, bad: 2, budgetConsumed: 0.5, burnRate: 50 }],
    firstErrors: [{ service: BAD[8], firstNs: at(12), spans: 7, traceId: 'cd'.repeat(16), spanId: 'c1'.repeat(8) }],
    errorLogs: [{ timeNs: at(13), service: BAD[2], severity: 'error', message: BAD.join(' '), traceId: 'ef'.repeat(16), link: { traceId: 'ef'.repeat(16), spanId: 'e1'.repeat(8) } }],
    causes: [{ service: BAD[0], operation: BAD[3], error: BAD[1], traces: 2, exampleTraceId: 'ab'.repeat(16), errorPath: BAD[4], exampleSpanId: 'a1'.repeat(8) }],
    failing: 2,
    growth: [{ service: BAD[5], addedNs: 1_500_000_000 }],
    owners: [row, { ...row, owner: null, service: 'payment', via: null, runbook: { url: 'https://runbooks.example.com/pay(ment)', title: 'Payment runbook', type: 'runbook' } }],
    series: { startNs: at(-600), stepNs: 60e9, requests: Array.from({ length: 30 }, (_, k) => k % 7), failed: Array.from({ length: 30 }, (_, k) => (k >= 10 && k < 20 ? 1 : 0)) },
    notes: { summary: `Checkout failed for ten minutes ${BAD[0]}`, actions: [BAD[3], 'Add an index'] },
  };
}

/** Compare with the golden file; UPDATE_GOLDEN=1 writes it (then read it before committing). */
function golden(name: string, text: string): void {
  const file = DIR + name;
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe('report rendering', () => {
  it('Markdown: matches the golden file; no file text becomes markup, a link, an image or HTML', () => {
    const md = reportMarkdown(hostileModel());
    golden('hostile.md', md);
    expect(md).not.toMatch(/</);
    expect(md).not.toContain('\u202E');
    expect(md).toContain('⟨U+202E⟩');
    // The one link is the web runbook; javascript: stays text.
    expect([...md.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['https://runbooks.example.com/pay%28ment%29']);
    expect(md).toContain('javascript:alert\\(4\\)');
    // Every table row has as many cells as its head: a | in the data does not split a cell.
    for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const cells = (line: string) => line.split(/(?<!\\)\|/).length;
      const lines = block.split('\n');
      for (const l of lines) expect(cells(l)).toBe(cells(lines[0]));
    }
  });

  it('HTML: matches the golden file; only its own tags, no script, no handler, no javascript: link, a strict CSP', () => {
    const html = reportHtml(hostileModel());
    golden('hostile.html', html);
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase()));
    expect([...tags].sort()).toEqual(['a', 'body', 'h1', 'h2', 'head', 'html', 'li', 'line', 'meta', 'p', 'rect', 'style', 'svg', 'table', 'tbody', 'td', 'text', 'th', 'thead', 'title', 'tr', 'ul']);
    // Every < of the data is escaped, so what is between < and > is the report's own markup.
    expect(html).not.toMatch(/<script|<[^>]*\son\w+=|href="(?!https:)/i);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(['https://runbooks.example.com/pay(ment)']);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('\u202E');
  });

  it('links the cells that name a trace: a first error and a log line to their span, an example trace to its root, its error path to its root cause', () => {
    const m = hostileModel();
    const links = reportSections({ ...m, errorLogs: [...m.errorLogs, { ...m.errorLogs[0], traceId: '12'.repeat(16), link: null }] })
      .flatMap((s) => (s.table?.rows ?? []).flat().filter((c) => typeof c !== 'string').map((c) => [s.title, c.text, c.link]));
    expect(links).toEqual([
      ['Timeline of first errors', 'cd'.repeat(16), { traceId: 'cd'.repeat(16), spanId: 'c1'.repeat(8) }],
      ['First error log lines', 'ef'.repeat(16), { traceId: 'ef'.repeat(16), spanId: 'e1'.repeat(8) }],
      ['Common root causes', 'ab'.repeat(16), { traceId: 'ab'.repeat(16), spanId: null }],
      ['Common root causes', BAD[4], { traceId: 'ab'.repeat(16), spanId: 'a1'.repeat(8) }],
    ]);
    // A line whose trace the workspace does not hold keeps its id as text, with no link.
    expect(reportMarkdown({ ...m, errorLogs: [{ ...m.errorLogs[0], traceId: '12'.repeat(16), link: null }] })).toContain(`| ${'12'.repeat(16)} |`);
  });

  it('names an owner as people say it: a catalog entity reference without its kind and namespace', () => {
    const m = hostileModel();
    const md = reportMarkdown({ ...m, owners: [{ ...m.owners[1], owner: 'group:default/payments-core' }] });
    expect(md).toContain('| payments-core | payment |');
    expect(md).not.toContain('group:');
  });

  it('escapes each kind of special', () => {
    expect(mdText('<b>a|b</b> [x](y) *z*')).toBe('&lt;b&gt;a\\|b&lt;/b&gt; \\[x\\]\\(y\\) \\*z\\*');
    expect(mdText('# not a heading, see https://x.example or www.x.example')).toBe('\\# not a heading, see https\\://x.example or www\\.x.example');
    expect(mdText('1. not a list - 2026-11-20')).toBe('1\\. not a list - 2026-11-20');
    expect([mdText('---'), mdText('- item'), mdText('+1.50 s'), mdText('0.0 %')]).toEqual(['\\---', '\\- item', '+1.50 s', '0.0 %']);
    expect(htmlText(`"'<&>`)).toBe('&quot;&#39;&lt;&amp;&gt;');
  });

  it('summarises a period by nearest rank', () => {
    const p = summarizePeriod('during', '0', '1', [5, 1, 4, 2, 3], [true, false, false, false, false]);
    expect(p).toMatchObject({ requests: 5, failed: 1, errorRate: 0.2, p50Ns: 3, p95Ns: 5, p99Ns: 5 });
    expect(summarizePeriod('after', '0', '1', [], [])).toMatchObject({ requests: 0, errorRate: null, p50Ns: null });
  });
});

describe('the report chart in the app', () => {
  it('takes the model\'s series: each step\'s start in seconds since the epoch, the counts as they are, the window to shade', () => {
    const m = hostileModel();
    const c = reportChartColumns(m);
    const t = Number(T / 1_000_000_000n);
    expect(c.xs).toHaveLength(30);
    expect(c.xs[0]).toBe(t - 600);
    expect(c.xs[10]).toBe(t);
    expect(c.xs[29]).toBe(t + 1140);
    expect(c.requests).toEqual(m.series.requests);
    expect(c.failed).toEqual(m.series.failed);
    expect(c.window).toEqual([t, t + 600]);
    // A start off the second keeps its microseconds.
    const odd = reportChartColumns({ ...m, series: { ...m.series, startNs: (T + 1_500_000n).toString(), stepNs: 250e6 } });
    expect(odd.xs[0]).toBeCloseTo(t + 0.0015, 6);
    expect(odd.xs[2]).toBeCloseTo(t + 0.5015, 6);
  });
});

describe('the report draft', () => {
  it('is saved with the workspace and read back as written', async () => {
    const SQL = await loadSqlJs();
    const store = Store.create(SQL);
    expect(reportDraft(store)).toBeNull();
    const draft = { from: '2026-11-20T10:10:00Z', to: '2026-11-20T10:20:00Z', title: BAD[0], summary: 'two\nlines', actions: [BAD[3], 'Add an index'] };
    saveReportDraft(store, draft);
    saveReportDraft(store, { ...draft, summary: 'edited' });
    const again = Store.create(SQL, store.export());
    expect(reportDraft(again)).toEqual({ ...draft, summary: 'edited' });
  });
});

describe('long texts in the report', () => {
  it('clipText keeps short texts, cuts long ones with a note, never splits a surrogate pair', () => {
    expect(clipText('abc', 3)).toBe('abc');
    expect(clipText('abcdef', 3)).toBe('abc… (3 more characters)');
    // '😀' is two UTF-16 units: a cut between them would leave half a character.
    expect(clipText('ab😀cd', 3)).toBe('ab… (4 more characters)');
    expect(clipText('a'.repeat(1_048_613), 2000)).toBe(`${'a'.repeat(2000)}… (1,046,613 more characters)`);
  });

  it("quotes at most REPORT_TEXT_MAX of a megabyte log line, whose whole stays in the workspace", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-report-long-'));
    const file = join(dir, 'app.log.jsonl');
    const long = 'A'.repeat(300_000);
    writeFileSync(file, [`{"time":"2025-11-24T16:00:00Z","level":"info","msg":"start"}`, `{"time":"2025-11-24T16:00:01Z","level":"error","msg":"${long}"}`].join('\n') + '\n');
    const { store } = await loadInputs([file]);
    const core = new EngineCore(store);
    const model = core.reportModel({ fromNs: '1763999990000000000', toNs: '1764000010000000000' });
    expect(model.errorLogs).toHaveLength(1);
    expect(model.errorLogs[0].message).toBe(`${'A'.repeat(REPORT_TEXT_MAX)}… (${(300_000 - REPORT_TEXT_MAX).toLocaleString('en-US')} more characters)`);
    expect(reportMarkdown(model).length).toBeLessThan(20_000);
    const [[whole]] = core.sql(`SELECT length(message) FROM logs WHERE severity = ?`, [SEVERITY_CODES.indexOf('error')]).rows;
    expect(whole).toBe(300_000);
  });
});

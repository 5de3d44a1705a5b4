// A canonical text dump of imported spans and findings: sorted and stable, so two imports of the
// same data (from different formats, chunkings or file names) compare equal as text, and golden
// files can be read and checked by eye. Used by tests and by anyone diffing two imports.

import type { AttrValue, Finding, Span } from '../model/trace.ts';

export interface DumpOptions {
  /** Include the ids as written (they differ between formats of the same trace). */
  raw?: boolean;
}

/** JSON with object keys sorted; BigInt as bare digits. */
export function canonicalJson(v: AttrValue | Record<string, unknown> | undefined): string {
  if (v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x)).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, AttrValue>)[k])}`).join(',')}}`;
}

function cmp(a: string | bigint | number, b: string | bigint | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function dumpSpans(spans: readonly Span[], findings: readonly Finding[] = [], opts: DumpOptions = {}): string {
  const sorted = [...spans].sort(
    (a, b) => cmp(a.traceId, b.traceId) || cmp(a.spanId, b.spanId) || cmp(a.startNs, b.startNs) || cmp(a.kind, b.kind) || cmp(a.name, b.name),
  );
  const out: string[] = [];
  let trace = '';
  for (const s of sorted) {
    if (s.traceId !== trace) {
      trace = s.traceId;
      out.push(`trace ${trace}${opts.raw && s.traceIdRaw !== undefined ? ` raw=${JSON.stringify(s.traceIdRaw)}` : ''}`);
    }
    const parent = s.parentSpanId === null ? '-' : s.parentSpanId + (s.parentRef === 'follows_from' ? '(follows_from)' : '');
    out.push(
      `  span ${s.spanId}${opts.raw && s.spanIdRaw !== undefined ? ` raw=${JSON.stringify(s.spanIdRaw)}` : ''} parent=${parent} kind=${s.kind} ` +
        `service=${JSON.stringify(s.service)} name=${JSON.stringify(s.name)}`,
    );
    out.push(`    start=${s.startNs} duration=${s.durationNs} status=${s.status}${s.statusMessage ? ` ${JSON.stringify(s.statusMessage)}` : ''}`);
    if (s.scope.name || s.scope.version) out.push(`    scope ${JSON.stringify(s.scope.name)} ${JSON.stringify(s.scope.version)}`);
    out.push(`    resource ${canonicalJson(s.resource.attributes)}`);
    for (const k of Object.keys(s.attributes).sort()) out.push(`    attr ${JSON.stringify(k)}=${canonicalJson(s.attributes[k])}`);
    const events = [...s.events].sort((a, b) => cmp(a.timeNs, b.timeNs) || cmp(a.name, b.name));
    for (const e of events) out.push(`    event ${e.timeNs} ${JSON.stringify(e.name)} ${canonicalJson(e.attributes)}`);
    const links = [...s.links].sort((a, b) => cmp(a.traceId, b.traceId) || cmp(a.spanId, b.spanId));
    for (const l of links) out.push(`    link ${l.traceId} ${l.spanId} ${canonicalJson(l.attributes)}`);
  }
  const fs = findings
    .map((f) => `finding ${f.kind} trace=${f.traceId ?? '-'} span=${f.spanId ?? '-'} ${JSON.stringify(f.message)}${f.data ? ` ${canonicalJson(f.data)}` : ''}`)
    .sort();
  return [...out, ...fs].join('\n') + '\n';
}

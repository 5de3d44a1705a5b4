// Service catalogs, detected by content like any other file:
//  - Backstage descriptor files (https://backstage.io/docs/features/software-catalog/descriptor-format):
//    YAML, several entities per file separated by `---`, each with `apiVersion:
//    backstage.io/v1alpha1` (or v1beta1), `kind`, `metadata` (name, title, description, annotations,
//    links) and `spec` (owner, system, lifecycle, type, dependsOn). Component and System entities
//    are kept; other kinds (Group, User, API, Resource, Domain, Location, Template) are counted as
//    skipped. Read annotations: `pagerduty.com/service-id`, `opsgenie.com/team` and
//    `pagerduty.com/escalation-policy` (on call), `slack.com/channel` or `slack/channel` (chat).
//  - A plain YAML list: `services:` (or a top-level list) of maps with `name` or `service`, and
//    `team` or `owner`, `oncall`, `runbook`, `chat`/`channel`/`slack`, `dashboard`, `system`.
//  - CSV (read with papaparse) whose header names a service column and a team or owner column;
//    the other columns as in the YAML list. The delimiter is found by papaparse (comma, semicolon, tab).
// A catalog is small: the reader keeps the text and parses it at the end (capped at MAX_BYTES).

import { parseAllDocuments, LineCounter } from 'yaml';
import Papa from 'papaparse';
import type { CatalogEntry, CatalogLink } from '../model/catalog.ts';

export const MAX_CATALOG_BYTES = 32 * 1024 * 1024;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

export interface CatalogParse {
  entries: CatalogEntry[];
  /** Entities that could not be read, with the line they start on. */
  rejected: { line: number; message: string }[];
  /** Entities of kinds that are not services, by kind. */
  skipped: Map<string, number>;
}

// ---- detection

const BACKSTAGE_API = /^apiVersion:\s*["']?backstage\.io\/v1(alpha1|beta1)["']?\s*$/m;

export function isBackstageCatalog(head: string): boolean {
  return BACKSTAGE_API.test(head) && /^kind:\s*\S/m.test(head);
}

/** `services:` (or a top-level list) whose items name a service and a team or owner. */
export function isServiceListYaml(head: string): boolean {
  const listed = /^services:\s*$/m.test(head) || /^-\s+(name|service):/m.test(head);
  return listed && /^\s*-?\s*(name|service):/m.test(head) && /^\s+(team|owner):/m.test(head);
}

const SERVICE_COLUMNS = ['service', 'servicename', 'name', 'component'];
const OWNER_COLUMNS = ['team', 'owner', 'ownerteam', 'owningteam'];

function columnKey(h: string): string {
  return h.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A header line with a service column and a team or owner column, split by , ; or tab. */
export function isServiceCsv(head: string): boolean {
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  for (const sep of [',', ';', '\t']) {
    const cols = first.split(sep).map((c) => columnKey(c.replace(/^"|"$/g, '')));
    if (cols.length >= 2 && cols.some((c) => SERVICE_COLUMNS.includes(c)) && cols.some((c) => OWNER_COLUMNS.includes(c))) return true;
  }
  return false;
}

// ---- Backstage

function linksOf(v: unknown): CatalogLink[] {
  if (!Array.isArray(v)) return [];
  const out: CatalogLink[] = [];
  for (const l of v) {
    if (!isObj(l)) continue;
    const url = text(l.url);
    if (url) out.push({ url, title: text(l.title) ?? url, type: text(l.type) ?? '' });
  }
  return out;
}

function refs(v: unknown): string[] {
  return Array.isArray(v) ? v.map(text).filter((x): x is string => x !== null) : [];
}

function backstageEntry(doc: Obj, file: string, line: number): CatalogEntry | string {
  const meta = isObj(doc.metadata) ? doc.metadata : null;
  const name = meta ? text(meta.name) : null;
  if (!name) return 'entity has no metadata.name';
  const spec = isObj(doc.spec) ? doc.spec : {};
  const ann = meta && isObj(meta.annotations) ? meta.annotations : {};
  return {
    kind: String(doc.kind),
    name,
    title: text(meta!.title),
    description: text(meta!.description),
    owner: text(spec.owner),
    system: text(spec.system),
    lifecycle: text(spec.lifecycle),
    onCall: text(ann['opsgenie.com/team']) ?? text(ann['pagerduty.com/escalation-policy']),
    chat: text(ann['slack.com/channel']) ?? text(ann['slack/channel']),
    pagerDuty: text(ann['pagerduty.com/service-id']),
    links: linksOf(meta!.links),
    dependsOn: refs(spec.dependsOn),
    file,
    line,
    source: doc,
  };
}

const SERVICE_KINDS = new Set(['component', 'system']);

function parseBackstage(src: string, file: string, out: CatalogParse): void {
  const lc = new LineCounter();
  for (const d of parseAllDocuments(src, { lineCounter: lc })) {
    // The entity's first line: its contents, past a `---` marker and comments.
    const line = lc.linePos(d.contents?.range?.[0] ?? d.range[0]).line;
    if (d.errors.length > 0) {
      const e = d.errors[0];
      out.rejected.push({ line: e.linePos?.[0].line ?? line, message: `YAML: ${e.message.split('\n')[0]}` });
      continue;
    }
    let doc: unknown;
    try {
      doc = d.toJS();
    } catch (e) {
      // Aliases that cannot be resolved, or so many that they look like a resource-exhaustion attack.
      out.rejected.push({ line, message: `YAML: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    if (doc === null || doc === undefined) continue;
    if (!isObj(doc) || typeof doc.kind !== 'string') {
      out.rejected.push({ line, message: 'not a Backstage entity (no kind)' });
      continue;
    }
    if (!SERVICE_KINDS.has(doc.kind.toLowerCase())) {
      out.skipped.set(doc.kind, (out.skipped.get(doc.kind) ?? 0) + 1);
      continue;
    }
    const e = backstageEntry(doc, file, line);
    if (typeof e === 'string') out.rejected.push({ line, message: e });
    else out.entries.push(e);
  }
}

// ---- plain lists (YAML items or CSV rows, keyed by normalised column names)

function rowEntry(row: Obj, file: string, line: number): CatalogEntry | string {
  const get = (...keys: string[]) => {
    for (const [k, v] of Object.entries(row)) if (keys.includes(columnKey(k))) {
      const t = text(v);
      if (t) return t;
    }
    return null;
  };
  const name = get(...SERVICE_COLUMNS);
  if (!name) return 'no service name';
  const links: CatalogLink[] = [];
  const runbook = get('runbook', 'runbookurl', 'playbook');
  if (runbook) links.push({ url: runbook, title: 'Runbook', type: 'runbook' });
  const dashboard = get('dashboard', 'dashboardurl');
  if (dashboard) links.push({ url: dashboard, title: 'Dashboard', type: 'dashboard' });
  return {
    kind: 'Service', name, title: null, description: get('description'), owner: get(...OWNER_COLUMNS), system: get('system'), lifecycle: get('lifecycle'),
    onCall: get('oncall', 'oncallrotation', 'oncallschedule', 'pager'), chat: get('chat', 'channel', 'chatchannel', 'slack', 'slackchannel'),
    pagerDuty: get('pagerduty', 'pagerdutyserviceid', 'pagerdutyservice'), links, dependsOn: [], file, line, source: null,
  };
}

function parseServiceYaml(src: string, file: string, out: CatalogParse): void {
  const lc = new LineCounter();
  const docs = parseAllDocuments(src, { lineCounter: lc, keepSourceTokens: false });
  for (const d of docs) {
    if (d.errors.length > 0) {
      const e = d.errors[0];
      out.rejected.push({ line: e.linePos?.[0].line ?? 1, message: `YAML: ${e.message.split('\n')[0]}` });
      continue;
    }
    const root = d.contents as unknown as { items?: unknown[] } | null;
    let js: unknown;
    try {
      js = d.toJS();
    } catch (e) {
      out.rejected.push({ line: 1, message: `YAML: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    const list = Array.isArray(js) ? js : isObj(js) && Array.isArray(js.services) ? js.services : null;
    if (!list) continue;
    // Each item's line, from the YAML nodes (the list may sit under `services:`).
    const seq = (Array.isArray(js) ? root : (root?.items?.find((p) => isObj(p) && (p as { key?: { value?: unknown } }).key?.value === 'services') as { value?: { items?: unknown[] } } | undefined)?.value) as { items?: { range?: number[] }[] } | undefined;
    list.forEach((item: unknown, i: number) => {
      const at = seq?.items?.[i]?.range?.[0];
      const line = at !== undefined ? lc.linePos(at).line : 1;
      if (!isObj(item)) return void out.rejected.push({ line, message: 'list item is not a map' });
      const e = rowEntry(item, file, line);
      if (typeof e === 'string') out.rejected.push({ line, message: e });
      else out.entries.push(e);
    });
  }
}

function parseServiceCsv(src: string, file: string, out: CatalogParse): void {
  const res = Papa.parse<Obj>(src.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
  for (const err of res.errors) out.rejected.push({ line: (err.row ?? 0) + 2, message: `CSV: ${err.message}` });
  const bad = new Set(res.errors.map((e) => e.row));
  res.data.forEach((row, i) => {
    if (bad.has(i)) return;
    // Header is line 1; papaparse does not say where a row with quoted newlines starts, so this is the row's ordinal line.
    const e = rowEntry(row, file, i + 2);
    if (typeof e === 'string') out.rejected.push({ line: i + 2, message: e });
    else out.entries.push(e);
  });
}

export type CatalogFlavour = 'backstage' | 'service-yaml' | 'service-csv';

export function parseCatalog(src: string, file: string, flavour: CatalogFlavour): CatalogParse {
  const out: CatalogParse = { entries: [], rejected: [], skipped: new Map() };
  if (flavour === 'backstage') parseBackstage(src, file, out);
  else if (flavour === 'service-yaml') parseServiceYaml(src, file, out);
  else parseServiceCsv(src, file, out);
  return out;
}

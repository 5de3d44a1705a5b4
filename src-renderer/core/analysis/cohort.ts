// Cohorts: which of an entry operation's requests an aggregate looks at. A request is one trace
// holding a span of the entry (service + operation); its duration, start and error are those of
// the trace's earliest entry span. Kinds:
//
//   all              every request
//   band  50..75     durations between the 50th and 75th percentile (by rank: with 300 requests,
//                    ranks 150..224 of the durations sorted ascending, ties in input order)
//   slowest 1 %      the slowest ceil(1 % of n) requests, at least one
//   window T1..T2    entry starts at or after T1 and before T2 (epoch ns)
//   errors           entry span in error
//   search Q         the requests whose trace a trace search finds (core/analysis/trace-query.ts)
//   not C            the requests C leaves out (the rest, as a baseline)
//
// Cohort is a tagged union: a kind added later is one more member and one more case in
// selectCohort.

import { parseDuration, parseEpochNs, parseRfc3339Ns, formatIsoNs, type EpochNs } from '../base/time.ts';

export type Cohort =
  | { kind: 'all' }
  | { kind: 'band'; from: number; to: number }
  | { kind: 'slowest'; percent: number }
  | { kind: 'window'; fromNs: string; toNs: string }
  | { kind: 'errors' }
  | { kind: 'search'; query: string }
  | { kind: 'not'; of: Cohort };

/** What selectCohort reads of the requests, one entry per request. */
export interface CohortRequests {
  /** Entry span durations, ns. */
  duration: ArrayLike<number>;
  /** Entry span starts, ns from `baseNs`. */
  start: ArrayLike<number>;
  isError: ArrayLike<number | boolean>;
  /** Epoch ns (decimal text) the starts are offsets from. */
  baseNs: string;
  /** Each request's trace number, and for each search query of the cohorts the trace numbers it finds. */
  traceNo?: ArrayLike<number>;
  found?: ReadonlyMap<string, ReadonlySet<number>>;
}

/** The search queries a cohort names (the engine runs them before selectCohort). */
export function cohortQueries(c: Cohort): string[] {
  return c.kind === 'search' ? [c.query] : c.kind === 'not' ? cohortQueries(c.of) : [];
}

/** Ranks of the durations, ascending (ties in input order): rank[i] is request i's place. */
function durationRanks(duration: ArrayLike<number>): Int32Array {
  const n = duration.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => duration[a] - duration[b] || a - b);
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[order[r]] = r;
  return rank;
}

/** 1 for each request in the cohort, 0 for the others. */
export function selectCohort(req: CohortRequests, cohort: Cohort): Uint8Array {
  const n = req.duration.length;
  const out = new Uint8Array(n);
  let ranks: Int32Array | null = null;
  const rankOf = () => (ranks ??= durationRanks(req.duration));
  switch (cohort.kind) {
    case 'all':
      out.fill(1);
      break;
    case 'band': {
      const lo = Math.floor((Math.max(0, cohort.from) * n) / 100);
      const hi = Math.floor((Math.min(100, cohort.to) * n) / 100);
      const r = rankOf();
      for (let i = 0; i < n; i++) out[i] = r[i] >= lo && r[i] < hi ? 1 : 0;
      break;
    }
    case 'slowest': {
      const k = n === 0 ? 0 : Math.min(n, Math.max(1, Math.ceil((Math.min(100, Math.max(0, cohort.percent)) * n) / 100)));
      const r = rankOf();
      for (let i = 0; i < n; i++) out[i] = r[i] >= n - k ? 1 : 0;
      break;
    }
    case 'window': {
      // Bounds as offsets from the requests' base: exact BigInt differences, then doubles.
      const base = BigInt(req.baseNs);
      const from = Number(BigInt(cohort.fromNs) - base);
      const to = Number(BigInt(cohort.toNs) - base);
      for (let i = 0; i < n; i++) out[i] = req.start[i] >= from && req.start[i] < to ? 1 : 0;
      break;
    }
    case 'errors':
      for (let i = 0; i < n; i++) out[i] = req.isError[i] ? 1 : 0;
      break;
    case 'search': {
      const found = req.found?.get(cohort.query);
      if (!found || !req.traceNo) throw new Error(`the traces of search "${cohort.query}" were not looked up`);
      for (let i = 0; i < n; i++) out[i] = found.has(req.traceNo[i]) ? 1 : 0;
      break;
    }
    case 'not': {
      const inner = selectCohort(req, cohort.of);
      for (let i = 0; i < n; i++) out[i] = inner[i] ? 0 : 1;
      break;
    }
  }
  return out;
}

/** A time as the command line and forms take it: RFC 3339, or integer ns since the epoch. */
export function parseTimeArg(text: string): EpochNs | null {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? parseEpochNs(t) : parseRfc3339Ns(t);
}

const PERCENT = /^(\d+(?:\.\d+)?)%?$/;

/**
 * A cohort as written on the command line: `all`, `slowest:1%`, `band:50-75`, `errors`,
 * `from:T,to:T` (T in RFC 3339 or integer epoch ns; `to` may also be a duration after `from`:
 * `from:2026-11-20T10:10:00Z,to:+5m`), `search:QUERY` (the trace search's language), `rest` (with
 * `of`: the requests `of` leaves out). Throws a message naming what it could not read.
 */
export function parseCohort(text: string, of?: Cohort): Cohort {
  const t = text.trim();
  if (t === 'all') return { kind: 'all' };
  if (t === 'errors') return { kind: 'errors' };
  if (t === 'rest') {
    if (!of) throw new Error('cohort "rest" means the requests another cohort leaves out: use it with --vs');
    return { kind: 'not', of };
  }
  if (t.startsWith('search:')) {
    const query = t.slice('search:'.length).trim();
    if (query === '') throw new Error('cohort "search:": write the search after the colon, as typed in the search bar');
    return { kind: 'search', query };
  }
  let m = /^slowest:(.+)$/.exec(t);
  if (m) {
    const p = PERCENT.exec(m[1].trim());
    if (!p || !(Number(p[1]) > 0 && Number(p[1]) <= 100)) throw new Error(`cohort "${t}": write slowest:P% with 0 < P <= 100`);
    return { kind: 'slowest', percent: Number(p[1]) };
  }
  m = /^band:\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$/.exec(t);
  if (m) {
    const from = Number(m[1]);
    const to = Number(m[2]);
    if (!(from < to && to <= 100)) throw new Error(`cohort "${t}": write band:A-B with 0 <= A < B <= 100`);
    return { kind: 'band', from, to };
  }
  m = /^from:([^,]+),to:(.+)$/.exec(t);
  if (m) {
    const from = parseTimeArg(m[1]);
    if (from === null) throw new Error(`cohort "${t}": "${m[1]}" is not an RFC 3339 time or integer epoch ns`);
    const rel = m[2].trim().startsWith('+') ? parseDuration(m[2].trim().slice(1)) : null;
    const to = rel !== null ? from + BigInt(rel) : parseTimeArg(m[2]);
    if (to === null) throw new Error(`cohort "${t}": "${m[2]}" is not an RFC 3339 time, integer epoch ns or +duration`);
    if (to <= from) throw new Error(`cohort "${t}": the window ends before it starts`);
    return { kind: 'window', fromNs: from.toString(), toNs: to.toString() };
  }
  throw new Error(`cohort "${t}" is not one of all, slowest:P%, band:A-B, errors, from:T,to:T, search:QUERY, rest`);
}

/** A cohort for people: "p50–p75", "slowest 1 %", "errors", "10:10:00–10:15:00 UTC". */
export function describeCohort(c: Cohort): string {
  switch (c.kind) {
    case 'all':
      return 'all';
    case 'band':
      return `p${c.from}–p${c.to}`;
    case 'slowest':
      return `slowest ${c.percent} %`;
    case 'window':
      return `${formatIsoNs(c.fromNs).slice(0, 19).replace('T', ' ')} – ${formatIsoNs(c.toNs).slice(0, 19).replace('T', ' ')} UTC`;
    case 'errors':
      return 'errors';
    case 'search':
      return `search “${c.query}”`;
    case 'not':
      return c.of.kind === 'all' ? 'none' : `not ${describeCohort(c.of)}`;
  }
}

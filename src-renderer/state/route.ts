// Routes: where the user is, as the URL's hash. A route is a screen and its parameters, written
//
//   #/traces?sort=errors                 #/logs?sev=error,warn&svc=checkout&q=timeout&line=812
//   #/trace/<traceId>/<spanId>?w=120-9000&panel=critical
//   #/slos?slo=2                         #/compare?a=<traceId>&b=<traceId>
//   #/failures    #/across    #/files    #/notes    #/start    #/map    #/sql
//
// Parameters are plain strings (URLSearchParams encoding); each screen's state class decides what
// its own keys mean and ignores values it cannot read, so a hand-edited or hostile link lands on a
// working screen. Keys are written in sorted order: the same state always gives the same URL.
// The trace screen writes its trace and span ids in the path (links made before parameters
// existed keep working); they are `trace` and `span` among its parameters.

export const SCREENS = ['start', 'traces', 'trace', 'failures', 'map', 'logs', 'slos', 'across', 'compare', 'owners', 'report', 'files', 'notes', 'sql'] as const;
export type Screen = (typeof SCREENS)[number];

export type RouteParams = Readonly<Record<string, string>>;

export interface Route {
  screen: Screen;
  params: RouteParams;
}

/** Parameter changes: a string sets a key, null (or '') removes it. */
export type ParamChanges = Readonly<Record<string, string | null | undefined>>;

const HEX = /^[0-9a-f]{1,64}$/;
/** Longest hash read: a route is a handful of short values, not a document. */
const MAX_HASH = 8192;

export const DEFAULT_ROUTE: Route = { screen: 'traces', params: {} };

function isScreen(s: string): s is Screen {
  return (SCREENS as readonly string[]).includes(s);
}

/** The route a hash names; anything unreadable is the trace list. */
export function parseRoute(hash: string): Route {
  if (hash.length > MAX_HASH) return DEFAULT_ROUTE;
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = (q < 0 ? body : body.slice(0, q)).split('/').map(safeDecode);
  const params: Record<string, string> = {};
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(body.slice(q + 1))) if (k !== '' && v !== '' && !(k in params)) params[k] = v;
  }
  const [screen, traceId, spanId] = path;
  if (screen === 'trace') {
    const t = traceId?.toLowerCase();
    if (!t || !HEX.test(t)) return DEFAULT_ROUTE;
    delete params.trace;
    delete params.span;
    const s = spanId?.toLowerCase();
    return { screen, params: sorted({ ...params, trace: t, ...(s && HEX.test(s) ? { span: s } : {}) }) };
  }
  if (screen === undefined || !isScreen(screen)) return DEFAULT_ROUTE;
  return { screen, params: sorted(params) };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function sorted(p: Record<string, string>): RouteParams {
  const out: Record<string, string> = {};
  for (const k of Object.keys(p).sort()) out[k] = p[k];
  return out;
}

/** The hash of a route: `#/screen` and, when there are parameters, `?k=v&…` in key order. */
export function formatRoute(route: Route): string {
  const { trace, span, ...rest } = route.params;
  const p = route.screen === 'trace' ? rest : route.params;
  const path = route.screen === 'trace' && trace ? `trace/${trace}${span ? `/${span}` : ''}` : route.screen;
  const query = new URLSearchParams(Object.keys(p).sort().map((k) => [k, p[k]])).toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}

/** Parameters with changes applied (null or '' removes a key). */
export function withChanges(params: RouteParams, changes: ParamChanges): RouteParams {
  const out: Record<string, string> = { ...params };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') delete out[k];
    else out[k] = v;
  }
  return sorted(out);
}

export function sameRoute(a: Route, b: Route): boolean {
  return formatRoute(a) === formatRoute(b);
}

// ---- values as parameters: each reader returns null for what it cannot read.

export function readInt(v: string | undefined): number | null {
  if (v === undefined || !/^-?\d{1,15}$/.test(v)) return null;
  return Number(v);
}

/** A comma-separated list. */
export function readList(v: string | undefined): string[] {
  return v ? v.split(',').filter((s) => s !== '') : [];
}

/** An absolute time in ns since the epoch, kept as the decimal string it is (exact). */
export function readNs(v: string | undefined): string | null {
  return v !== undefined && /^-?\d{1,20}$/.test(v) ? v.replace(/^(-?)0+(?=\d)/, '$1') : null;
}

/** Two numbers `a-b` (a range of offsets), each a non-negative integer. */
export function readSpan(v: string | undefined): [number, number] | null {
  const m = v === undefined ? null : /^(\d{1,17})-(\d{1,17})$/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function writeFlag(on: boolean): string | null {
  return on ? '1' : null;
}

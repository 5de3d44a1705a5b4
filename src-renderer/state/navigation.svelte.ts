// Where the user is: the route (state/route.ts), kept in the browser's history so Back and Forward
// move between screens and selections, and a copied link opens the same place.
//
// How a screen keeps its state in the route (the API every screen uses):
//   - read:  `nav.params('logs')` is the logs screen's parameters: the current route's when the
//            logs screen shows, else the ones it had when it was left. State classes derive their
//            filters, sort, selection, … from these, so Back, Forward and links need no extra code.
//   - write: `nav.set('logs', { sev: 'error', line: null }, 'push')` changes some keys (null
//            removes one). 'push' makes a history entry (a choice the user may want to go Back
//            from: a filter, a sort, a selection); 'replace' rewrites the current entry (changes
//            that come in streams: zoom, pan, a selection moved with the keys; a field typed into).
//            Writing the parameters of a screen that is not showing only changes what it keeps.
//   - go:    `nav.go('logs')` shows a screen with the parameters it kept; `nav.go('trace',
//            { trace, span })` with new ones. Each is a history entry.
//   - a new screen: add its name to SCREENS in route.ts; its parameters are its own business.
//
// The app never navigates away from itself while it holds data: the first history entry of the
// page is a base entry (the start screen, where Back may leave the page while nothing is loaded).
// Arriving at it by Back while data is loaded steps forward again, so Back stops at the first
// screen and Forward still has every entry after it.

import { parseRoute, formatRoute, withChanges, sameRoute, DEFAULT_ROUTE, SCREENS, type Route, type RouteParams, type Screen, type ParamChanges } from './route.ts';

export type { Screen, Route, RouteParams } from './route.ts';

/** The part of the browser's History (and Location) navigation uses; a test can give its own. */
export interface HistoryPort {
  current(): { hash: string; state: unknown };
  push(hash: string, state: unknown): void;
  replace(hash: string, state: unknown): void;
  /** Forward one entry (history.forward()). */
  forward(): void;
  /** Back, Forward or an edited hash; returns the unsubscribe function. */
  onPop(cb: (hash: string, state: unknown) => void): () => void;
}

export function browserHistory(): HistoryPort {
  return {
    current: () => ({ hash: location.hash, state: history.state as unknown }),
    push: (hash, state) => history.pushState(state, '', hash),
    replace: (hash, state) => history.replaceState(state, '', hash),
    forward: () => history.forward(),
    onPop(cb) {
      const listener = (e: PopStateEvent) => cb(location.hash, e.state as unknown);
      window.addEventListener('popstate', listener);
      return () => window.removeEventListener('popstate', listener);
    },
  };
}

/** What the app keeps in each history entry: which kind of entry, and what every screen kept. */
interface EntryState {
  tracedeck: 'route' | 'base';
  kept?: Partial<Record<Screen, RouteParams>>;
}

function entryState(s: unknown): EntryState | null {
  if (typeof s !== 'object' || s === null) return null;
  const t = (s as { tracedeck?: unknown }).tracedeck;
  return t === 'route' || t === 'base' ? (s as EntryState) : null;
}

/** Kept parameters as stored (a workspace file, a history entry): only known screens and string values. */
function readKept(x: unknown): Partial<Record<Screen, RouteParams>> {
  const out: Partial<Record<Screen, RouteParams>> = {};
  if (typeof x !== 'object' || x === null) return out;
  for (const screen of SCREENS) {
    const p = (x as Record<string, unknown>)[screen];
    if (typeof p !== 'object' || p === null) continue;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(p)) if (typeof v === 'string') params[k] = v;
    out[screen] = params;
  }
  return out;
}

const START: Route = { screen: 'start', params: {} };

/** The view state saved in a workspace: the route shown and what each screen kept. */
export interface ViewState {
  route: string;
  kept: Partial<Record<Screen, RouteParams>>;
}

export class Navigation {
  route = $state.raw<Route>(DEFAULT_ROUTE);
  private kept = $state.raw<Partial<Record<Screen, RouteParams>>>({});
  /** Whether the app holds data that leaving would drop (set by the app). */
  holdsData: () => boolean = () => false;
  private readonly unsubscribe: () => void = () => {};

  constructor(private readonly history: HistoryPort | null = typeof window === 'undefined' ? null : browserHistory()) {
    if (!history) return;
    const cur = history.current();
    const state = entryState(cur.state);
    this.route = parseRoute(cur.hash);
    if (state) {
      // A reload: this entry and the ones around it are already ours.
      this.kept = { ...readKept(state.kept), [this.route.screen]: this.route.params };
      if (state.tracedeck === 'base') this.route = START;
    } else {
      this.kept = { [this.route.screen]: this.route.params };
      history.replace(formatRoute(START), { tracedeck: 'base' } satisfies EntryState);
      history.push(formatRoute(this.route), this.entry());
    }
    this.unsubscribe = history.onPop((hash, s) => this.popped(hash, s));
  }

  get screen(): Screen {
    return this.route.screen;
  }

  /** The trace shown (the trace screen's `trace`), or null. */
  get traceId(): string | null {
    return this.route.screen === 'trace' ? (this.route.params.trace ?? null) : null;
  }

  get spanId(): string | null {
    return this.route.screen === 'trace' ? (this.route.params.span ?? null) : null;
  }

  /** The two traces of the compare screen (`#/compare?a=…&b=…`), when they are trace ids. */
  get compareA(): string | null {
    return this.compareId('a');
  }

  get compareB(): string | null {
    return this.compareId('b');
  }

  private compareId(key: 'a' | 'b'): string | null {
    const v = this.route.screen === 'compare' ? this.route.params[key]?.toLowerCase() : undefined;
    return v && /^[0-9a-f]{1,64}$/.test(v) ? v : null;
  }

  /** Compare two traces side by side: a history entry. */
  compare(a: string, b: string): void {
    this.go('compare', { a, b });
  }

  /** A screen's parameters: the route's when it shows, else the ones it kept. */
  params(screen: Screen): RouteParams {
    return this.route.screen === screen ? this.route.params : (this.kept[screen] ?? {});
  }

  /** Show a screen: with the given parameters, or with the ones it kept. A new history entry. */
  go(screen: Screen, params?: RouteParams): void {
    this.write({ screen, params: withChanges(params ?? this.kept[screen] ?? {}, {}) }, 'push');
  }

  openTrace(traceId: string, spanId: string | null = null): void {
    this.go('trace', spanId ? { trace: traceId, span: spanId } : { trace: traceId });
  }

  /** Change some of a screen's parameters (see the header). */
  set(screen: Screen, changes: ParamChanges, mode: 'push' | 'replace' = 'push'): void {
    const params = withChanges(this.params(screen), changes);
    if (this.route.screen === screen) this.write({ screen, params }, mode);
    else this.kept = { ...this.kept, [screen]: params };
  }

  /** The link to a route of this app (what "Copy link" copies). */
  href(route: Route): string {
    const base = typeof location === 'undefined' ? '' : `${location.origin}${location.pathname}${location.search}`;
    return `${base}${formatRoute(route)}`;
  }

  /** What a workspace file keeps of the view. */
  snapshot(): ViewState {
    return { route: formatRoute(this.route), kept: this.kept };
  }

  /** Show a saved view (a workspace just opened): its screens' parameters, then its route. */
  restore(view: unknown): void {
    if (typeof view !== 'object' || view === null) return;
    const v = view as { route?: unknown; kept?: unknown };
    this.kept = { ...this.kept, ...readKept(v.kept) };
    if (typeof v.route === 'string') {
      const r = parseRoute(v.route);
      this.write(r.screen === 'start' ? DEFAULT_ROUTE : r, 'push');
    }
  }

  dispose(): void {
    this.unsubscribe();
  }

  private entry(): EntryState {
    return { tracedeck: 'route', kept: this.kept };
  }

  private write(route: Route, mode: 'push' | 'replace'): void {
    if (sameRoute(route, this.route)) return;
    this.route = route;
    this.kept = { ...this.kept, [route.screen]: route.params };
    this.history?.[mode](formatRoute(route), this.entry());
  }

  private popped(hash: string, s: unknown): void {
    const state = entryState(s);
    if (state?.tracedeck === 'base') {
      if (this.holdsData()) this.history?.forward();
      else this.route = START;
      return;
    }
    const route = parseRoute(hash);
    this.route = route;
    this.kept = { ...this.kept, ...(state ? readKept(state.kept) : {}), [route.screen]: route.params };
    // The entry learns what the screens keep now (a reload here finds the same), and an edited
    // hash, which makes an entry without our state, gets one.
    this.history?.replace(formatRoute(route), this.entry());
  }
}

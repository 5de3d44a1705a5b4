// Where the user is: which screen, which trace and span, which two traces compared. Mirrored in the
// URL hash (#/traces, #/trace/<id>/<spanId>, #/failures, #/logs, #/slos, #/across,
// #/compare?a=<id>&b=<id>, #/files) so a deep link reopens the same place.

export type Screen = 'traces' | 'trace' | 'failures' | 'logs' | 'slos' | 'across' | 'compare' | 'files';

const SCREENS: readonly Screen[] = ['traces', 'trace', 'failures', 'logs', 'slos', 'across', 'compare', 'files'];
const HEX = /^[0-9a-f]+$/;

export class Navigation {
  screen = $state<Screen>('traces');
  traceId = $state<string | null>(null);
  spanId = $state<string | null>(null);
  /** The two traces of the compare screen. */
  compareA = $state<string | null>(null);
  compareB = $state<string | null>(null);

  constructor() {
    this.fromHash(typeof location === 'undefined' ? '' : location.hash);
  }

  openTrace(traceId: string, spanId: string | null = null): void {
    this.traceId = traceId;
    this.spanId = spanId;
    this.go('trace');
  }

  compare(a: string, b: string): void {
    this.compareA = a;
    this.compareB = b;
    this.go('compare');
  }

  go(screen: Screen): void {
    this.screen = screen;
    if (typeof history !== 'undefined') history.replaceState(null, '', this.toHash());
  }

  toHash(): string {
    if (this.screen === 'trace' && this.traceId) return `#/trace/${this.traceId}${this.spanId ? `/${this.spanId}` : ''}`;
    if (this.screen === 'compare' && this.compareA && this.compareB) return `#/compare?a=${this.compareA}&b=${this.compareB}`;
    return `#/${this.screen}`;
  }

  /** Accepts only known screens and hex ids; anything else lands on the trace list. */
  fromHash(hash: string): void {
    const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
    const [screen, traceId, spanId] = path.split('/');
    if (screen === 'compare') {
      const q = new URLSearchParams(query);
      const a = q.get('a')?.toLowerCase() ?? '';
      const b = q.get('b')?.toLowerCase() ?? '';
      this.screen = 'compare';
      this.compareA = HEX.test(a) ? a : null;
      this.compareB = HEX.test(b) ? b : null;
    } else if (screen === 'trace' && traceId && HEX.test(traceId)) {
      this.screen = 'trace';
      this.traceId = traceId;
      this.spanId = spanId && HEX.test(spanId) ? spanId : null;
    } else if ((SCREENS as readonly string[]).includes(screen) && screen !== 'trace') this.screen = screen as Screen;
    else this.screen = 'traces';
  }
}

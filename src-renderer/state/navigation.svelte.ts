// Where the user is: which screen, which trace and span. Mirrored in the URL hash
// (#/traces, #/trace/<id>/<spanId>, #/logs, #/slos, #/files) so a deep link reopens the same place.

export type Screen = 'traces' | 'trace' | 'logs' | 'slos' | 'files';

const SCREENS: readonly Screen[] = ['traces', 'trace', 'logs', 'slos', 'files'];
const HEX = /^[0-9a-f]+$/;

export class Navigation {
  screen = $state<Screen>('traces');
  traceId = $state<string | null>(null);
  spanId = $state<string | null>(null);

  constructor() {
    this.fromHash(typeof location === 'undefined' ? '' : location.hash);
  }

  openTrace(traceId: string, spanId: string | null = null): void {
    this.traceId = traceId;
    this.spanId = spanId;
    this.go('trace');
  }

  go(screen: Screen): void {
    this.screen = screen;
    if (typeof history !== 'undefined') history.replaceState(null, '', this.toHash());
  }

  toHash(): string {
    if (this.screen === 'trace' && this.traceId) return `#/trace/${this.traceId}${this.spanId ? `/${this.spanId}` : ''}`;
    return `#/${this.screen}`;
  }

  /** Accepts only known screens and hex ids; anything else lands on the trace list. */
  fromHash(hash: string): void {
    const [screen, traceId, spanId] = hash.replace(/^#\/?/, '').split('/');
    if (screen === 'trace' && traceId && HEX.test(traceId)) {
      this.screen = 'trace';
      this.traceId = traceId;
      this.spanId = spanId && HEX.test(spanId) ? spanId : null;
    } else if ((SCREENS as readonly string[]).includes(screen) && screen !== 'trace') this.screen = screen as Screen;
    else this.screen = 'traces';
  }
}

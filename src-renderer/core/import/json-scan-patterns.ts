// The path patterns of the streaming JSON scanner (json-scan.ts): what to pick out of a document,
// compiled once, and how the patterns still alive move along the path as the scanner descends.
//
// Segments are joined by '.': '[]' any array element, '*' any object key, 'a|b' either key, ''
// the root value itself.
//   records  e.g. 'resourceSpans.[].scopeSpans|instrumentationLibrarySpans.[].spans.[]'
//   contexts small values beside the records (a resource, Jaeger's processes), parsed whole
//   scopes   containers whose opening and closing are reported (to reset or flush context)

export interface ScanPatterns {
  records: string[];
  contexts?: string[];
  scopes?: string[];
}

export const enum Kind {
  Record = 0,
  Context = 1,
  Scope = 2,
}

interface Pattern {
  kind: Kind;
  which: number;
  segs: string[][]; // alternatives per segment
}

/** What the value at a point of the path is, for the patterns alive there. */
export interface ValueRole {
  /** Index in `records` of the pattern that ends here, or -1. */
  record: number;
  /** Index in `contexts` of the pattern that ends here, or -1. */
  context: number;
  /** Some pattern goes on below this value. */
  continues: boolean;
  /** Scope patterns that end here. */
  scopes: number[];
}

/**
 * The compiled patterns. The patterns alive at a point of the path are kept as a flat list of
 * (pattern, segments matched) pairs.
 */
export class PatternSet {
  private readonly patterns: Pattern[] = [];

  constructor(spec: ScanPatterns) {
    const add = (list: string[] | undefined, kind: Kind) =>
      (list ?? []).forEach((p, which) => this.patterns.push({ kind, which, segs: p === '' ? [] : p.split('.').map((s) => s.split('|')) }));
    add(spec.records, Kind.Record);
    add(spec.contexts, Kind.Context);
    add(spec.scopes, Kind.Scope);
  }

  /** Every pattern, nothing matched yet: what is alive at a root value. */
  atRoot(): number[] {
    const out: number[] = [];
    for (let p = 0; p < this.patterns.length; p++) out.push(p, 0);
    return out;
  }

  /** The (pattern, matched) pairs that survive one more path step (`key` null for an array element). */
  advance(active: number[], key: string | null): number[] {
    const out: number[] = [];
    for (let k = 0; k < active.length; k += 2) {
      const p = this.patterns[active[k]];
      const s = active[k + 1];
      if (s >= p.segs.length) continue;
      const seg = p.segs[s];
      const ok = key === null ? seg[0] === '[]' : seg[0] === '*' || (seg[0] !== '[]' && seg.includes(key));
      if (ok) out.push(active[k], s + 1);
    }
    return out;
  }

  /** What a value reached with these pairs alive is. */
  role(active: number[]): ValueRole {
    const r: ValueRole = { record: -1, context: -1, continues: false, scopes: [] };
    for (let k = 0; k < active.length; k += 2) {
      const p = this.patterns[active[k]];
      if (active[k + 1] < p.segs.length) r.continues = true;
      else if (p.kind === Kind.Record) r.record = p.which;
      else if (p.kind === Kind.Context) r.context = p.which;
      else r.scopes.push(p.which);
    }
    return r;
  }
}

// The clock-skew-adjusted view (a derived view: the data stays as imported). Each clock_skew
// finding names a (parent service, child service) pair and the median offset to add to the child
// service's times (core/analysis/structure.ts). Every span whose parent is of the parent service
// and which is itself of the child service moves by that offset, and its whole subtree with it;
// shifts add up down the tree (A → B → C with skew on both edges moves C by both).

export interface SkewCorrection {
  parentService: string;
  childService: string;
  offsetNs: number;
}

/** Read the corrections out of a trace's findings; findings without usable data are skipped. */
export function skewCorrections(findings: readonly { kind: string; data: Record<string, unknown> }[]): SkewCorrection[] {
  const out: SkewCorrection[] = [];
  for (const f of findings) {
    if (f.kind !== 'clock_skew') continue;
    const { parentService, childService, offsetNs } = f.data;
    const off = typeof offsetNs === 'string' ? Number(offsetNs) : offsetNs;
    if (typeof parentService === 'string' && typeof childService === 'string' && typeof off === 'number' && Number.isFinite(off) && off !== 0)
      out.push({ parentService, childService, offsetNs: off });
  }
  return out;
}

/** Shift per span (ns), walking the pre-order so parents are done before their children. */
export function skewShifts(
  order: Int32Array,
  parent: Int32Array,
  service: readonly string[],
  corrections: readonly SkewCorrection[],
): { shift: Float64Array; adjusted: Uint8Array } {
  const n = order.length;
  const shift = new Float64Array(n);
  const adjusted = new Uint8Array(n);
  if (corrections.length === 0) return { shift, adjusted };
  const byPair = new Map<string, number>();
  for (const c of corrections) byPair.set(`${c.parentService}\u0000${c.childService}`, c.offsetNs);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const p = parent[i];
    if (p < 0) continue;
    const own = service[p] === service[i] ? undefined : byPair.get(`${service[p]}\u0000${service[i]}`);
    shift[i] = shift[p] + (own ?? 0);
    if (shift[i] !== 0) adjusted[i] = 1;
  }
  return { shift, adjusted };
}

// resolveUniqueParents (the structural check's way for traces whose span ids are all distinct)
// gives what resolveParents gives: the same parents, orphans and cycle cuts, on hand-made cases
// and on random traces full of orphans, self-parents and cycles.
import { describe, it, expect } from 'vitest';
import { resolveParents, resolveUniqueParents } from '../../src-renderer/core/model/tree.ts';
import { Random } from '../../src-renderer/core/demo/random.ts';

function both(ids: string[], parents: (string | null)[]) {
  const byId = new Map(ids.map((id, i) => [id, i]));
  const general = resolveParents({ spanId: ids, parentSpanId: parents, start: ids.map(() => 0) });
  const unique = resolveUniqueParents(parents, byId);
  return { general: { ...general, parent: [...general.parent] }, unique: { ...unique, parent: [...unique.parent] } };
}

describe('resolveUniqueParents', () => {
  it('agrees on a root with children, an orphan, a self-parent and a two-span cycle', () => {
    //   a ─ b ─ c    d (parent x missing)    e (its own parent)    f ⇄ g
    const { general, unique } = both(['a', 'b', 'c', 'd', 'e', 'f', 'g'], [null, 'a', 'b', 'x', 'e', 'g', 'f']);
    expect(unique).toEqual(general);
    expect(unique.parent).toEqual([-1, 0, 1, -1, -1, -1, 5]); // the walk from f closes at f: f's edge is cut
    expect(unique.orphans).toEqual([3]);
    expect(unique.cycleCuts).toEqual([4, 5]);
  });

  it('agrees with resolveParents on 2,000 random traces', () => {
    const rnd = new Random(42);
    for (let t = 0; t < 2000; t++) {
      const n = 1 + Math.floor(rnd.next() * 30);
      const ids = Array.from({ length: n }, (_, i) => `s${t}-${i}`);
      const parents = ids.map((_, i) => {
        const r = rnd.next();
        if (r < 0.1) return null;
        if (r < 0.15) return 'missing';
        return ids[Math.floor(rnd.next() * n)]; // any span, itself and later ones included: cycles happen
      });
      const { general, unique } = both(ids, parents);
      expect(unique).toEqual(general);
    }
  });
});

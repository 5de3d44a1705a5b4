// The first column of a query's rows as a typed array, grown by doubling as rows arrive.

import type { SqlValue } from 'sql.js';
import type { Store } from './store.ts';

type NumberArray = Int32Array | Float64Array;

/** The first column of every row of `sql` (prepared for this call), as numbers in the array `make` makes. */
export function numberColumn<A extends NumberArray>(store: Store, sql: string, params: SqlValue[], make: (length: number) => A): A {
  const st = store.db.prepare(sql);
  try {
    st.bind(params);
    let out = make(1024);
    let n = 0;
    while (st.step()) {
      if (n === out.length) {
        const grown = make(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[n++] = st.get()[0] as number;
    }
    return out.slice(0, n) as A;
  } finally {
    st.free();
  }
}

// Rows of SQL values packed for the trip into the store: three typed arrays (kind, number, text
// length per cell) and one string holding every text cell back to back. Between workers the
// arrays are transferred and the string copied in one piece, where an array of values would be
// cloned value by value; the store writes the string into SQLite's memory once and binds each
// text cell as a slice of it (bulk-insert.ts), where sql.js would allocate and encode every value.

export const CELL_NULL = 0;
export const CELL_NUMBER = 1;
export const CELL_TEXT = 2;

export interface PackedRows {
  rows: number;
  cols: number;
  /** CELL_NULL, CELL_NUMBER or CELL_TEXT per cell, row by row. */
  kinds: Uint8Array;
  /** The number of a number cell; the offset in `text` of a text cell. */
  nums: Float64Array;
  /** The length (UTF-16 units) of a text cell. */
  lens: Int32Array;
  text: string;
}

/** Builds PackedRows cell by cell, row by row. */
export class RowPacker {
  private readonly kinds: Uint8Array;
  private readonly nums: Float64Array;
  private readonly lens: Int32Array;
  private readonly parts: string[] = [];
  private cell = 0;
  private offset = 0;

  constructor(
    private readonly rows: number,
    private readonly cols: number,
  ) {
    this.kinds = new Uint8Array(rows * cols);
    this.nums = new Float64Array(rows * cols);
    this.lens = new Int32Array(rows * cols);
  }

  text(s: string | null): void {
    if (s === null) {
      this.cell++;
      return;
    }
    const c = this.cell++;
    this.kinds[c] = CELL_TEXT;
    this.nums[c] = this.offset;
    this.lens[c] = s.length;
    this.offset += s.length;
    this.parts.push(s);
  }

  /** A number; integers must be safe (a larger one goes in as text(String(n))). */
  num(n: number): void {
    const c = this.cell++;
    this.kinds[c] = CELL_NUMBER;
    this.nums[c] = n;
  }

  nul(): void {
    this.cell++;
  }

  finish(): PackedRows {
    if (this.cell !== this.rows * this.cols) throw new Error(`packed ${this.cell} cells, expected ${this.rows * this.cols}`);
    return { rows: this.rows, cols: this.cols, kinds: this.kinds, nums: this.nums, lens: this.lens, text: this.parts.join('') };
  }
}

/** The value of one cell (row r, column c), for the few the store reads back. */
export function cellValue(p: PackedRows, r: number, c: number): string | number | null {
  const i = r * p.cols + c;
  const k = p.kinds[i];
  if (k === CELL_NUMBER) return p.nums[i];
  if (k === CELL_TEXT) return p.text.slice(p.nums[i], p.nums[i] + p.lens[i]);
  return null;
}

/** The ArrayBuffers of packed rows, to transfer rather than copy. */
export function packedBuffers(p: PackedRows): ArrayBuffer[] {
  return [p.kinds.buffer as ArrayBuffer, p.nums.buffer as ArrayBuffer, p.lens.buffer as ArrayBuffer];
}

/**
 * The rows of `p` not flagged in `drop`, and for each row its index among those kept (-1 where
 * dropped). Text cells keep pointing into the same text.
 */
export function withoutRows(p: PackedRows, drop: Uint8Array): { rows: PackedRows; index: Int32Array } {
  const index = new Int32Array(p.rows);
  let n = 0;
  for (let r = 0; r < p.rows; r++) index[r] = drop[r] ? -1 : n++;
  const kinds = new Uint8Array(n * p.cols);
  const nums = new Float64Array(n * p.cols);
  const lens = new Int32Array(n * p.cols);
  for (let r = 0; r < p.rows; r++) {
    if (index[r] < 0) continue;
    const from = r * p.cols;
    const to = index[r] * p.cols;
    kinds.set(p.kinds.subarray(from, from + p.cols), to);
    nums.set(p.nums.subarray(from, from + p.cols), to);
    lens.set(p.lens.subarray(from, from + p.cols), to);
  }
  return { rows: { rows: n, cols: p.cols, kinds, nums, lens, text: p.text }, index };
}

/** Rows whose column 0 is a row index into another batch: those of kept rows, with their new index (`index` from withoutRows). */
export function reindexed(p: PackedRows, index: Int32Array): PackedRows {
  const drop = new Uint8Array(p.rows);
  for (let r = 0; r < p.rows; r++) drop[r] = index[p.nums[r * p.cols]] < 0 ? 1 : 0;
  const kept = withoutRows(p, drop).rows;
  for (let o = 0; o < kept.kinds.length; o += kept.cols) kept.nums[o] = index[kept.nums[o]];
  return kept;
}

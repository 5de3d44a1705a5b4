// JSON that keeps 64-bit integers exact. JSON.parse rounds integers past 2^53 (a nanosecond
// timestamp as a bare number loses up to 256 ns), so both directions go through these helpers.

const BIG_MARK = '\u0000big:';

/** JSON.stringify, but BigInt values are written as bare integer digits (SQLite JSON reads them exactly). */
export function stringifyExact(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null'; // the common case: no BigInt anywhere (JSON.stringify throws on one)
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
  const marked = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? BIG_MARK + v.toString() : v));
  if (marked === undefined) return 'null';
  if (!marked.includes('\\u0000big:')) return marked;
  return marked.replace(/"\\u0000big:(-?[0-9]+)"/g, '$1');
}

/**
 * Quote every integer literal too long to be exact in a double, outside strings, so that
 * JSON.parse keeps its digits. Returns the text unchanged when there is none (the common case).
 */
/** A bare (unquoted) integer of 16 or more digits: after `:`, `,` or `[`. Quoted digits don't match. */
const BARE_BIG = /[:,[]\s*-?[0-9]{16}/;

function quoteBigIntegers(text: string): string {
  if (!BARE_BIG.test(text)) return text;
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const next = text.charCodeAt(j);
      const isInteger = next !== 46 && next !== 101 && next !== 69; // not followed by . e E
      if (!isInteger) {
        // The fraction and exponent belong to this number: their digits are no integer of their own.
        while (j < text.length && /[0-9.eE+-]/.test(text[j])) j++;
        i = j - 1;
        continue;
      }
      const digits = j - i - (c === 45 ? 1 : 0);
      if (isInteger && digits >= 16) {
        const lit = text.slice(i, j);
        const n = BigInt(lit);
        if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
          out += text.slice(last, i) + JSON.stringify(BIG_MARK + lit);
          last = j;
        }
      }
      i = j - 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * Thrown by a converter that meets a number plain JSON.parse may have rounded (an integer past
 * 2^53). Readers that parse with plain JSON.parse for speed catch it and parse that record again
 * with parseExact, which is slower (it scans the text for such numbers first).
 */
export class InexactNumberError extends Error {
  constructor() {
    super('an integer past 2^53 needs an exact parse');
  }
}

/** `n` if JSON.parse kept it exact; otherwise throws InexactNumberError. */
export function exactNumber(n: number): number {
  if (n > Number.MAX_SAFE_INTEGER || n < Number.MIN_SAFE_INTEGER) throw new InexactNumberError();
  return n;
}

/** JSON.parse that returns BigInt for integers outside the safe range, exactly as written. */
export function parseExact<T = unknown>(text: string): T {
  const quoted = quoteBigIntegers(text);
  if (quoted === text) return JSON.parse(text) as T;
  return JSON.parse(quoted, (_k, v) => (typeof v === 'string' && v.startsWith(BIG_MARK) ? BigInt(v.slice(BIG_MARK.length)) : v)) as T;
}

/**
 * How deep attribute values may nest. Deeper parts are replaced by DEPTH_CUT: JSON.stringify and
 * any recursive walk overflow the stack somewhere past ten thousand levels, and nothing a person
 * reads is that deep. Records keep everything above the cut.
 */
export const MAX_JSON_DEPTH = 256;
export const DEPTH_CUT = `[nested deeper than ${MAX_JSON_DEPTH} levels: not kept]`;

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

/**
 * `value` with what lies below `max` levels replaced by DEPTH_CUT; the same object when nothing
 * is that deep (the common case: one pass over the values, nothing copied). Iterative, so any
 * depth is safe.
 */
export function capDepth<T>(value: T, max = MAX_JSON_DEPTH): T {
  if (!isContainer(value)) return value;
  // Most attribute objects are flat: one look at their values, no allocation.
  let nested = false;
  for (const k in value) {
    if (isContainer((value as Record<string, unknown>)[k])) {
      nested = true;
      break;
    }
  }
  if (!nested) return value;
  const stack: Array<[unknown, number]> = [[value, 1]];
  let deep = false;
  while (stack.length > 0 && !deep) {
    const [v, d] = stack.pop()!;
    for (const k in v as object) {
      const c = (v as Record<string, unknown>)[k];
      if (!isContainer(c)) continue;
      if (d + 1 > max) deep = true;
      else stack.push([c, d + 1]);
    }
  }
  if (!deep) return value;
  const copy = (v: Record<string, unknown> | unknown[]) => (Array.isArray(v) ? new Array<unknown>(v.length) : {}) as Record<string, unknown>;
  const root = copy(value);
  const work: Array<[Record<string, unknown>, Record<string, unknown>, number]> = [[value as Record<string, unknown>, root, 1]];
  while (work.length > 0) {
    const [src, dst, d] = work.pop()!;
    for (const k in src) {
      const c = src[k];
      if (!isContainer(c)) dst[k] = c;
      else if (d + 1 > max) dst[k] = DEPTH_CUT;
      else {
        const n = copy(c);
        dst[k] = n;
        work.push([c as Record<string, unknown>, n, d + 1]);
      }
    }
  }
  return root as T;
}

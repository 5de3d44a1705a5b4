// Which rows a virtualised list or tree draws: the window [first, last) that is on screen, and the
// current row (the one that holds the keyboard focus) even when it is scrolled away, in document
// order so a screen reader and `:last-child` meet the rows as they are listed.

export function rowsDrawn(first: number, last: number, current: number): number[] {
  const out = Array.from({ length: Math.max(0, last - first) }, (_, k) => first + k);
  if (current < 0 || (current >= first && current < last)) return out;
  if (current < first) out.unshift(current);
  else out.push(current);
  return out;
}

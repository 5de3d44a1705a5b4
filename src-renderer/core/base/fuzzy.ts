// Fuzzy matching for the command palette: the query's characters must appear in the text in
// order, case ignored. Matches score higher when they are contiguous and start words, so
// "gtl" finds "Go to logs" before "Toggle the legend".
//
//   query "crit"   text "Critical path only"   → C r i t at 0..3, one run at a word start: high
//   query "cpo"    text "Critical path only"   → C, p, o each at a word start: still a match

/** A score (higher is better) or null when the query's characters are not all in the text in order. */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (q === '') return 0;
  const t = text.toLowerCase();
  let score = 0;
  let at = 0;
  let prev = -2;
  for (const ch of q) {
    const i = t.indexOf(ch, at);
    if (i < 0) return null;
    const wordStart = i === 0 || /[\s\-_/:›.]/.test(t[i - 1]);
    score += 1 + (i === prev + 1 ? 3 : 0) + (wordStart ? 4 : 0) - Math.min(i - at, 10) * 0.1;
    prev = i;
    at = i + 1;
  }
  return score - t.length * 0.01;
}

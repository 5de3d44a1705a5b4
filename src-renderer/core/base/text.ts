// Text from a file shown where a summary belongs (a report's table cell, its Markdown): long
// texts are cut, so one megabyte-long log line does not take the page's layout for minutes.

/** `text` whole when it has at most `max` UTF-16 units; else its first `max` (not splitting a surrogate pair) and a note of what was left out. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[max - 1]) ? max - 1 : max;
  return `${text.slice(0, cut)}… (${(text.length - cut).toLocaleString('en-US')} more characters)`;
}

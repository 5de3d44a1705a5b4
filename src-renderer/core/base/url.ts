// Links found in trace and log data. The app opens only web links, and only after the user says yes.

/** Only http and https links may leave the app. */
export function isWebUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
